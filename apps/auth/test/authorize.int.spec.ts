import { createHash } from 'node:crypto';
import { mintToken } from '../src/domain/token';
import { authApi, metricNames, PASSWORD, startAuthHarness, uniqueUsername, type AuthApi, type AuthHarness } from './support/auth-harness';

jest.setTimeout(60_000);

let harness: AuthHarness;
let api: AuthApi;
let alice: { userId: string; username: string };
let token: string;

beforeAll(async () => {
  harness = await startAuthHarness();
  api = authApi(harness.handlers);
  const username = uniqueUsername('alice');
  const { userId } = (await api.createUser({ username, password: PASSWORD, displayName: 'Alice' })).body as { userId: string };
  alice = { userId, username };
  token = ((await api.createToken({ username, password: PASSWORD })).body as { token: string }).token;
});
afterAll(() => harness.stop());
beforeEach(() => harness.stdout.clear());

const WHOLE_API = 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod/*';

const logRecords = () => harness.stdout.records().filter((record) => typeof record.message === 'string');

describe('TOKEN authorizer', () => {
  it('allows a live token with the user as principal and context, on the whole API', async () => {
    const { result, error } = await api.authorize(`Bearer ${token}`);

    expect(error).toBeUndefined();
    expect(result).toEqual({
      principalId: alice.userId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: WHOLE_API }],
      },
      context: { userId: alice.userId, username: alice.username },
    });
  });

  it.each([
    ['GET', '/loc/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10/history'],
    ['PUT', '/profile/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10'],
    ['DELETE', '/tokens/current'],
  ])('returns the same whole-API policy when first called for %s %s (a cached result fits every route)', async (method, path) => {
    const { result } = await api.authorize(`Bearer ${token}`, { method, path });

    expect(result?.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: WHOLE_API }]);
  });

  it.each([
    ['an unknown token', () => `Bearer ${mintToken().token}`],
    ['an empty header', () => ''],
    ['a bare token without the scheme', () => token],
    ['another scheme', () => `Basic ${token}`],
    ['a truncated token', () => `Bearer ${token.slice(0, 42)}`],
    ['a token with a character appended', () => `Bearer ${token}A`],
    // What a leak of the tokens table would give an attacker: well-formed, and still refused.
    ['the token’s SHA-256 instead of the token', () => `Bearer ${createHash('sha256').update(token).digest('base64url')}`],
  ])('refuses %s with Unauthorized (401)', async (_label, header) => {
    const { result, error } = await api.authorize(header());

    expect(result).toBeUndefined();
    expect(error?.message).toBe('Unauthorized');
    expect(metricNames(harness.stdout)).toContain('AuthorizationDenied');
  });

  it('refuses a revoked token', async () => {
    const revoked = ((await api.createToken({ username: alice.username, password: PASSWORD })).body as { token: string }).token;
    expect((await api.revoke(`Bearer ${revoked}`, alice)).status).toBe(204);

    const { error } = await api.authorize(`Bearer ${revoked}`);

    expect(error?.message).toBe('Unauthorized');
  });

  it('refuses a token once it has expired, although its item is still in the table', async () => {
    // Expiry is kept to the whole second, so a token lives between TTL − 1 and TTL seconds: with 3,
    // the first check has at least 2 s to pass on a loaded machine (with 1 it could have 0.1 s).
    const shortLived = authApi(await harness.loadHandlers({ TOKEN_TTL_SECONDS: '3' }));
    const issued = (await shortLived.createToken({ username: alice.username, password: PASSWORD })).body as { token: string; expiresAt: string };
    expect((await api.authorize(`Bearer ${issued.token}`)).result?.principalId).toBe(alice.userId);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(issued.expiresAt) - Date.now()) + 50));
    const { error } = await api.authorize(`Bearer ${issued.token}`);

    expect(error?.message).toBe('Unauthorized');
    expect((await harness.scan('tokens')).length).toBeGreaterThanOrEqual(2);
  });

  it('logs every decision, never the token', async () => {
    await api.authorize(`Bearer ${token}`);
    await api.authorize(`Bearer ${mintToken().token}`);
    await api.authorize('Basic abc');

    const decisions = logRecords().filter((record) => record.decision !== undefined);
    expect(decisions).toEqual([
      expect.objectContaining({ message: 'Token allowed', decision: 'allow', userId: alice.userId }),
      expect.objectContaining({ message: 'Token refused', decision: 'deny', reason: 'unknown' }),
      expect.objectContaining({ message: 'Token refused', decision: 'deny', reason: 'malformed' }),
    ]);
    expect(harness.stdout.text()).not.toContain(token);
  });

  it('fails closed with an error other than Unauthorized when its table is missing', async () => {
    const misconfigured = authApi(await harness.loadHandlers({ TOKENS_TABLE_NAME: 'no-such-table' }));

    const { result, error } = await misconfigured.authorize(`Bearer ${token}`);

    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).not.toBe('Unauthorized');
    expect(logRecords()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'Authorizer could not decide; failing closed' }));
  });

  // Last: it stops the store for good.
  it('fails closed with an error other than Unauthorized when DynamoDB is unreachable', async () => {
    await harness.dynalite.stop();

    const { result, error } = await api.authorize(`Bearer ${token}`);

    expect(result).toBeUndefined();
    expect(error?.message).not.toBe('Unauthorized');
    expect(harness.stdout.text()).not.toContain(token);
  });
});
