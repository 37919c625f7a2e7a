import { ValidationError } from '@sm/errors';
import { etagOf, parseIfMatch } from './etag';

describe('etagOf', () => {
  it('derives a strong entity tag from the version', () => {
    expect(etagOf(3)).toBe('"v3"');
  });
});

describe('parseIfMatch', () => {
  it.each([
    // given header, want precondition
    [undefined, { kind: 'none' }],
    ['*', { kind: 'exists' }],
    [' * ', { kind: 'exists' }],
    ['"v3"', { kind: 'version', versions: [3] }],
    ['"v3", "v4"', { kind: 'version', versions: [3, 4] }],
    ['"v3","v3"', { kind: 'version', versions: [3] }],
    [', "v7" ,', { kind: 'version', versions: [7] }],
    // If-Match compares strongly: a weak tag never matches.
    ['W/"v3"', { kind: 'version', versions: [] }],
    ['W/"v3", "v5"', { kind: 'version', versions: [5] }],
    // Well-formed tags we never issue match nothing.
    ['"abc"', { kind: 'version', versions: [] }],
    ['"v0"', { kind: 'version', versions: [] }],
    ['"v03"', { kind: 'version', versions: [] }],
    ['""', { kind: 'version', versions: [] }],
    ['"v1234567890123456"', { kind: 'version', versions: [] }],
  ])('reads %p as %j', (header, want) => {
    expect(parseIfMatch(header)).toEqual(want);
  });

  it.each(['v3', '"v3', 'v3"', '"v3" "v4"', '*, "v3"', '"v 3"', 'W/v3', ',', ' '])(
    'refuses %p as a 400 on /header/if-match',
    (header) => {
      let error: unknown;
      try {
        parseIfMatch(header);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        expect.objectContaining({ pointer: '/header/if-match' }),
      ]);
    },
  );
});
