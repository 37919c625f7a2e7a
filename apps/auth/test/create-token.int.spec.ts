import { createHash } from 'node:crypto';
import { authApi, metricNames, PASSWORD, startAuthHarness, uniqueUsername, type AuthApi, type AuthHarness } from './support/auth-harness';

jest.setTimeout(60_000);

let harness: AuthHarness;
let api: AuthApi;
let username: string;
let userId: string;

beforeAll(async () => {
  harness = await startAuthHarness();
  api = authApi(harness.handlers);
  username = uniqueUsername('alice');
  userId = ((await api.createUser({ username, password: PASSWORD, displayName: 'Alice' })).body as { userId: string }).userId;
});
afterAll(() => harness.stop());
beforeEach(() => harness.stdout.clear());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('POST /tokens', () => {
  it('answers 201 with a one-hour bearer token that no cache may keep', async () => {
    const before = nowSeconds();

    const answer = await api.createToken({ username, password: PASSWORD });

    const after = nowSeconds();
    expect(answer.status).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresAt: expect.stringMatching(/Z$/),
      userId,
    });
    const expiresAt = Date.parse((answer.body as { expiresAt: string }).expiresAt) / 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(expiresAt).toBeLessThanOrEqual(after + 3600);
    expect(metricNames(harness.stdout)).toContain('TokenIssued');
  });

  it('stores only the SHA-256 of the token, with the user and the expiry as epoch seconds', async () => {
    const { token, expiresAt } = (await api.createToken({ username, password: PASSWORD })).body as { token: string; expiresAt: string };

    const items = await harness.scan('tokens');

    expect(items).toContainEqual({
      tokenHash: sha256(token),
      userId,
      username,
      expiresAt: Date.parse(expiresAt) / 1000,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(JSON.stringify(items)).not.toContain(token);
  });

  it('issues a different token at every sign-in', async () => {
    const first = (await api.createToken({ username, password: PASSWORD })).body as { token: string };
    const second = (await api.createToken({ username, password: PASSWORD })).body as { token: string };

    expect(first.token).not.toBe(second.token);
  });

  it('answers an unknown user and a wrong password identically, and issues nothing', async () => {
    const tokensBefore = (await harness.scan('tokens')).length;

    const wrongPassword = await api.createToken({ username, password: 'not the right password' });
    const unknownUser = await api.createToken({ username: uniqueUsername('nobody'), password: PASSWORD });

    const comparable = ({ requestId: _requestId, ...rest }: Record<string, unknown>) => rest;
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(comparable(unknownUser.body as Record<string, unknown>)).toEqual(comparable(wrongPassword.body as Record<string, unknown>));
    expect(unknownUser.headers).toEqual(wrongPassword.headers);
    expect(wrongPassword.body).toEqual({
      type: 'urn:problem-type:invalid-credentials',
      title: 'Invalid Credentials',
      status: 401,
      detail: 'The username or password is incorrect.',
      instance: '/prod/tokens',
      requestId: expect.any(String),
    });
    expect(await harness.scan('tokens')).toHaveLength(tokensBefore);
    expect(metricNames(harness.stdout)).not.toContain('TokenIssued');
  });

  it.each([
    ['a missing password', { username }, 400],
    ['an empty password', { username, password: '' }, 400],
    ['a password over 128 characters', { username, password: 'x'.repeat(129) }, 400],
    ['an extra field', { username, password: PASSWORD, scope: 'admin' }, 400],
    ['an invalid username', { username: 'A!', password: PASSWORD }, 400],
  ])('refuses %s with %p and issues nothing', async (_label, body, status) => {
    const tokensBefore = (await harness.scan('tokens')).length;

    const answer = await api.createToken(body);

    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ type: 'urn:problem-type:validation-error', status, instance: '/prod/tokens' });
    expect(await harness.scan('tokens')).toHaveLength(tokensBefore);
  });

  it('refuses a body that is not application/json with 415', async () => {
    const answer = await api.createToken(`username=${username}&password=x`, { 'Content-Type': 'application/x-www-form-urlencoded' });

    expect(answer.status).toBe(415);
    expect(answer.body).toMatchObject({ type: 'urn:problem-type:unsupported-media-type' });
  });

  it('honours TOKEN_TTL_SECONDS', async () => {
    const shortLived = authApi(await harness.loadHandlers({ TOKEN_TTL_SECONDS: '120' }));
    const before = nowSeconds();

    const answer = await shortLived.createToken({ username, password: PASSWORD });

    const expiresAt = Date.parse((answer.body as { expiresAt: string }).expiresAt) / 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 120);
    expect(expiresAt).toBeLessThanOrEqual(nowSeconds() + 120);
  });
});
