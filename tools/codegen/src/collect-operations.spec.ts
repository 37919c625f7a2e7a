import type { JsonObject } from './bundle';
import { collectOperations } from './collect-operations';

const ok = {
  '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
};

function documentWith(paths: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    openapi: '3.0.3',
    paths,
    components: {
      parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
      schemas: { Thing: { type: 'object', additionalProperties: false } },
      responses: { Gone: { description: 'gone' } },
    },
    ...extra,
  };
}

describe('collectOperations', () => {
  it.each([
    {
      name: 'global security applies',
      global: [{ bearerAuth: [] }],
      operation: undefined,
      want: true,
    },
    {
      name: 'security: [] on the operation opens it',
      global: [{ bearerAuth: [] }],
      operation: [],
      want: false,
    },
    {
      name: 'operation security secures it',
      global: undefined,
      operation: [{ bearerAuth: [] }],
      want: true,
    },
    {
      name: 'an empty requirement makes auth optional',
      global: [{ bearerAuth: [] }, {}],
      operation: undefined,
      want: false,
    },
    { name: 'no security anywhere', global: undefined, operation: undefined, want: false },
  ] as { name: string; global?: JsonObject[]; operation?: JsonObject[]; want: boolean }[])(
    'secured: $name',
    ({ global, operation, want }) => {
      const op: JsonObject = { operationId: 'getThing', responses: ok };
      if (operation) op['security'] = operation;
      const document = documentWith({ '/t': { get: op } }, global ? { security: global } : {});

      expect(collectOperations(document)[0]?.secured).toBe(want);
    },
  );

  it('merges path-level and operation-level parameters, the operation winning', () => {
    const document = documentWith({
      '/t/{id}': {
        parameters: [
          { $ref: '#/components/parameters/Id' },
          { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
        ],
        get: {
          operationId: 'getThing',
          parameters: [
            { name: 'x-trace', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: ok,
        },
      },
    });

    expect(
      collectOperations(document)[0]?.parameters.map(({ name, in: location, required }) => ({
        name,
        location,
        required,
      })),
    ).toEqual([
      { name: 'id', location: 'path', required: true },
      { name: 'x-trace', location: 'header', required: true },
      { name: 'limit', location: 'query', required: false },
    ]);
  });

  it('names a body model after its component, or after the operation for an inline schema', () => {
    const body = (schema: JsonObject) => ({
      required: true,
      content: { 'application/json': { schema } },
    });
    const document = documentWith({
      '/a': {
        put: {
          operationId: 'putA',
          requestBody: body({ $ref: '#/components/schemas/Thing' }),
          responses: ok,
        },
      },
      '/b': {
        post: { operationId: 'createB', requestBody: body({ type: 'object', additionalProperties: false }), responses: ok },
      },
    });

    expect(collectOperations(document).map((o) => o.requestBody?.model)).toEqual([
      'Thing',
      'CreateBRequest',
    ]);
  });

  it('resolves response $refs and marks a response without content as having no body', () => {
    const document = documentWith({
      '/t': {
        delete: {
          operationId: 'deleteThing',
          responses: {
            '204': { description: 'done' },
            '410': { $ref: '#/components/responses/Gone' },
          },
        },
      },
    });

    expect(collectOperations(document)[0]?.responses).toEqual([
      { status: '204', contentType: null, schema: null },
      { status: '410', contentType: null, schema: null },
    ]);
  });

  it.each([
    {
      name: 'a missing operationId',
      paths: { '/t': { get: { responses: ok } } },
      want: 'GET /t: needs an alphanumeric operationId',
    },
    {
      name: 'a duplicated operationId',
      paths: {
        '/a': { get: { operationId: 'x', responses: ok } },
        '/b': { get: { operationId: 'x', responses: ok } },
      },
      want: 'operationId "x" is used twice',
    },
    {
      name: 'two media types for one body',
      paths: {
        '/t': {
          post: {
            operationId: 'postT',
            requestBody: {
              content: { 'application/json': { schema: {} }, 'text/plain': { schema: {} } },
            },
            responses: ok,
          },
        },
      },
      want: 'POST /t requestBody: declare exactly one media type (found 2)',
    },
    {
      name: 'a status range instead of a status',
      paths: {
        '/t': { get: { operationId: 'getT', responses: { '2XX': { description: 'ok' } } } },
      },
      want: 'response "2XX" must be an explicit status code',
    },
    {
      name: 'a cookie parameter',
      paths: {
        '/t': {
          get: {
            operationId: 'getT',
            parameters: [{ name: 's', in: 'cookie', schema: {} }],
            responses: ok,
          },
        },
      },
      want: 'parameter "s" in "cookie" is not supported',
    },
  ] as { name: string; paths: JsonObject; want: string }[])(
    'fails with a clear message on $name',
    ({ paths, want }) => {
      expect(() => collectOperations(documentWith(paths))).toThrow(want);
    },
  );
});
