import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBounded, findUnbounded, maxCompactJsonBytes, requestBodyLimitBytes } from './bounds';
import type { JsonObject } from './bundle';

const ROOT = join(__dirname, '..', '..', '..');
const document = (schemas: JsonObject, paths: JsonObject = {}): JsonObject => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths,
  components: { schemas },
});

describe('findUnbounded', () => {
  it.each([
    ['a string without maxLength', { type: 'string' }, ['string at #/components/schemas/S']],
    ['a string with maxLength', { type: 'string', maxLength: 3 }, []],
    ['an enumerated string', { type: 'string', enum: ['a', 'b'] }, []],
    ['an array without maxItems', { type: 'array', maxItems: undefined, items: { type: 'integer' } }, ['array at #/components/schemas/S']],
    ['an array of unbounded strings', { type: 'array', maxItems: 2, items: { type: 'string' } }, ['string at #/components/schemas/S/items']],
    [
      'a property deep inside an object',
      { type: 'object', properties: { 'a/b': { type: 'object', properties: { c: { type: 'string' } } } } },
      ['string at #/components/schemas/S/properties/a~1b/properties/c'],
    ],
    ['a nullable string', { type: 'string', nullable: true }, ['string at #/components/schemas/S']],
  ])('%s', (_label, schema, want) => {
    const found = findUnbounded(document({ S: JSON.parse(JSON.stringify(schema)) as JsonObject }));
    expect(found.map((u) => `${u.kind} at #${u.pointer}`)).toEqual(want);
  });

  it('finds parameters, headers and inline bodies, and ignores examples', () => {
    const doc = document(
      {},
      {
        '/x': {
          get: {
            parameters: [{ name: 'q', in: 'query', schema: { type: 'string' }, example: 'unbounded example' }],
            responses: {
              '200': {
                description: 'ok',
                headers: { ETag: { schema: { type: 'string' } } },
                content: { 'application/json': { schema: { type: 'array', items: { type: 'integer' } } } },
              },
            },
          },
        },
      },
    );
    expect(findUnbounded(doc).map((u) => u.pointer)).toEqual([
      '/paths/~1x/get/parameters/0/schema',
      '/paths/~1x/get/responses/200/headers/ETag/schema',
      '/paths/~1x/get/responses/200/content/application~1json/schema',
    ]);
  });

  it('finds nothing in any contract of this repository', () => {
    for (const name of ['auth', 'location', 'profile']) {
      const bundled = JSON.parse(readFileSync(join(ROOT, 'contracts', name, 'src/generated/openapi.json'), 'utf8')) as JsonObject;
      expect({ name, unbounded: findUnbounded(bundled) }).toEqual({ name, unbounded: [] });
    }
  });

  it('fails generation naming every unbounded value', () => {
    expect(() => checkBounded('pets', document({ A: { type: 'string' }, B: { type: 'array', items: { type: 'integer' } } }))).toThrow(
      /contract pets: every string needs a maxLength and every array a maxItems[\s\S]*string at #\/components\/schemas\/A\n {2}array at #\/components\/schemas\/B/,
    );
  });
});

describe('maxCompactJsonBytes', () => {
  const size = (schema: JsonObject, schemas: JsonObject = {}) => maxCompactJsonBytes(document(schemas), schema, 'S');

  it.each([
    ['a string of 3 (each character up to a surrogate pair escaped, 12 bytes)', { type: 'string', maxLength: 3 }, 2 + 36],
    ['an enum (its longest value)', { type: 'string', enum: ['a', 'abcd'] }, 6],
    ['a number', { type: 'number' }, 24],
    ['a nullable boolean', { type: 'boolean', nullable: true }, 5],
    ['an array of 2 integers', { type: 'array', maxItems: 2, items: { type: 'integer' } }, 2 + 24 * 2 + 1],
    [
      'a closed object',
      { type: 'object', additionalProperties: false, properties: { a: { type: 'integer' }, bc: { type: 'boolean' } } },
      2 + (3 + 1 + 24) + 1 + (4 + 1 + 5),
    ],
  ])('%s', (_label, schema, want) => {
    expect(size(schema as JsonObject)).toBe(want);
  });

  it('follows $refs', () => {
    expect(size({ $ref: '#/components/schemas/N' }, { N: { type: 'string', maxLength: 1 } })).toBe(14);
  });

  it.each([
    ['an unbounded string', { type: 'string' }, /S: a string without maxLength/],
    ['an open object', { type: 'object', properties: {} }, /S: an object that allows additional properties has no size bound/],
    ['an untyped schema', {}, /S: a schema without a type/],
  ])('refuses %s', (_label, schema, error) => {
    expect(() => size(schema as JsonObject)).toThrow(error);
  });

  it('is never below the longest valid body a client can write', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 8 }, n: { type: 'number' } } };
    // Eight emoji, each escaped as a surrogate pair, and the longest number text.
    const longest = `{"name":"${'\\ud83d\\ude00'.repeat(8)}","n":-1.2345678901234567e-308}`;
    expect(JSON.parse(longest)).toEqual({ name: '\u{1F600}'.repeat(8), n: -1.2345678901234567e-308 });
    expect(Buffer.byteLength(longest)).toBe(size(schema as JsonObject));
  });
});

describe('requestBodyLimitBytes', () => {
  it('is twice the largest compact body plus 1 KiB, in whole KiB', () => {
    const doc = document({ B: { type: 'object', additionalProperties: false, properties: { a: { type: 'string', maxLength: 100 } } } });
    // compact: {"a":"…"} = 2 + 3 + 1 + (2 + 1200) = 1208 → 2 × 1208 + 1024 = 3440 → 4 KiB
    expect(requestBodyLimitBytes(doc, 'putB', { schema: { $ref: '#/components/schemas/B' } })).toBe(4096);
  });
});
