import { validators, type ValidateFunction } from './index';

/** `instancePath keyword` of each error, sorted: what a 400 response's pointers are built from. */
function failures(validate: ValidateFunction, data: unknown): string[] {
  expect(validate(data)).toBe(false);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
}

const userId = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const fix = { latitude: 52.520008, longitude: 13.404954, accuracy: 12.5 };

describe('putLocation body', () => {
  it.each([
    { name: 'a missing longitude', given: { latitude: 1 }, want: [' required'] },
    { name: 'an extra field', given: { ...fix, altitude: 30 }, want: [' additionalProperties'] },
    {
      name: 'a latitude above 90',
      given: { ...fix, latitude: 90.000001 },
      want: ['/latitude maximum'],
    },
    {
      name: 'a longitude below -180',
      given: { ...fix, longitude: -180.5 },
      want: ['/longitude minimum'],
    },
    { name: 'a negative accuracy', given: { ...fix, accuracy: -1 }, want: ['/accuracy minimum'] },
    {
      name: 'an accuracy over 100 km',
      given: { ...fix, accuracy: 100001 },
      want: ['/accuracy maximum'],
    },
    {
      name: 'a latitude sent as a string (bodies are never coerced)',
      given: { ...fix, latitude: '52.5' },
      want: ['/latitude type'],
    },
    { name: 'null instead of an object', given: null, want: [' type'] },
  ])('rejects $name', ({ given, want }) => {
    expect(failures(validators.putLocation.body, given)).toEqual(want);
  });

  it('accepts the bounds themselves', () => {
    expect(validators.putLocation.body({ latitude: -90, longitude: 180, accuracy: 0 })).toBe(true);
  });
});

describe('listLocationHistory parameters', () => {
  it('coerces limit "20" to the number 20 in place', () => {
    const request = { path: { userId }, query: { limit: '20' }, header: {} };

    expect(validators.listLocationHistory.parameters(request)).toBe(true);
    expect(request.query).toEqual({ limit: 20 });
  });

  it('fills the default limit of 20 when none is sent, and the missing groups', () => {
    const request: Record<string, unknown> = { path: { userId } };

    expect(validators.listLocationHistory.parameters(request)).toBe(true);
    expect(request).toEqual({ path: { userId }, query: { limit: 20 }, header: {} });
  });

  it('keeps an unknown query parameter: clients and gateways add their own', () => {
    expect(
      validators.listLocationHistory.parameters({
        path: { userId },
        query: { utm: 'x' },
        header: {},
      }),
    ).toBe(true);
  });

  it.each([
    { name: 'a limit of 0', query: { limit: '0' }, want: ['/query/limit minimum'] },
    { name: 'a limit of 101', query: { limit: '101' }, want: ['/query/limit maximum'] },
    { name: 'a limit that is not a number', query: { limit: 'ten' }, want: ['/query/limit type'] },
    { name: 'a fractional limit', query: { limit: '2.5' }, want: ['/query/limit type'] },
    {
      name: 'a cursor with characters outside base64url',
      query: { cursor: 'a+b/c=' },
      want: ['/query/cursor pattern'],
    },
    {
      name: 'an empty cursor',
      query: { cursor: '' },
      want: ['/query/cursor minLength', '/query/cursor pattern'],
    },
    {
      name: 'a cursor over 1024 characters',
      query: { cursor: 'a'.repeat(1025) },
      want: ['/query/cursor maxLength'],
    },
  ])('rejects $name at its /query pointer', ({ query, want }) => {
    expect(
      failures(validators.listLocationHistory.parameters, { path: { userId }, query, header: {} }),
    ).toEqual(want);
  });

  it.each([
    {
      name: 'a user id that is not a UUID',
      path: { userId: 'alice' },
      want: ['/path/userId minLength', '/path/userId pattern'],
    },
    { name: 'a missing user id', path: {}, want: ['/path required'] },
  ])('rejects $name at /path', ({ path, want }) => {
    expect(failures(validators.getLocation.parameters, { path, query: {}, header: {} })).toEqual(
      want,
    );
  });
});

describe('responses', () => {
  const item = { userId, latitude: 1, longitude: 2, updatedAt: '2026-11-27T10:15:30.123Z' };

  it('accept a last page whose nextCursor is null (OpenAPI nullable)', () => {
    expect(
      validators.listLocationHistory.responses['200']({ items: [item], nextCursor: null }),
    ).toBe(true);
  });

  it.each([
    { name: 'a page without nextCursor', given: { items: [] }, want: [' required'] },
    {
      name: 'a nextCursor the cursor parameter would refuse',
      given: { items: [item], nextCursor: 'a+b/c=' },
      want: ['/nextCursor pattern'],
    },
    {
      name: 'more than 100 items',
      given: { items: Array.from({ length: 101 }, () => item), nextCursor: null },
      want: ['/items maxItems'],
    },
    {
      name: 'an item with a bad timestamp',
      given: { items: [{ ...item, updatedAt: '27/11/2026' }], nextCursor: null },
      want: ['/items/0/updatedAt format'],
    },
  ])('reject $name', ({ given, want }) => {
    expect(failures(validators.listLocationHistory.responses['200'], given)).toEqual(want);
  });
});
