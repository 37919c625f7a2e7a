import AjvDraft04 from 'ajv-draft-04';
import type { Json, JsonObject } from './bundle';
import { actions, draft4SchemaUri, toDraft4Model, type ReportEntry } from './draft4';

/** A bundled document holding the given component schemas. */
function documentWith(schemas: JsonObject): JsonObject {
  return { openapi: '3.0.3', paths: {}, components: { schemas } };
}

/** The model's schema without the `$schema` / `title` every model gets. */
function body(schema: JsonObject): JsonObject {
  const { $schema: _schema, title: _title, ...rest } = schema;
  return rest;
}

interface Case {
  readonly name: string;
  readonly given: Json;
  readonly components?: JsonObject;
  readonly want: JsonObject;
  readonly report?: ReadonlyArray<Pick<ReportEntry, 'pointer' | 'keyword' | 'action'>>;
}

const cases: Case[] = [
  {
    name: 'keeps every draft-4 keyword that travels',
    given: {
      type: 'object',
      description: 'd',
      required: ['a'],
      additionalProperties: false,
      properties: {
        a: { type: 'string', minLength: 1, maxLength: 3, pattern: '^[a-z]+$', enum: ['ab', 'abc'] },
        n: { type: 'integer', minimum: 1, maximum: 9, multipleOf: 2, default: 2 },
        list: {
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          maxItems: 2,
          uniqueItems: true,
        },
        any: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        all: { allOf: [{ type: 'string' }], not: { enum: ['x'] } },
      },
    },
    want: {
      type: 'object',
      description: 'd',
      required: ['a'],
      additionalProperties: false,
      properties: {
        a: { type: 'string', minLength: 1, maxLength: 3, pattern: '^[a-z]+$', enum: ['ab', 'abc'] },
        n: { type: 'integer', minimum: 1, maximum: 9, multipleOf: 2, default: 2 },
        list: {
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          maxItems: 2,
          uniqueItems: true,
        },
        any: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        all: { allOf: [{ type: 'string' }], not: { enum: ['x'] } },
      },
    },
    report: [],
  },
  {
    name: 'turns nullable into a type array',
    given: { type: 'string', nullable: true, maxLength: 4 },
    want: { type: ['string', 'null'], maxLength: 4 },
    report: [],
  },
  {
    name: 'adds null to an enum that is nullable',
    given: { type: 'string', enum: ['a', 'b'], nullable: true },
    want: { type: ['string', 'null'], enum: ['a', 'b', null] },
    report: [],
  },
  {
    name: 'drops nullable: false, which changes nothing',
    given: { type: 'number', nullable: false },
    want: { type: 'number' },
    report: [],
  },
  {
    name: 'inlines $refs, nested ones too, so the model is self-contained',
    components: {
      Outer: { type: 'object', properties: { inner: { $ref: '#/components/schemas/Inner' } } },
      Inner: { type: 'string', nullable: true, maxLength: 2 },
    },
    given: { type: 'object', properties: { outer: { $ref: '#/components/schemas/Outer' } } },
    want: {
      type: 'object',
      properties: {
        outer: {
          type: 'object',
          properties: { inner: { type: ['string', 'null'], maxLength: 2 } },
        },
      },
    },
    report: [],
  },
  {
    name: 'reports keywords beside a $ref, which OpenAPI 3.0 ignores',
    components: { Name: { type: 'string' } },
    given: {
      type: 'object',
      properties: { n: { $ref: '#/components/schemas/Name', description: 'ignored' } },
    },
    want: { type: 'object', properties: { n: { type: 'string' } } },
    report: [
      { pointer: '/properties/n/description', keyword: 'description', action: actions.refSibling },
    ],
  },
  {
    name: 'drops and reports format',
    given: {
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time', maxLength: 30 } },
    },
    want: { type: 'object', properties: { at: { type: 'string', maxLength: 30 } } },
    report: [{ pointer: '/properties/at/format', keyword: 'format', action: actions.format }],
  },
  {
    name: 'drops and reports oneOf and discriminator',
    given: {
      oneOf: [{ type: 'string' }, { type: 'number' }],
      discriminator: { propertyName: 'kind' },
    },
    want: {},
    report: [
      { pointer: '/discriminator', keyword: 'discriminator', action: actions.discriminator },
      { pointer: '/oneOf', keyword: 'oneOf', action: actions.oneOf },
    ],
  },
  {
    name: 'keeps the OpenAPI 3.0 boolean exclusiveMinimum, which is draft 4',
    given: { type: 'number', minimum: 0, exclusiveMinimum: true },
    want: { type: 'number', minimum: 0, exclusiveMinimum: true },
    report: [],
  },
  {
    name: 'converts a numeric exclusiveMinimum to the draft-4 form and reports it',
    given: { type: 'number', exclusiveMinimum: 0 },
    want: { type: 'number', exclusiveMinimum: true, minimum: 0 },
    report: [
      {
        pointer: '/exclusiveMinimum',
        keyword: 'exclusiveMinimum',
        action: actions.exclusiveBound('minimum', 0),
      },
    ],
  },
  {
    name: 'keeps the stricter bound when a numeric exclusiveMaximum is looser than maximum',
    given: { type: 'number', maximum: 5, exclusiveMaximum: 10 },
    want: { type: 'number', maximum: 5 },
    report: [
      {
        pointer: '/exclusiveMaximum',
        keyword: 'exclusiveMaximum',
        action: actions.exclusiveImplied('maximum'),
      },
    ],
  },
  {
    name: 'drops and reports annotations: example, readOnly, x- extensions',
    given: {
      type: 'object',
      properties: { id: { type: 'string', readOnly: true, example: 'abc', 'x-internal': true } },
    },
    want: { type: 'object', properties: { id: { type: 'string' } } },
    report: [
      { pointer: '/properties/id/example', keyword: 'example', action: actions.annotation },
      { pointer: '/properties/id/readOnly', keyword: 'readOnly', action: actions.annotation },
      { pointer: '/properties/id/x-internal', keyword: 'x-internal', action: actions.annotation },
    ],
  },
  {
    name: 'drops and reports a keyword draft 4 does not know',
    given: { type: 'string', const: 'fixed' },
    want: { type: 'string' },
    report: [{ pointer: '/const', keyword: 'const', action: actions.unknown }],
  },
  {
    name: 'treats property names as data, not keywords',
    given: {
      type: 'object',
      properties: { format: { type: 'string' }, example: { type: 'number' } },
    },
    want: {
      type: 'object',
      properties: { format: { type: 'string' }, example: { type: 'number' } },
    },
    report: [],
  },
  {
    name: 'drops an empty required list, which draft 4 forbids and which means nothing',
    given: { type: 'object', required: [], properties: {} },
    want: { type: 'object', properties: {} },
    report: [],
  },
  {
    name: 'escapes pointers to properties with / or ~ in their names',
    given: { type: 'object', properties: { 'a/b~c': { type: 'string', format: 'uuid' } } },
    want: { type: 'object', properties: { 'a/b~c': { type: 'string' } } },
    report: [{ pointer: '/properties/a~1b~0c/format', keyword: 'format', action: actions.format }],
  },
];

