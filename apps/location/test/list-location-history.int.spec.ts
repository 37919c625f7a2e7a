import { principal, startHarness, type Harness } from './support/harness';

const A = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const B = '9b2d4c6e-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const C = 'c0ffee00-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const D = 'd00dfeed-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const DAY_MS = 86_400_000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type Location = { userId: string; latitude: number; longitude: number; updatedAt: string };

let api: Harness;
/** A's reports in the order they were made: latitude i for the i-th (1-based). */
const aReports: Location[] = [];

beforeAll(async () => {
  // A short retention makes the expiry test's arithmetic obvious: older than 2 days is gone.
  api = await startHarness({ HISTORY_RETENTION_DAYS: '2' });
  for (let i = 1; i <= 45; i += 1)
    aReports.push((await put(A, A, { latitude: i, longitude: -i })).body);
  for (let i = 1; i <= 3; i += 1) await put(B, B, { latitude: 80 + i, longitude: 80 });
});
afterAll(async () => api?.stop());

function put(caller: string, userId: string, body: unknown) {
  return api.invoke('put-location', {
    method: 'PUT',
    resource: '/loc/{userId}',
    pathParameters: { userId },
    body,
    principal: principal(caller),
  });
}

const history = (caller: string | null, userId: string, query: Record<string, string> = {}) =>
  api.invoke('list-location-history', {
    method: 'GET',
    resource: '/loc/{userId}/history',
    pathParameters: { userId },
    query,
    principal: caller === null ? null : principal(caller),
  });

const newestFirst = (reports: Location[]) => [...reports].reverse();

