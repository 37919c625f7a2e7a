import { ValidationError } from '@sm/errors';
import { createCursorCodec } from './cursor-codec';

const codec = createCursorCodec({ attributes: { userId: 'S', sk: 'S' } });
const numeric = createCursorCodec({
  attributes: { userId: 'S', at: 'N' },
  pointer: '/query/after',
});
const encodeRaw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const expectInvalid = (decode: () => unknown, pointer = '/query/cursor') => {
  let thrown: unknown;
  try {
    decode();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  expect((thrown as ValidationError).status).toBe(400);
  expect((thrown as ValidationError).errors).toEqual([
    { pointer, message: 'is not a valid cursor' },
  ]);
};

describe('createCursorCodec', () => {
  it('round-trips a LastEvaluatedKey through an opaque base64url cursor', () => {
    // Prepare
    const key = { userId: 'u-1', sk: 'H#2026-11-27T10:15:30.123Z#1f3a' };

    // Act
    const cursor = codec.encode(key);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('u-1');
    expect(codec.decode(cursor)).toEqual(key);
  });

  it('keeps number attributes as numbers', () => {
    // Act
    const decoded = numeric.decode(numeric.encode({ at: 1764238530123, userId: 'u-1' }));

    // Assess
    expect(decoded).toEqual({ userId: 'u-1', at: 1764238530123 });
  });

  it.each([
    ['a number instead of a string', 42],
    ['an empty string', ''],
    ['a string longer than the limit', 'A'.repeat(1025)],
    [
      'standard base64 characters',
      encodeRaw('{"userId":"u-1","sk":"H#1"}').replace(/_/g, '/') + '+',
    ],
    ['padding', `${encodeRaw('{"userId":"u","sk":"s"}')}==`],
    ['text that is not JSON', encodeRaw('userId=u-1')],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')],
    ['a JSON array', encodeRaw('["u-1","H#1"]')],
    ['JSON null', encodeRaw('null')],
    ['a missing attribute', encodeRaw('{"userId":"u-1"}')],
    ['an extra attribute', encodeRaw('{"userId":"u-1","sk":"H#1","admin":true}')],
    ['a wrongly typed attribute', encodeRaw('{"userId":"u-1","sk":7}')],
    ['an empty key string', encodeRaw('{"userId":"","sk":"H#1"}')],
    ['a nested object as a key', encodeRaw('{"userId":{"S":"u-1"},"sk":"H#1"}')],
    ['a prototype-polluting key', encodeRaw('{"userId":"u-1","sk":"H#1","__proto__":{"x":1}}')],
  ])('rejects %s with a 400 that points at the cursor', (_, cursor) => {
    expectInvalid(() => codec.decode(cursor));
  });

  it('rejects a non-canonical encoding that would decode to a valid key', () => {
    // Prepare: 31 bytes of JSON leave unused bits in the last character; set one of them.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const valid = codec.encode({ userId: 'u-1', sk: 'H#12345' });
    const last = alphabet.indexOf(valid.slice(-1));
    const tampered = `${valid.slice(0, -1)}${alphabet[last | 1]}`;
    expect(Buffer.from(tampered, 'base64url')).toEqual(Buffer.from(valid, 'base64url'));
    expect(tampered).not.toBe(valid);

    // Act + Assess
    expectInvalid(() => codec.decode(tampered));
  });

  it('rejects a string where a number attribute belongs, pointing where the options say', () => {
    expectInvalid(
      () => numeric.decode(encodeRaw('{"userId":"u-1","at":"1764238530123"}')),
      '/query/after',
    );
  });

  it('refuses to encode a key of another shape, which is a programming error rather than a client one', () => {
    // Act
    const encode = () => codec.encode({ userId: 'u-1' });

    // Assess
    expect(encode).toThrow('key does not have the attributes userId, sk');
    expect(encode).not.toThrow(ValidationError);
  });
});