describe('toDraft4Model', () => {
  it.each(cases)('$name', ({ given, components, want, report }) => {
    const result = toDraft4Model(documentWith(components ?? {}), given, 'TestModel');

    expect(body(result.schema)).toEqual(want);
    const sorted = [...result.report].sort((a, b) => (a.pointer < b.pointer ? -1 : 1));
    expect(sorted).toEqual((report ?? []).map((entry) => ({ model: 'TestModel', ...entry })));
  });

  it('names the model in title and declares draft 4 first', () => {
    const { schema } = toDraft4Model(documentWith({}), { type: 'object', title: 'Ignored' }, 'Pet');

    expect(Object.keys(schema).slice(0, 2)).toEqual(['$schema', 'title']);
    expect(schema).toMatchObject({ $schema: draft4SchemaUri, title: 'Pet' });
  });

  it('refuses a recursive schema, naming the cycle, since a model cannot inline it', () => {
    const document = documentWith({
      Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } },
    });

    expect(() => toDraft4Model(document, { $ref: '#/components/schemas/Node' }, 'Tree')).toThrow(
      'Tree: schema Node → Node is recursive',
    );
  });

  it('fails on a $ref it cannot resolve', () => {
    expect(() =>
      toDraft4Model(documentWith({}), { $ref: '#/components/schemas/Missing' }, 'M'),
    ).toThrow('cannot resolve $ref');
  });

  it('produces schemas a draft-4 validator compiles, with nullable honoured', () => {
    const document = documentWith({ Cursor: { type: 'string', nullable: true, maxLength: 3 } });
    const { schema } = toDraft4Model(
      document,
      {
        type: 'object',
        required: ['cursor', 'n'],
        additionalProperties: false,
        properties: {
          cursor: { $ref: '#/components/schemas/Cursor' },
          n: { type: 'number', exclusiveMinimum: 0 },
        },
      },
      'Page',
    );
    const validate = new AjvDraft04({ allErrors: true }).compile(schema);

    expect(validate({ cursor: null, n: 1 })).toBe(true);
    expect(validate({ cursor: 'abcd', n: 1 })).toBe(false);
    expect(validate({ cursor: 'ab', n: 0 })).toBe(false);
    expect(validate({ cursor: 'ab', n: 1, extra: true })).toBe(false);
  });
});