describe('GET /loc/{userId}/history', () => {
  it('pages through 45 items 20/20/5, newest first, without duplicates or gaps', async () => {
    const pages: Location[][] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 5; guard += 1) {
      const reply = await history(A, A, { limit: '20', ...(cursor ? { cursor } : {}) });
      expect(reply.status).toBe(200);
      expect(reply.metrics).toContain('LocationHistoryRead');
      pages.push(reply.body.items);
      cursor = reply.body.nextCursor;
      if (cursor === null) break;
    }

    expect(pages.map((page) => page.length)).toEqual([20, 20, 5]);
    expect(pages.flat()).toEqual(newestFirst(aReports));
  });

  it('returns 20 items when no limit is given, and everything on one page with limit 100', async () => {
    const byDefault = await history(A, A);
    const all = await history(A, A, { limit: '100' });

    expect(byDefault.body.items).toEqual(newestFirst(aReports).slice(0, 20));
    expect(byDefault.body.nextCursor).toEqual(expect.any(String));
    expect(all.body).toEqual({ items: newestFirst(aReports), nextCursor: null });
  });

  it('returns an empty last page for a user without history', async () => {
    const reply = await history(C, C);

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ items: [], nextCursor: null });
  });

  it('forbids reading another user’s history and leaves it unchanged', async () => {
    const before = await history(A, A, { limit: '100' });

    const reply = await history(B, A);

    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: 'urn:problem-type:forbidden', status: 403 });
    expect(JSON.stringify(reply.body)).not.toContain('latitude');
    expect(reply.metrics).not.toContain('LocationHistoryRead');
    expect((await history(A, A, { limit: '100' })).body).toEqual(before.body);
  });

  it('refuses a request without an authorizer principal with 401', async () => {
    const reply = await history(null, A);

    expect(reply.status).toBe(401);
  });

  it.each(['0', '101', 'abc', '1.5', '-1', ''])(
    'refuses limit=%j with 400 on /query/limit',
    async (limit) => {
      const reply = await history(A, A, { limit });

      expect(reply.status).toBe(400);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.body).toMatchObject({ type: 'urn:problem-type:validation-error', status: 400 });
      expect(reply.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ pointer: '/query/limit' })]),
      );
    },
  );

  it('leaves out history older than the retention (HISTORY_RETENTION_DAYS=2), though it was stored', async () => {
    const realNow = Date.now();
    const at = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(ms);
    at(realNow - 3 * DAY_MS);
    const expired = await put(D, D, { latitude: 1, longitude: 1 });
    at(realNow - 1 * DAY_MS);
    const kept = await put(D, D, { latitude: 2, longitude: 2 });
    jest.restoreAllMocks();

    const reply = await history(D, D);

    expect(expired.status).toBe(200);
    expect(reply.body).toEqual({ items: [kept.body], nextCursor: null });
  });

  describe('cursors', () => {
    let aCursor: string;
    let bCursor: string;
    beforeAll(async () => {
      aCursor = (await history(A, A, { limit: '10' })).body.nextCursor;
      bCursor = (await history(B, B, { limit: '1' })).body.nextCursor;
    });

    const expectCursorRefused = (reply: Awaited<ReturnType<typeof history>>) => {
      expect(reply.status).toBe(400);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.body).toMatchObject({ type: 'urn:problem-type:validation-error', status: 400 });
      expect(reply.body.errors).toEqual([expect.objectContaining({ pointer: '/query/cursor' })]);
      expect(reply.body).not.toHaveProperty('items');
    };

    it('continues from a cursor it issued', async () => {
      const reply = await history(A, A, { limit: '10', cursor: aCursor });

      expect(reply.body.items).toEqual(newestFirst(aReports).slice(10, 20));
    });

    it('refuses another user’s valid cursor and shows none of their data', async () => {
      const reply = await history(A, A, { cursor: bCursor });

      expectCursorRefused(reply);
      expect(JSON.stringify(reply.body)).not.toMatch(/latitude|9b2d4c6e/);
    });

    it('answers the other user 403 before looking at the cursor', async () => {
      const reply = await history(B, A, { cursor: aCursor });

      expect(reply.status).toBe(403);
    });

    it.each([
      ['valid base64url of garbage', Buffer.from('garbage, not JSON').toString('base64url')],
      ['valid base64url of a JSON string', Buffer.from('"hello"').toString('base64url')],
      ['a key whose sort key is the current item', key({ userId: A, sk: 'CURRENT' })],
      ['a key whose sort key sorts before history', key({ userId: A, sk: 'A#2026' })],
      ['a key whose sort key sorts after history', key({ userId: A, sk: 'Z' })],
      ['a history key with a malformed id', key({ userId: A, sk: 'H#2026-11-27' })],
      ['a key with a numeric sort key', key({ userId: A, sk: 5 })],
      [
        'a key with an extra attribute',
        key({ userId: A, sk: 'H#2026-11-27T10:00:00.000Z#0000000000000001', x: 1 }),
      ],
      [
        'a key of a user id that is not a UUID',
        key({ userId: '*', sk: 'H#2026-11-27T10:00:00.000Z#0000000000000001' }),
      ],
      ['characters outside base64url', 'abc+/=='],
      ['a cursor longer than 1024 characters', 'A'.repeat(1025)],
    ])('refuses %s with 400 on /query/cursor', async (_, cursor) => {
      expectCursorRefused(await history(A, A, { cursor }));
    });

    it('refuses a truncated cursor', async () => {
      expectCursorRefused(await history(A, A, { cursor: aCursor.slice(0, -3) }));
    });

    it('never answers a flipped character or byte with a 500 or someone else’s data', async () => {
      // Cursors are opaque but not signed: every change that breaks the structure is a 400; a
      // change that still names a valid position in A's own history may page from there, which
      // shows A nothing A could not read anyway. Nothing else is acceptable.
      const variants = new Set<string>();
      for (let i = 0; i < aCursor.length; i += 1) {
        const flipped = BASE64URL[BASE64URL.indexOf(aCursor[i] as string) ^ 1] as string;
        variants.add(aCursor.slice(0, i) + flipped + aCursor.slice(i + 1));
      }
      const bytes = Buffer.from(aCursor, 'base64url');
      for (let i = 0; i < bytes.length; i += 1) {
        const copy = Buffer.from(bytes);
        copy[i] = (copy[i] as number) ^ 0x01;
        variants.add(copy.toString('base64url'));
      }
      variants.delete(aCursor);
      const aSet = new Set(aReports.map((report) => JSON.stringify(report)));

      const statuses: number[] = [];
      for (const cursor of variants) {
        const reply = await history(A, A, { limit: '5', cursor });
        statuses.push(reply.status);
        if (reply.status === 400) {
          expectCursorRefused(reply);
        } else {
          expect(reply.status).toBe(200);
          for (const item of reply.body.items) expect(aSet.has(JSON.stringify(item))).toBe(true);
        }
      }

      expect(variants.size).toBeGreaterThan(100);
      // Most flips break the structure; only digits of A's own sort key can stay valid.
      expect(statuses.filter((status) => status === 400).length).toBeGreaterThan(variants.size / 2);
    });
  });
});

function key(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
