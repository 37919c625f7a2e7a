import { createIssueToken } from './issue-token';
import * as password from './password';
import type { TokenRecord, TokenStore, UserRecord, UserStore } from './ports';
import { hashToken } from './token';

const CHEAP: password.ScryptParameters = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const PASSWORD = 'correct horse battery staple';
const NOW = Date.parse('2027-01-15T08:00:00.250Z');

// Prepare: in-memory ports (domain interfaces, not DynamoDB); the DynamoDB adapters are covered
// against dynalite in test/.
const setUp = async () => {
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
  const issueToken = createIssueToken({ users, tokens, ttlSeconds: 900, now: () => NOW, scrypt: CHEAP });
  return { alice, issued, issueToken };
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
});
