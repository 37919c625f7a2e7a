import { diffSchemas } from './schema-diff';
import type { Direction, JsonValue } from './types';

const codes = (base: JsonValue, head: JsonValue, direction: Direction) =>
  diffSchemas(base, head, direction, 'here').map((c) => `${c.class} ${c.code}`);

describe('diffSchemas', () => {
  it('judges the same narrowing from both sides: breaking for requests, compatible for responses', () => {
    const base = { type: 'string', maxLength: 64 };
    const head = { type: 'string', maxLength: 32 };

    expect(codes(base, head, 'request')).toEqual(['breaking request-maxLength-narrowed']);
    expect(codes(base, head, 'response')).toEqual(['non-breaking response-maxLength-narrowed']);
  });

  it('sees no change when a schema is refactored into an equivalent allOf', () => {
    const base = {
      type: 'object',
      required: ['a', 'b'],
      properties: { a: { type: 'string' }, b: { type: 'integer', maximum: 5 } },
    };
    const head: JsonValue = {
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { type: 'object', required: ['b'], properties: { b: { type: 'integer', maximum: 5 } } },
      ],
    };

    expect(codes(base, head, 'request')).toEqual([]);
    expect(codes(base, head, 'response')).toEqual([]);
  });

  it('still finds a change hidden inside an allOf member', () => {
    const base = { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }] };
    const head = {
      allOf: [{ type: 'object', properties: { a: { type: 'string', maxLength: 3 } } }],
    };

    expect(codes(base, head, 'request')).toEqual(['breaking request-maxLength-narrowed']);
  });

  it('treats an added oneOf branch as a widening and a removed one as a narrowing', () => {
    const one = { oneOf: [{ type: 'string' }] };
    const two = { oneOf: [{ type: 'string' }, { type: 'integer' }] };

    expect(codes(one, two, 'response')).toEqual(['breaking response-oneOf-widened']);
    expect(codes(two, one, 'request')).toEqual(['breaking request-oneOf-narrowed']);
    expect(codes(one, two, 'request')).toEqual(['non-breaking request-oneOf-widened']);
  });

  it('understands OpenAPI 3.1 type arrays and numeric exclusive bounds', () => {
    expect(codes({ type: ['string', 'null'] }, { type: 'string' }, 'request')).toEqual([
      'breaking request-type-narrowed',
    ]);
    expect(
      codes({ type: 'number', minimum: 0 }, { type: 'number', exclusiveMinimum: 0 }, 'request'),
    ).toEqual(['breaking request-minimum-narrowed']);
    expect(
      codes({ type: 'number', exclusiveMaximum: 10 }, { type: 'number', maximum: 10 }, 'request'),
    ).toEqual(['non-breaking request-maximum-widened']);
  });

  it('compares multipleOf by divisibility', () => {
    expect(codes({ multipleOf: 2 }, { multipleOf: 4 }, 'request')).toEqual([
      'breaking request-multipleOf-narrowed',
    ]);
    expect(codes({ multipleOf: 4 }, { multipleOf: 2 }, 'request')).toEqual([
      'non-breaking request-multipleOf-widened',
    ]);
    expect(codes({ multipleOf: 2 }, { multipleOf: 3 }, 'response')).toEqual([
      'breaking response-multipleOf-changed',
    ]);
  });

  it('walks into array items', () => {
    const base = { type: 'array', items: { type: 'string', enum: ['a', 'b'] } };
    const head = { type: 'array', items: { type: 'string', enum: ['a'] } };

    const changes = diffSchemas(base, head, 'request', 'body');

    expect(changes).toEqual([
      expect.objectContaining({
        class: 'breaking',
        code: 'request-enum-narrowed',
        location: 'body › []',
      }),
    ]);
  });

  it('ignores readOnly properties in requests, where clients never send them', () => {
    const base = {
      type: 'object',
      properties: { id: { type: 'string', readOnly: true } },
      required: ['id'],
    };
    const head = {
      type: 'object',
      properties: { id: { type: 'integer', readOnly: true } },
      required: ['id'],
    };

    expect(codes(base, head, 'request')).toEqual([]);
    expect(codes(base, head, 'response')).toEqual(['breaking response-type-changed']);
  });

  it('counts a field turning readOnly as removed from the request', () => {
    const base = { type: 'object', properties: { id: { type: 'string' } } };
    const head = { type: 'object', properties: { id: { type: 'string', readOnly: true } } };

    expect(codes(base, head, 'request')).toEqual(['breaking request-property-removed']);
  });

  it('fails closed on a keyword it does not understand', () => {
    const base = { type: 'object', discriminator: { propertyName: 'kind' } };
    const head = { type: 'object', discriminator: { propertyName: 'type' } };

    expect(codes(base, head, 'response')).toEqual(['breaking unclassified-schema-change']);
  });

  it('reports documentation and extension changes as non-breaking', () => {
    const base = { type: 'string', description: 'old', example: 'a', 'x-internal': 1 };
    const head = { type: 'string', description: 'new', example: 'b', 'x-internal': 2 };

    expect(codes(base, head, 'request')).toEqual([
      'non-breaking documentation-changed',
      'non-breaking documentation-changed',
      'non-breaking extension-changed',
    ]);
  });
});
