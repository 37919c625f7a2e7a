import { createIssueToken } from './issue-token';
import * as password from './password';
import type { SignInAttempt, SignInAttempts, TokenRecord, TokenStore, UserRecord, UserStore } from './ports';
import { hashToken } from './token';

const CHEAP: password.ScryptParameters = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const PASSWORD = 'correct horse battery staple';
const NOW = Date.parse('2027-01-15T08:00:00.250Z');

// Prepare: in-memory ports (domain interfaces, not DynamoDB); the DynamoDB adapters are covered
// against dynalite in test/.
const setUp = async (verdict: SignInAttempt = { allowed: true, failures: 1, locks: 0 }) => {
  const alice: UserRecord = {
    userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
    username: 'alice_01',
    displayName: 'Alice',
    password: await password.hashPassword(PASSWORD, CHEAP),
    createdAt: '2027-01-01T00:00:00.000Z',
  };
  const users: UserStore = {
    insert: async () => true,
    findByUsername: async (name) => (name === alice.username ? alice : undefined),
  };
  const issued: TokenRecord[] = [];
  const tokens: TokenStore = {
    insert: async (record) => void issued.push(record),
    find: async () => undefined,
    deleteLive: async () => false,
  };
  // What the lockout was told, in order (the DynamoDB store itself is tested against dynalite).
  const told: string[] = [];
  const attempts: SignInAttempts = {
    begin: async (username, nowSeconds) => (told.push(`begin ${username} ${nowSeconds}`), verdict),
    failed: async (username, attempt) => void told.push(`failed ${username} ${JSON.stringify(attempt)}`),
    succeeded: async (username) => void told.push(`succeeded ${username}`),
  };
  const findByUsername = jest.spyOn(users, 'findByUsername');
  const issueToken = createIssueToken({ users, tokens, attempts, ttlSeconds: 900, now: () => NOW, scrypt: CHEAP });
  return { alice, issued, issueToken, told, findByUsername };
};

describe('issueToken', () => {
  it('issues a bearer token and stores only its hash, with user and expiry', async () => {
    const { alice, issued, issueToken } = await setUp();

    const result = await issueToken({ username: 'alice_01', password: PASSWORD });

    const expiresAt = Math.floor(NOW / 1000) + 900;
    expect(result).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      userId: alice.userId,
    });
    expect(issued).toEqual([
      { tokenHash: hashToken(result.token), userId: alice.userId, username: 'alice_01', expiresAt, createdAt: new Date(NOW).toISOString() },
    ]);
    expect(JSON.stringify(issued)).not.toContain(result.token);
  });

  it.each([
    ['a wrong password', { username: 'alice_01', password: 'not the password' }],
    ['an unknown user', { username: 'mallory', password: PASSWORD }],
  ])('answers %s with the same error after one scrypt check of the same cost', async (_label, request) => {
    const { issued, issueToken } = await setUp();
    const verify = jest.spyOn(password, 'verifyPassword');

    const failure = await issueToken(request).catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 401, slug: 'invalid-credentials', detail: 'The username or password is incorrect.' });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0]?.[1]).toMatchObject({ algorithm: 'scrypt', ...CHEAP });
    expect(issued).toEqual([]);
  });

  it('counts every attempt before checking it: a success forgets the username, a failure is reported', async () => {
    const { issueToken, told } = await setUp({ allowed: true, failures: 5, locks: 2 });

    await issueToken({ username: 'alice_01', password: PASSWORD });
    await issueToken({ username: 'alice_01', password: 'not the password' }).catch(() => undefined);
    await issueToken({ username: 'mallory', password: PASSWORD }).catch(() => undefined);

    const nowSeconds = Math.floor(NOW / 1000);
    expect(told).toEqual([
      `begin alice_01 ${nowSeconds}`,
      'succeeded alice_01',
      `begin alice_01 ${nowSeconds}`,
      'failed alice_01 {"allowed":true,"failures":5,"locks":2}',
      `begin mallory ${nowSeconds}`,
      'failed mallory {"allowed":true,"failures":5,"locks":2}',
    ]);
  });

  it.each([
    ['the right password of a locked user', { username: 'alice_01', password: PASSWORD }],
    ['an unknown user out of attempts', { username: 'mallory', password: PASSWORD }],
  ])('refuses %s with 429 and Retry-After, before any lookup or scrypt', async (_label, request) => {
    const { issued, issueToken, told, findByUsername } = await setUp({ allowed: false, retryAfterSeconds: 119.2 });
    const verify = jest.spyOn(password, 'verifyPassword');

    const failure = await issueToken(request).catch((error: unknown) => error);

    expect(failure).toMatchObject({
      status: 429,
      slug: 'sign-in-locked',
      title: 'Sign-In Locked',
      detail: 'Too many failed sign-ins for this username; retry in 120 seconds.',
      headers: { 'Retry-After': '120' },
    });
    expect(verify).not.toHaveBeenCalled();
    expect(findByUsername).not.toHaveBeenCalled();
    expect(told).toEqual([`begin ${request.username} ${Math.floor(NOW / 1000)}`]);
    expect(issued).toEqual([]);
  });
});
