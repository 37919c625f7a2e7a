import {
  GetCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@sm/dynamo';
import { ValidationError } from '@sm/errors';
import { createTables, startDynalite, useLocalAwsEnv, type Dynalite } from '@sm/testing';
import {
  createHistoryIdFactory,
  expiresAtFor,
  InvalidCursorError,
  type Location,
  type LocationRecord,
} from '../domain';
import { tables } from '../tables';
import { DynamoLocationRepository } from './dynamo-location-repository';

const A = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const B = '9b2d4c6e-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const T0 = Date.parse('2026-11-27T10:00:00.000Z');
const DAY_MS = 86_400_000;

let dynalite: Dynalite;
let restoreEnv: () => void;
let db: DynamoDBDocumentClient;
let table = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  restoreEnv = useLocalAwsEnv(dynalite.endpoint);
  db = createDocumentClient();
});

afterAll(async () => {
  db.destroy();
  await dynalite.stop();
  restoreEnv();
});

/** A fresh table per test (same definition, new name), so tests cannot see each other's data. */
const freshRepository = async (
  options?: ConstructorParameters<typeof DynamoLocationRepository>[2],
) => {
  table += 1;
  const names = await createTables(dynalite.endpoint, tables, {
    tableName: (t) => `${t.id}-${table}`,
  });
  const tableName = names.Locations as string;
  return { tableName, repository: new DynamoLocationRepository(db, tableName, options) };
};

const nextId = createHistoryIdFactory();
const recordAt = (
  userId: string,
  nowMs: number,
  latitude = 10,
  retentionDays = 30,
): LocationRecord => ({
  location: { userId, latitude, longitude: 20, updatedAt: new Date(nowMs).toISOString() },
  historyId: nextId(nowMs),
  expiresAt: expiresAtFor(nowMs, retentionDays),
});

