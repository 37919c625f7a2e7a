import { validators, type ValidateFunction } from './index';

/** `instancePath keyword` of each error, sorted: what a 400 response's pointers are built from. */
function failures(validate: ValidateFunction, data: unknown): string[] {
  expect(validate(data)).toBe(false);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
}

const userId = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';

describe('putProfile body', () => {
  it.each([
    { name: 'a missing display name', given: { bio: 'hi' }, want: [' required'] },
    {
      name: 'an extra field',
      given: { displayName: 'Alice', location: null },
      want: [' additionalProperties'],
    },
    {
      name: 'a bio over 500 characters',
      given: { displayName: 'Alice', bio: 'b'.repeat(501) },
      want: ['/bio maxLength'],
    },
    {
      name: 'a display name over 64 characters',
      given: { displayName: 'A'.repeat(65) },
      want: ['/displayName maxLength'],
    },
    {
      name: 'an empty display name',
      given: { displayName: '' },
      want: ['/displayName minLength', '/displayName pattern'],
    },
    {
      name: 'a bio of the wrong type',
      given: { displayName: 'Alice', bio: 7 },
      want: ['/bio type'],
    },
  ])('rejects $name', ({ given, want }) => {
    expect(failures(validators.putProfile.body, given)).toEqual(want);
  });

  it('accepts an empty bio, which clears it', () => {
    expect(validators.putProfile.body({ displayName: 'Alice', bio: '' })).toBe(true);
  });
});

describe('putProfile parameters', () => {
  it.each(['"v3"', '*', 'W/"v3"', '"v1", "v2"'])('accepts If-Match %s under its lower-case name', (ifMatch) => {
    expect(
      validators.putProfile.parameters({
        path: { userId },
        query: {},
        header: { 'if-match': ifMatch },
      }),
    ).toBe(true);
  });

  it.each([
    { name: 'an empty If-Match', header: { 'if-match': '' }, want: ['/header/if-match pattern'] },
    {
      name: 'an If-Match over 100 characters',
      header: { 'if-match': `"${'x'.repeat(99)}"` },
      want: ['/header/if-match maxLength'],
    },
    { name: 'an If-Match that is not an entity tag', header: { 'if-match': 'v3' }, want: ['/header/if-match pattern'] },
    { name: 'an If-Match with a quote inside a tag', header: { 'if-match': '"a"b"' }, want: ['/header/if-match pattern'] },
  ])('rejects $name at /header/if-match', ({ header, want }) => {
    expect(
      failures(validators.putProfile.parameters, { path: { userId }, query: {}, header }),
    ).toEqual(want);
  });
});

describe('getProfile 200 response', () => {
  const profile = {
    userId,
    displayName: 'Alice',
    bio: '',
    location: null,
    updatedAt: '2026-11-26T08:00:00.000Z',
  };
  const located = { latitude: 1, longitude: 2, updatedAt: '2026-11-27T10:15:30.123Z' };

  it('accepts location: null (OpenAPI nullable) and a location object', () => {
    expect(validators.getProfile.responses['200'](profile)).toBe(true);
    expect(validators.getProfile.responses['200']({ ...profile, location: located })).toBe(true);
  });

  it.each([
    {
      name: 'a missing location (it must be present, possibly null)',
      given: { ...profile, location: undefined },
      want: [' required'],
    },
    {
      name: "a location with the location service's userId in it",
      given: { ...profile, location: { ...located, userId } },
      want: ['/location additionalProperties'],
    },
    {
      name: "a latitude out of range, checked with location's own schema",
      given: { ...profile, location: { ...located, latitude: -91 } },
      want: ['/location/latitude minimum'],
    },
    {
      name: 'an updatedAt that is not a date-time',
      given: { ...profile, updatedAt: 'yesterday' },
      want: ['/updatedAt format'],
    },
  ])('rejects $name', ({ given, want }) => {
    expect(
      failures(validators.getProfile.responses['200'], JSON.parse(JSON.stringify(given))),
    ).toEqual(want);
  });
});
