import type { JsonObject } from './bundle';
import { collectOperations } from './collect-operations';
import { exampleRequest } from './emit-operations';

const ok = { '200': { description: 'ok' } };

function documentWith(paths: JsonObject): JsonObject {
  return {
    openapi: '3.0.3',
    paths,
    components: {
      schemas: {
        Id: { type: 'string', example: 'id-from-schema' },
        Thing: { type: 'object', example: { from: 'schema' } },
      },
      examples: { Shared: { value: { from: 'examples' } } },
    },
  };
}

const onlyOperation = (document: JsonObject) => {
  const [operation] = collectOperations(document);
  if (!operation) throw new Error('no operation');
  return operation;
};

describe('exampleRequest: the request the contract’s own examples make', () => {
  it('takes a parameter’s example, else its first examples entry, else its schema’s (through $ref)', () => {
    const document = documentWith({
      '/t/{a}/{b}/{c}': {
        get: {
          operationId: 'getThing',
          parameters: [
            {
              name: 'a',
              in: 'path',
              required: true,
              example: 'own',
              schema: { $ref: '#/components/schemas/Id' },
            },
            {
              name: 'b',
              in: 'path',
              required: true,
              examples: { first: { value: 7 }, second: { value: 8 } },
              schema: { type: 'integer' },
            },
            { name: 'c', in: 'path', required: true, schema: { $ref: '#/components/schemas/Id' } },
          ],
          responses: ok,
        },
      },
    });

    expect(exampleRequest(onlyOperation(document)).pathParameters).toEqual({
      a: 'own',
      b: '7',
      c: 'id-from-schema',
    });
  });

  it('keeps only required query parameters and headers, in the contract’s spelling', () => {
    const document = documentWith({
      '/t': {
        get: {
          operationId: 'listThings',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: true,
              schema: { type: 'integer', example: 20 },
            },
            { name: 'cursor', in: 'query', schema: { type: 'string', example: 'abc' } },
            {
              name: 'If-Match',
              in: 'header',
              required: true,
              schema: { type: 'string', example: '"v3"' },
            },
            { name: 'X-Optional', in: 'header', schema: { type: 'string', example: 'no' } },
          ],
          responses: ok,
        },
      },
    });

    const request = exampleRequest(onlyOperation(document));

    expect(request.queryStringParameters).toEqual({ limit: '20' });
    expect(request.headers).toEqual({ 'If-Match': '"v3"' });
    expect(request.body).toBeNull();
    expect(request.missing).toEqual([]);
  });

  it.each([
    {
      name: 'the media type’s example',
      media: { schema: { type: 'object' }, example: { from: 'media' } },
      want: { from: 'media' },
    },
    {
      name: 'its first examples entry ($ref)',
      media: {
        schema: { type: 'object' },
        examples: { one: { $ref: '#/components/examples/Shared' } },
      },
      want: { from: 'examples' },
    },
    {
      name: 'the body schema’s example',
      media: { schema: { $ref: '#/components/schemas/Thing' } },
      want: { from: 'schema' },
    },
  ] as { name: string; media: JsonObject; want: JsonObject }[])(
    'takes the body from $name',
    ({ media, want }) => {
      const document = documentWith({
        '/t': {
          put: {
            operationId: 'putThing',
            requestBody: { required: true, content: { 'application/json': media } },
            responses: ok,
          },
        },
      });

      expect(exampleRequest(onlyOperation(document)).body).toEqual(want);
    },
  );

  it('lists what it cannot fill instead of inventing it', () => {
    const document = documentWith({
      '/t/{id}': {
        post: {
          operationId: 'createThing',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'X-Key', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          responses: ok,
        },
      },
    });

    const request = exampleRequest(onlyOperation(document));

    expect(request.missing).toEqual(['path id', 'header X-Key', 'body']);
    expect(request.pathParameters).toEqual({});
  });
});
