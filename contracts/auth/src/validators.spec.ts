import { validators, type ValidateFunction } from './index';

/** `instancePath keyword` of each error, sorted: what a 400 response's pointers are built from. */
function failures(validate: ValidateFunction, data: unknown): string[] {
  expect(validate(data)).toBe(false);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
}

const user = {
  username: 'alice_01',
  password: 'correct horse battery staple',
  displayName: 'Alice',
};
const { password: _password, ...withoutPassword } = user;

describe('createUser body', () => {
  it.each([
    { name: 'a missing field', given: withoutPassword, want: [' required'] },
    { name: 'an extra field', given: { ...user, admin: true }, want: [' additionalProperties'] },
    {
      name: 'a password over 128 characters',
      given: { ...user, password: 'x'.repeat(129) },
      want: ['/password maxLength'],
    },
    {
      name: 'a password under 12 characters',
      given: { ...user, password: 'x'.repeat(11) },
      want: ['/password minLength'],
    },
    {
      name: 'a username with upper case and punctuation',
      given: { ...user, username: 'Alice!' },
      want: ['/username pattern'],
    },
    {
      name: 'a display name of the wrong type',
      given: { ...user, displayName: 42 },
      want: ['/displayName type'],
    },
    {
      name: 'a display name with surrounding space',
      given: { ...user, displayName: ' Alice' },
      want: ['/displayName pattern'],
    },
    {
      name: 'a display name with a line break',
      given: { ...user, displayName: 'Al\nice' },
      want: ['/displayName pattern'],
    },
    { name: 'an array instead of an object', given: [user], want: [' type'] },
  ])('rejects $name, pointing at the field', ({ given, want }) => {
    expect(failures(validators.createUser.body, given)).toEqual(want);
  });

  it('names the missing property in the error', () => {
    validators.createUser.body(withoutPassword);

    expect(validators.createUser.body.errors?.[0]?.params).toEqual({ missingProperty: 'password' });
  });

  it('lists every failing field at once', () => {
    expect(
      failures(validators.createUser.body, { username: 'A', password: 'short', displayName: '' }),
    ).toEqual([
      '/displayName minLength',
      '/displayName pattern',
      '/password minLength',
      '/username minLength',
      '/username pattern',
    ]);
  });

  it('counts characters, not UTF-16 units: 64 emoji are a valid display name, 65 are not', () => {
    expect(validators.createUser.body({ ...user, displayName: '🚲'.repeat(64) })).toBe(true);
    expect(failures(validators.createUser.body, { ...user, displayName: '🚲'.repeat(65) })).toEqual(
      ['/displayName maxLength'],
    );
  });

  it('does not coerce body values: a number is not a string', () => {
    expect(
      failures(validators.createToken.body, { username: 'alice_01', password: 123456789012345 }),
    ).toEqual(['/password type']);
  });
});

describe('createToken response', () => {
  const token = {
    token: '8yYc1mYfF3k1o6aQb5n2xv0lq9r7s4t3u2w1z0a9b8c',
    tokenType: 'Bearer',
    expiresAt: '2026-11-27T11:15:30.123Z',
    userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
  };

  it.each([
    {
      name: 'a token type other than Bearer',
      given: { ...token, tokenType: 'Basic' },
      want: ['/tokenType enum'],
    },
    {
      name: 'an expiry that is not a date-time',
      given: { ...token, expiresAt: 'tomorrow' },
      want: ['/expiresAt format'],
    },
    {
      name: 'a token of the wrong length',
      given: { ...token, token: 'abc' },
      want: ['/token minLength', '/token pattern'],
    },
    {
      name: 'an upper-case user id',
      given: { ...token, userId: token.userId.toUpperCase() },
      want: ['/userId pattern'],
    },
  ])('rejects $name', ({ given, want }) => {
    expect(validators.createToken.responses['201'](token)).toBe(true);
    expect(failures(validators.createToken.responses['201'], given)).toEqual(want);
  });

  it('accepts only problem+json bodies as errors', () => {
    const problem = {
      type: 'urn:problem-type:invalid-credentials',
      title: 'Invalid Credentials',
      status: 401,
    };

    expect(validators.createToken.responses['401'](problem)).toBe(true);
    expect(failures(validators.createToken.responses['401'], { ...problem, status: 200 })).toEqual([
      '/status minimum',
    ]);
  });
});

describe('parameters', () => {
  it('accept a request without parameters and fill the empty groups', () => {
    const request: Record<string, unknown> = {};

    expect(validators.revokeCurrentToken.parameters(request)).toBe(true);
    expect(request).toEqual({ path: {}, query: {}, header: {} });
  });
});