describe('DynamoLocationRepository.record', () => {
  it('makes the record current and appends it to history with its expiry', async () => {
    const { repository, tableName } = await freshRepository();
    const record = recordAt(A, T0);

    await repository.record(record);

    await expect(repository.findCurrent(A)).resolves.toEqual(record.location);
    const { Items } = await db.send(new ScanCommand({ TableName: tableName }));
    expect(Items).toHaveLength(2);
    expect(Items).toContainEqual({
      ...record.location,
      sk: `H#${record.historyId}`,
      expiresAt: record.expiresAt,
    });
    const current = Items?.find((item) => item.sk === 'CURRENT');
    expect(current).not.toHaveProperty('expiresAt'); // TTL must never delete the current location
  });

  it('keeps accuracy when given and reads back exactly the contract fields', async () => {
    const { repository } = await freshRepository();
    const record = recordAt(A, T0);
    const location: Location = { ...record.location, accuracy: 12.5 };

    await repository.record({ ...record, location });

    await expect(repository.findCurrent(A)).resolves.toEqual(location);
    const page = await repository.listHistory(A, { limit: 5, nowMs: T0 });
    expect(page.items).toEqual([location]);
  });

  it('never lets an older report replace a newer current one, and keeps both in history', async () => {
    const { repository } = await freshRepository();
    const older = recordAt(A, T0, 1);
    const newer = recordAt(A, T0 + 1000, 2);

    await repository.record(newer);
    await repository.record(older); // arrives late, e.g. a slow concurrent request

    await expect(repository.findCurrent(A)).resolves.toEqual(newer.location);
    const page = await repository.listHistory(A, { limit: 5, nowMs: T0 });
    expect(page.items).toEqual([newer.location, older.location]);
  });

  it('ends with the newest report current when twenty reports race in random order', async () => {
    const { repository } = await freshRepository();
    const records = Array.from({ length: 20 }, (_, i) => recordAt(A, T0 + i * 10, i));
    const shuffled = [...records].sort(() => Math.random() - 0.5);

    await Promise.all(shuffled.map((record) => repository.record(record)));

    await expect(repository.findCurrent(A)).resolves.toEqual(records[19]?.location);
    const page = await repository.listHistory(A, { limit: 20, nowMs: T0 });
    expect(page.items).toEqual(records.map((record) => record.location).reverse());
  });

  it('keeps two reports from the same millisecond apart, the later one current', async () => {
    const { repository } = await freshRepository();
    const first = recordAt(A, T0, 1);
    const second = recordAt(A, T0, 2);

    await repository.record(first);
    await repository.record(second);

    await expect(repository.findCurrent(A)).resolves.toEqual(second.location);
    const page = await repository.listHistory(A, { limit: 5, nowMs: T0 });
    expect(page.items.map((item) => item.latitude)).toEqual([2, 1]);
  });

  it('when the second write fails, leaves the old current location and the new report in history only', async () => {
    // Injected fault: dynalite cannot be made to fail one specific PutItem, so a middleware on the
    // real client refuses the write of the current item. Everything else goes over HTTP.
    const { repository: healthy, tableName } = await freshRepository();
    const before = recordAt(A, T0, 1);
    await healthy.record(before);
    const faulty = createDocumentClient();
    faulty.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Item?: { sk?: string } };
        if (input.Item?.sk === 'CURRENT') throw new Error('injected: connection reset');
        return next(args);
      },
      { step: 'initialize', name: 'failCurrentWrite' },
    );
    const failing = new DynamoLocationRepository(faulty, tableName);
    const lost = recordAt(A, T0 + 1000, 2);

    await expect(failing.record(lost)).rejects.toThrow('injected');
    faulty.destroy();

    // Readers see a real earlier report as current, never a half-written one.
    await expect(healthy.findCurrent(A)).resolves.toEqual(before.location);
    const page = await healthy.listHistory(A, { limit: 5, nowMs: T0 });
    expect(page.items).toEqual([lost.location, before.location]);
    // The client's retry (a new report) becomes current as usual.
    const retry = recordAt(A, T0 + 2000, 2);
    await healthy.record(retry);
    await expect(healthy.findCurrent(A)).resolves.toEqual(retry.location);
  });

  it('keeps users apart', async () => {
    const { repository } = await freshRepository();
    const a = recordAt(A, T0, 1);
    const b = recordAt(B, T0, 2);

    await repository.record(a);
    await repository.record(b);

    await expect(repository.findCurrent(A)).resolves.toEqual(a.location);
    await expect(repository.findCurrent(B)).resolves.toEqual(b.location);
    expect((await repository.listHistory(A, { limit: 10, nowMs: T0 })).items).toEqual([a.location]);
  });
});

describe('DynamoLocationRepository.findCurrent', () => {
  it('finds nothing for a user who never reported', async () => {
    const { repository } = await freshRepository();

    await expect(repository.findCurrent(A)).resolves.toBeUndefined();
  });
});

