import { NotFoundError } from '@sm/errors';
import { createGetProfile } from './get-profile';
import type { StoredProfile } from './model';
import type {
  LocationLookup,
  LocationLookupFailure,
  LocationLookupRequest,
  LocationLookupResult,
} from './ports';

const ALICE = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const stored: StoredProfile = {
  userId: ALICE,
  displayName: 'Alice',
  bio: 'Cyclist',
  updatedAt: '2026-11-26T08:00:00.000Z',
  version: 3,
};

const setup = (options: {
  profile: StoredProfile | null;
  lookup: (request: LocationLookupRequest) => Promise<LocationLookupResult>;
}) => {
  const requests: LocationLookupRequest[] = [];
  const failures: { userId: string; failure: LocationLookupFailure }[] = [];
  const locations: LocationLookup = {
    currentLocation: (request) => {
      requests.push(request);
      return options.lookup(request);
    },
  };
  const getProfile = createGetProfile({
    repository: { get: async () => options.profile, save: async () => null },
    locations,
    onLocationLookupFailed: (userId, failure) => failures.push({ userId, failure }),
  });
  return { getProfile, requests, failures };
};

const input = { userId: ALICE, authorization: 'Bearer token', lookupTimeoutMs: 500 };

describe('getProfile', () => {
  it('includes the location and derives the ETag from the version', async () => {
    // Prepare
    const location = { latitude: 52.52, longitude: 13.4, updatedAt: '2026-11-27T10:15:30.123Z' };
    const { getProfile, requests, failures } = setup({
      profile: stored,
      lookup: async () => ({ outcome: 'found', location }),
    });

    // Act
    const view = await getProfile(input);

    // Assess
    expect(view).toEqual({
      profile: {
        userId: ALICE,
        displayName: 'Alice',
        bio: 'Cyclist',
        location,
        updatedAt: '2026-11-26T08:00:00.000Z',
      },
      etag: '"v3"',
    });
    expect(requests).toEqual([
      expect.objectContaining({ userId: ALICE, authorization: 'Bearer token', timeoutMs: 500 }),
    ]);
    expect(failures).toEqual([]);
  });

  it('answers location: null without reporting a failure when the user has no location', async () => {
    const { getProfile, failures } = setup({
      profile: stored,
      lookup: async () => ({ outcome: 'none' }),
    });

    const view = await getProfile(input);

    expect(view.profile.location).toBeNull();
    expect(failures).toEqual([]);
  });

  it('answers location: null and reports the failure when the lookup failed', async () => {
    const failure: LocationLookupFailure = { reason: 'timeout', elapsedMs: 501 };
    const { getProfile, failures } = setup({
      profile: stored,
      lookup: async () => ({ outcome: 'failed', failure }),
    });

    const view = await getProfile(input);

    expect(view.profile.location).toBeNull();
    expect(failures).toEqual([{ userId: ALICE, failure }]);
  });

  it('still answers when a broken lookup rejects instead of reporting a failure', async () => {
    const { getProfile, failures } = setup({
      profile: stored,
      lookup: async () => {
        throw new TypeError('adapter bug');
      },
    });

    const view = await getProfile(input);

    expect(view.profile.location).toBeNull();
    expect(failures).toEqual([
      {
        userId: ALICE,
        failure: expect.objectContaining({ reason: 'unreachable', detail: 'TypeError' }),
      },
    ]);
  });

  it('answers 404 for a missing profile, cancels the lookup and reports nothing', async () => {
    // Prepare: a lookup that only ends when it is cancelled.
    const { getProfile, requests, failures } = setup({
      profile: null,
      lookup: (request) =>
        new Promise((resolve) =>
          request.signal?.addEventListener('abort', () =>
            resolve({ outcome: 'failed', failure: { reason: 'cancelled', elapsedMs: 0 } }),
          ),
        ),
    });

    // Act
    const outcome = getProfile(input);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(NotFoundError);
    expect(requests[0]?.signal?.aborted).toBe(true);
    expect(failures).toEqual([]);
  });
});
