import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@sm/testing';
import { signInLimits } from '../src/limits';
import { DynamoSignInAttempts, lockSeconds } from '../src/repository/dynamo-sign-in-attempts';
import { authApi, PASSWORD, startAuthHarness, uniqueUsername, type AuthApi, type AuthHarness } from './support/auth-harness';

jest.setTimeout(60_000);

let harness: AuthHarness;
let api: AuthApi;
let client: DynamoDBDocumentClient;
let store: DynamoSignInAttempts;

beforeAll(async () => {
  harness = await startAuthHarness();
  api = authApi(harness.handlers);
  client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: harness.dynalite.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  store = new DynamoSignInAttempts(client, harness.tableNames.attempts, signInLimits);
});
afterAll(async () => {
  client?.destroy();
  await harness?.stop();
});

const T0 = 1_800_000_000;
const { maxFailures, windowSeconds, memorySeconds } = signInLimits;
const itemOf = async (username: string) => (await harness.scan('attempts')).find((item) => item['username'] === username);

/** `count` attempts that all fail, one after the other, at `now`; what `begin` said to each. */
const failAll = async (username: string, count: number, now: number) => {
  const verdicts = [];
  for (let i = 0; i < count; i += 1) {
    const attempt = await store.begin(username, now);
    verdicts.push(attempt);
    if (attempt.allowed) await store.failed(username, attempt, now);
  }
  return verdicts;
};

describe('the DynamoDB sign-in attempts (dynalite over HTTP, real SDK)', () => {
  it(`allows ${maxFailures} attempts, then locks for the first lock with the rest of it as Retry-After`, async () => {
    const username = uniqueUsername('guess');

    const verdicts = await failAll(username, maxFailures + 1, T0);

    expect(verdicts.slice(0, maxFailures)).toEqual([1, 2, 3, 4, 5].map((failures) => ({ allowed: true, failures, locks: 0 })));
    expect(verdicts[maxFailures]).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(await store.begin(username, T0 + 45)).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(await itemOf(username)).toEqual({ username, failures: 0, windowStart: T0, lockedUntil: T0 + 60, lockCount: 1, expiresAt: T0 + 60 + memorySeconds });
  });

  it('doubles the lock at each further lock, up to the longest', async () => {
    const username = uniqueUsername('stubborn');
    let now = T0;
    const locks: number[] = [];
    for (let round = 0; round < 8; round += 1) {
      await failAll(username, maxFailures, now);
      const refused = await store.begin(username, now);
      if (refused.allowed) throw new Error('expected a lock');
      locks.push(refused.retryAfterSeconds);
      now += refused.retryAfterSeconds; // the lock is over exactly then
    }

    expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(locks).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => lockSeconds(signInLimits, n)));
  });

  it('starts a new window after the window, keeping nothing of the old one but its locks', async () => {
    const username = uniqueUsername('slow');
    await failAll(username, maxFailures - 1, T0);

    const later = T0 + windowSeconds + 1;
    const verdicts = await failAll(username, maxFailures + 1, later);

    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, true, false]);
    expect(verdicts[0]).toEqual({ allowed: true, failures: 1, locks: 0 });
  });

  it('forgets a username after a success, and after its memory even when TTL has not deleted it yet', async () => {
    const forgiven = uniqueUsername('owner');
    await failAll(forgiven, maxFailures - 1, T0);
    await store.succeeded(forgiven);
    expect(await itemOf(forgiven)).toBeUndefined();
    expect(await store.begin(forgiven, T0)).toEqual({ allowed: true, failures: 1, locks: 0 });

    // A lapsed item TTL has not removed yet: locked long ago, 3 locks behind it.
    const lapsed = uniqueUsername('lapsed');
    await client.send(new PutCommand({
      TableName: harness.tableNames.attempts,
      Item: { username: lapsed, failures: 5, windowStart: T0, lockedUntil: T0 + 3600, lockCount: 3, expiresAt: T0 + 3600 + memorySeconds },
    }));
    expect(await store.begin(lapsed, T0 + 3600 + memorySeconds)).toEqual({ allowed: true, failures: 1, locks: 0 });
  });

  it('lets exactly the allowed attempts through a race of 50 concurrent guesses', async () => {
    const username = uniqueUsername('race');

    const verdicts = await Promise.all(Array.from({ length: 50 }, () => store.begin(username, T0)));

    const allowed = verdicts.filter((v) => v.allowed);
    expect(allowed).toHaveLength(maxFailures);
    // Each counted attempt got its own number: no two saw the same count.
    expect(allowed.map((v) => (v.allowed ? v.failures : 0)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(verdicts.filter((v) => !v.allowed)).toEqual(Array(50 - maxFailures).fill({ allowed: false, retryAfterSeconds: 60 }));
  });
});

