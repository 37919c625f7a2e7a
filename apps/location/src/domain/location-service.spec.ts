import { LocationNotFoundError, NotLocationOwnerError } from './errors';
import type { HistoryQuery, LocationRecord, LocationRepository } from './location-repository';
import { createLocationService } from './location-service';
import type { Location } from './model';

const A = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const B = '9b2d4c6e-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const NOW = Date.parse('2026-11-27T10:15:30.123Z');

/** Records what the service asks of storage; the real adapter is tested against dynalite. */
const recordingRepository = (current?: Location) => {
  const records: LocationRecord[] = [];
  const queries: Array<{ userId: string; query: HistoryQuery }> = [];
  const repository: LocationRepository = {
    record: async (record) => {
      records.push(record);
    },
    findCurrent: async (userId) => (current?.userId === userId ? current : undefined),
    listHistory: async (userId, query) => {
      queries.push({ userId, query });
      return { items: [], nextCursor: null };
    },
  };
  return { repository, records, queries };
};

const serviceWith = (repository: LocationRepository) =>
  createLocationService({
    repository,
    historyRetentionDays: 30,
    now: () => NOW,
    nextHistoryId: (nowMs) => `${new Date(nowMs).toISOString()}#0000000000000001`,
  });

describe('putLocation', () => {
  it('records the fix stamped with the server time, its history id and a 30-day expiry', async () => {
    const { repository, records } = recordingRepository();

    const location = await serviceWith(repository).putLocation(A, A, {
      latitude: 52.52,
      longitude: 13.4,
      accuracy: 12.5,
    });

    expect(location).toEqual({
      userId: A,
      latitude: 52.52,
      longitude: 13.4,
      accuracy: 12.5,
      updatedAt: '2026-11-27T10:15:30.123Z',
    });
    expect(records).toEqual([
      {
        location,
        historyId: '2026-11-27T10:15:30.123Z#0000000000000001',
        expiresAt: Math.floor(NOW / 1000) + 30 * 86_400,
      },
    ]);
  });

  it('leaves accuracy out when the fix has none', async () => {
    const { repository } = recordingRepository();

    const location = await serviceWith(repository).putLocation(A, A, {
      latitude: -33.8688,
      longitude: 151.2093,
    });

    expect(location).not.toHaveProperty('accuracy');
  });

  it('refuses another user and writes nothing', async () => {
    const { repository, records } = recordingRepository();

    await expect(
      serviceWith(repository).putLocation(B, A, { latitude: 1, longitude: 2 }),
    ).rejects.toThrow(NotLocationOwnerError);
    expect(records).toHaveLength(0);
  });
});

describe('getLocation', () => {
  const current: Location = {
    userId: A,
    latitude: 52.520008123,
    longitude: -13.404954987,
    accuracy: 12.5,
    updatedAt: '2026-11-27T10:15:30.123Z',
  };

  it('returns the owner their location as recorded', async () => {
    await expect(
      serviceWith(recordingRepository(current).repository).getLocation(A, A),
    ).resolves.toEqual(current);
  });

  it('returns anyone else a coarse location: 2 decimal places, accuracy at least 800 m', async () => {
    await expect(
      serviceWith(recordingRepository(current).repository).getLocation(B, A),
    ).resolves.toEqual({ ...current, latitude: 52.52, longitude: -13.4, accuracy: 800 });
    const vague = { ...current, accuracy: 2500 };
    await expect(
      serviceWith(recordingRepository(vague).repository).getLocation(B, A),
    ).resolves.toMatchObject({ accuracy: 2500 });
  });

  it('says not found when the user never reported a location', async () => {
    await expect(serviceWith(recordingRepository().repository).getLocation(A, A)).rejects.toThrow(
      LocationNotFoundError,
    );
  });
});

describe('listHistory', () => {
  it('asks storage for the owner’s page as of now', async () => {
    const { repository, queries } = recordingRepository();

    await serviceWith(repository).listHistory(A, A, { limit: 20, cursor: 'abc' });

    expect(queries).toEqual([{ userId: A, query: { limit: 20, cursor: 'abc', nowMs: NOW } }]);
  });

  it('refuses another user without touching storage', async () => {
    const { repository, queries } = recordingRepository();

    await expect(serviceWith(repository).listHistory(B, A, { limit: 20 })).rejects.toThrow(
      NotLocationOwnerError,
    );
    expect(queries).toHaveLength(0);
  });
});
