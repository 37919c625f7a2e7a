import { authApi, metricNames, PASSWORD, startAuthHarness, uniqueUsername, type AuthApi, type AuthHarness } from './support/auth-harness';

jest.setTimeout(60_000);

let harness: AuthHarness;
let api: AuthApi;
let alice: { userId: string; username: string };
let bob: { userId: string; username: string };

const register = async (prefix: string) => {
  const username = uniqueUsername(prefix);
  const { userId } = (await api.createUser({ username, password: PASSWORD, displayName: prefix })).body as { userId: string };
  return { userId, username };
};
const signIn = async (user: { username: string }) =>
  ((await api.createToken({ username: user.username, password: PASSWORD })).body as { token: string }).token;

beforeAll(async () => {
  harness = await startAuthHarness();
  api = authApi(harness.handlers);
  alice = await register('alice');
  bob = await register('bob');
});
afterAll(() => harness.stop());
beforeEach(() => harness.stdout.clear());

const unauthorizedProblem = {
  type: 'urn:problem-type:unauthorized',
  status: 401,
  instance: '/prod/tokens/current',
};

describe('DELETE /tokens/current', () => {
  it('revokes the presented token: 204, and the authorizer refuses it from then on', async () => {
    const token = await signIn(alice);
    expect((await api.authorize(`Bearer ${token}`)).result).toBeDefined();

    const answer = await api.revoke(`Bearer ${token}`, alice);

    expect(answer.status).toBe(204);
    expect(answer.raw).toBe('');
    expect((await api.authorize(`Bearer ${token}`)).error?.message).toBe('Unauthorized');
    expect(metricNames(harness.stdout)).toContain('TokenRevoked');
  });

  it('revokes only that token: the user’s other sessions stay valid', async () => {
    const [kept, revoked] = [await signIn(alice), await signIn(alice)];

    await api.revoke(`Bearer ${revoked}`, alice);

    expect((await api.authorize(`Bearer ${kept}`)).result?.principalId).toBe(alice.userId);
  });

  it('answers 401 for a token already revoked (a cached Allow may still let it through)', async () => {
    const token = await signIn(alice);
    await api.revoke(`Bearer ${token}`, alice);

    const again = await api.revoke(`Bearer ${token}`, alice);

    expect(again.status).toBe(401);
    expect(again.body).toMatchObject(unauthorizedProblem);
  });

  it('does not revoke another user’s token even if the principal and header disagree', async () => {
    const token = await signIn(alice);

    const answer = await api.revoke(`Bearer ${token}`, bob);

    expect(answer.status).toBe(401);
    expect((await api.authorize(`Bearer ${token}`)).result?.principalId).toBe(alice.userId);
  });

  it('answers 401 for an expired token and deletes nothing', async () => {
    const shortLived = authApi(await harness.loadHandlers({ TOKEN_TTL_SECONDS: '1' }));
    const { token, expiresAt } = (await shortLived.createToken({ username: alice.username, password: PASSWORD })).body as {
      token: string;
      expiresAt: string;
    };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 50));
    const itemsBefore = (await harness.scan('tokens')).length;

    const answer = await api.revoke(`Bearer ${token}`, alice);

    expect(answer.status).toBe(401);
    expect(await harness.scan('tokens')).toHaveLength(itemsBefore);
  });

  it('answers 401 without a principal (no authorizer ran)', async () => {
    const token = await signIn(alice);

    const answer = await api.revoke(`Bearer ${token}`, null);

    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject(unauthorizedProblem);
    expect((await api.authorize(`Bearer ${token}`)).result).toBeDefined();
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed Authorization header', 'Bearer not-a-token'],
  ])('answers 401 with %s', async (_label, header) => {
    const answer = await api.revoke(header, alice);

    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject(unauthorizedProblem);
    expect(metricNames(harness.stdout)).not.toContain('TokenRevoked');
  });
});