describe('POST /tokens under a guessing attack (the handler, its bundle’s code, dynalite)', () => {
  it('answers a race of 50 wrong passwords with exactly 5 checked (401) and 45 refused (429 + Retry-After); then even the right password waits', async () => {
    const username = uniqueUsername('victim');
    await api.createUser({ username, password: PASSWORD, displayName: 'Victim' });

    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => api.createToken({ username, password: `wrong password ${i}` })));

    const byStatus = (status: number) => answers.filter((answer) => answer.status === status);
    expect({ checked: byStatus(401).length, refused: byStatus(429).length }).toEqual({ checked: maxFailures, refused: 50 - maxFailures });
    for (const refused of byStatus(429)) {
      expect(refused.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': expect.stringMatching(/^[1-9][0-9]*$/) });
      expect(refused.body).toMatchObject({ type: 'urn:problem-type:sign-in-locked', status: 429, instance: '/prod/tokens' });
    }
    const right = await api.createToken({ username, password: PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await harness.scan('tokens')).not.toContainEqual(expect.objectContaining({ username }));
  });

  it('locks an unknown username exactly like a known one, so the answer never tells whether it exists', async () => {
    const known = uniqueUsername('known');
    await api.createUser({ username: known, password: PASSWORD, displayName: 'Known' });
    const unknown = uniqueUsername('unknown');
    // Both one failure short of the lock (seeded: five scrypt checks each would cost seconds).
    const now = Math.floor(Date.now() / 1000);
    for (const username of [known, unknown]) {
      await client.send(new PutCommand({
        TableName: harness.tableNames.attempts,
        Item: { username, failures: maxFailures - 1, windowStart: now, lockedUntil: 0, lockCount: 0, expiresAt: now + memorySeconds },
      }));
    }

    const answersOf = async (username: string) => {
      const answers = [await api.createToken({ username, password: 'not the password' }), await api.createToken({ username, password: 'not the password' })];
      return answers.map(({ status, headers, body }) => ({ status, headers: Object.keys(headers).sort(), retryAfter: headers['retry-after'], type: (body as { type: string }).type }));
    };

    const [ofUnknown, ofKnown] = [await answersOf(unknown), await answersOf(known)];
    // The lock's rest is counted in whole seconds from the fifth failure: 60, or a little less when
    // seconds pass between that failure and the next attempt (a loaded machine).
    const comparable = (answers: typeof ofKnown) =>
      answers.map(({ retryAfter, ...rest }) => ({ ...rest, retryAfter: retryAfter !== undefined && Number(retryAfter) >= 55 && Number(retryAfter) <= 60 ? '60' : retryAfter }));
    expect(comparable(ofUnknown)).toEqual(comparable(ofKnown));
    expect(comparable(ofKnown).map(({ status, type, retryAfter }) => ({ status, type, retryAfter }))).toEqual([
      { status: 401, type: 'urn:problem-type:invalid-credentials', retryAfter: undefined },
      { status: 429, type: 'urn:problem-type:sign-in-locked', retryAfter: '60' },
    ]);
  });
});
