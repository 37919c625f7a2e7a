import { authApi, metricNames, PASSWORD, startAuthHarness, uniqueUsername, type AuthApi, type AuthHarness } from './support/auth-harness';

jest.setTimeout(60_000);

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let harness: AuthHarness;
let api: AuthApi;

beforeAll(async () => {
  harness = await startAuthHarness();
  api = authApi(harness.handlers);
});
afterAll(() => harness.stop());
beforeEach(() => harness.stdout.clear());

const userItem = async (username: string) => (await harness.scan('users')).find((item) => item.username === username);

describe('POST /users', () => {
  it('registers a user and answers 201 with the new user', async () => {
    const username = uniqueUsername('alice');

    const answer = await api.createUser({ username, password: PASSWORD, displayName: 'Alice' });

    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toEqual({ userId: expect.stringMatching(UUID_V4), username, displayName: 'Alice' });
    expect(metricNames(harness.stdout)).toContain('UserRegistered');
  });

  it('stores the scrypt hash with its parameters and salt, never the password', async () => {
    const username = uniqueUsername('bob');
    const answer = await api.createUser({ username, password: PASSWORD, displayName: 'Bob' });

    const item = await userItem(username);

    expect(item).toEqual({
      username,
      userId: (answer.body as { userId: string }).userId,
      displayName: 'Bob',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      password: { algorithm: 'scrypt', N: 131072, r: 8, p: 1, keyLength: 32, salt: expect.any(String), hash: expect.any(String) },
    });
    const password = item?.password as { salt: string; hash: string };
    expect(Buffer.from(password.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(password.hash, 'base64')).toHaveLength(32);
    expect(JSON.stringify(item)).not.toContain(PASSWORD);
  });

  it('answers 409 username-taken for a second registration and leaves the first user unchanged', async () => {
    const username = uniqueUsername('carol');
    const first = await api.createUser({ username, password: PASSWORD, displayName: 'Carol' });
    const before = await userItem(username);

    const second = await api.createUser({ username, password: 'another long password', displayName: 'Impostor' });

    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toBe('application/problem+json');
    expect(second.body).toEqual({
      type: 'urn:problem-type:username-taken',
      title: 'Username Taken',
      status: 409,
      detail: `The username '${username}' is already taken.`,
      instance: '/prod/users',
      requestId: expect.any(String),
    });
    expect(await userItem(username)).toEqual(before);
    // Unchanged as the user sees it too: the first password still signs in.
    expect((await api.createToken({ username, password: PASSWORD })).status).toBe(201);
  });

  it('lets exactly one of several concurrent registrations of one username win', async () => {
    const username = uniqueUsername('race');
    const contenders = 5;

    const answers = await Promise.all(
      Array.from({ length: contenders }, (_, i) => api.createUser({ username, password: `${PASSWORD} #${i}`, displayName: `Racer ${i}` })),
    );

    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(contenders - 1);
    const winner = winners[0]?.body as { userId: string; displayName: string };
    expect(await userItem(username)).toMatchObject({ userId: winner.userId, displayName: winner.displayName });
  });

  describe('refuses a request that breaks the contract, writing nothing', () => {
    const username = 'never_written';
    const valid = { username, password: PASSWORD, displayName: 'Nobody' };

    it.each([
      ['a missing password', { username, displayName: 'Nobody' }, [{ pointer: '/body/password', message: 'is required' }]],
      ['missing fields', {}, ['/body/username', '/body/password', '/body/displayName'].map((pointer) => ({ pointer, message: 'is required' }))],
      ['an extra field', { ...valid, isAdmin: true }, [{ pointer: '/body/isAdmin', message: 'is not allowed' }]],
      ['an upper-case username', { ...valid, username: 'Never_Written' }, [{ pointer: '/body/username', message: expect.stringContaining('pattern') }]],
      ['a short password', { ...valid, password: 'short' }, [{ pointer: '/body/password', message: expect.stringContaining('fewer than 12') }]],
      ['a display name with surrounding spaces', { ...valid, displayName: ' Nobody ' }, [{ pointer: '/body/displayName', message: expect.any(String) }]],
      ['a non-string password', { ...valid, password: 123456789012345 }, [{ pointer: '/body/password', message: 'must be string' }]],
      // The password policy (NIST SP 800-63B), after the contract and before any scrypt.
      ['one of the most common passwords', { ...valid, password: '1qaz2wsx3edc' }, [{ pointer: '/body/password', message: 'is one of the most commonly used passwords; choose another' }]],
      ['a common password in capitals', { ...valid, password: 'QAZWSXEDCRFV' }, [{ pointer: '/body/password', message: 'is one of the most commonly used passwords; choose another' }]],
      ['a password made of the username', { ...valid, password: 'never_written_2027' }, [{ pointer: '/body/password', message: 'must not contain the username' }]],
      ['an array body', [valid], [{ pointer: '/body', message: 'must be object' }]],
      ['malformed JSON', '{"username": "never_written",', [{ pointer: '/body', message: 'must be valid JSON' }]],
    ])('400 for %s', async (_label, body, errors) => {
      const answer = await api.createUser(body, typeof body === 'string' ? { 'Content-Type': 'application/json' } : undefined);

      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ type: 'urn:problem-type:validation-error', status: 400, instance: '/prod/users' });
      expect((answer.body as { errors: unknown[] }).errors).toEqual(expect.arrayContaining(errors));
      expect(await harness.scan('users')).not.toContainEqual(expect.objectContaining({ username }));
    });

    it('400 for a missing body', async () => {
      const answer = await api.createUser(undefined);

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ type: 'urn:problem-type:validation-error', errors: [{ pointer: '/body', message: 'is required' }] });
    });

    it('415 for a body that is not application/json', async () => {
      const answer = await api.createUser(JSON.stringify(valid), { 'Content-Type': 'text/plain' });

      expect(answer.status).toBe(415);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ type: 'urn:problem-type:unsupported-media-type', status: 415 });
      expect(await userItem(username)).toBeUndefined();
    });

    it('counts no registration', async () => {
      await api.createUser({ ...valid, extra: 1 });

      expect(metricNames(harness.stdout)).not.toContain('UserRegistered');
    });
  });
});