describe('DynamoLocationRepository.listHistory', () => {
  it('returns an empty last page for a user without history', async () => {
    const { repository } = await freshRepository();

    await expect(repository.listHistory(A, { limit: 20, nowMs: T0 })).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('ends exactly on the last item without an empty extra page', async () => {
    const { repository } = await freshRepository();
    for (let i = 0; i < 4; i += 1) await repository.record(recordAt(A, T0 + i * 1000, i));

    const first = await repository.listHistory(A, { limit: 2, nowMs: T0 });
    const second = await repository.listHistory(A, {
      limit: 2,
      nowMs: T0,
      cursor: first.nextCursor ?? '',
    });

    expect(first.items.map((item) => item.latitude)).toEqual([3, 2]);
    expect(second).toEqual({
      items: [expect.objectContaining({ latitude: 1 }), expect.objectContaining({ latitude: 0 })],
      nextCursor: null,
    });
  });

  it('leaves out items whose retention has passed, though the store still holds them', async () => {
    const { repository, tableName } = await freshRepository();
    await repository.record(recordAt(A, T0 - 40 * DAY_MS, 1)); // expired 10 days ago
    await repository.record(recordAt(A, T0 - 2 * DAY_MS, 2, 1)); // 1-day retention: expired
    await repository.record(recordAt(A, T0 - DAY_MS, 3)); // kept

    const page = await repository.listHistory(A, { limit: 20, nowMs: T0 });

    expect(page).toEqual({ items: [expect.objectContaining({ latitude: 3 })], nextCursor: null });
    const stored = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': A },
      }),
    );
    expect(stored.Count).toBe(4); // 3 history items + current: expiry is enforced on read
  });

  it('reads past many expired items within its query budget and resumes where it stopped', async () => {
    // Expired items between retained ones (a retention that was shortened): the filter thins each
    // Query, so a page needs several; with a budget of 2 Queries of 3 items it comes back short.
    const { repository } = await freshRepository({ maxQueriesPerPage: 2, followUpBatchSize: 3 });
    await repository.record(recordAt(A, T0 - 10_000, 1)); // kept, oldest
    for (let i = 0; i < 8; i += 1) await repository.record(recordAt(A, T0 - 9000 + i, 0, 0)); // expired
    await repository.record(recordAt(A, T0 - 1000, 2)); // kept, newest

    const first = await repository.listHistory(A, { limit: 2, nowMs: T0 });
    expect(first.items.map((item) => item.latitude)).toEqual([2]);
    expect(first.nextCursor).not.toBeNull();

    const collected = [...first.items];
    let cursor = first.nextCursor;
    for (let guard = 0; cursor !== null && guard < 10; guard += 1) {
      const page = await repository.listHistory(A, { limit: 2, nowMs: T0, cursor });
      collected.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(cursor).toBeNull();
    expect(collected.map((item) => item.latitude)).toEqual([2, 1]);
  });

  it.each([
    [
      'another user’s key',
      () => ({ userId: B, sk: 'H#2026-11-27T10:00:00.000Z#0000000000000001' }),
    ],
    ['the current item', () => ({ userId: A, sk: 'CURRENT' })],
    ['a sort key before history', () => ({ userId: A, sk: 'A' })],
    ['a history prefix without an id', () => ({ userId: A, sk: 'H#' })],
    [
      'a key with an extra attribute',
      () => ({ userId: A, sk: 'H#2026-11-27T10:00:00.000Z#0000000000000001', x: 1 }),
    ],
  ])('refuses a cursor holding %s with a 400 on /query/cursor', async (_, key) => {
    const { repository } = await freshRepository();
    await repository.record(recordAt(B, T0));
    const cursor = Buffer.from(JSON.stringify(key())).toString('base64url');

    const attempt = repository.listHistory(A, { limit: 20, nowMs: T0, cursor });

    await expect(attempt).rejects.toThrow(InvalidCursorError);
    await expect(attempt).rejects.toMatchObject({
      errors: [{ pointer: '/query/cursor', message: 'is not a valid cursor' }],
    });
  });

  it('refuses a cursor that is not base64url JSON as a validation error', async () => {
    const { repository } = await freshRepository();

    await expect(
      repository.listHistory(A, { limit: 20, nowMs: T0, cursor: 'bm90IGpzb24' }),
    ).rejects.toThrow(ValidationError);
  });

  it('continues from a cursor it issued for the same user', async () => {
    const { repository, tableName } = await freshRepository();
    for (let i = 0; i < 3; i += 1) await repository.record(recordAt(A, T0 + i, i));

    const first = await repository.listHistory(A, { limit: 1, nowMs: T0 });
    const decoded = JSON.parse(
      Buffer.from(first.nextCursor ?? '', 'base64url').toString('utf8'),
    ) as { userId: string; sk: string };
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: decoded }));

    expect(decoded.userId).toBe(A);
    expect(Item?.latitude).toBe(2); // the cursor is the key of the last item returned
  });
});
