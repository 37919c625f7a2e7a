/**
 * A small contract in the shape tools/codegen generates (operation manifest + API Gateway models),
 * for the construct tests. libs/infra must not import a real contract, even in tests: Nx would
 * then treat every service as affected by that contract.
 */
export const notesContract = {
  title: 'Notes (test fixture)',
  operationManifest: {
    createNote: {
      operationId: 'createNote',
      method: 'POST',
      path: '/notes',
      secured: false,
      requestBody: { required: true, contentType: 'application/json', model: 'CreateNoteRequest' },
      responses: { '201': 'application/json', '400': 'application/problem+json', '500': 'application/problem+json' },
    },
    getNote: {
      operationId: 'getNote',
      method: 'GET',
      path: '/notes/{noteId}',
      secured: true,
      requestBody: null,
      responses: { '200': 'application/json', '401': 'application/problem+json', '404': 'application/problem+json', '500': 'application/problem+json' },
    },
    putNote: {
      operationId: 'putNote',
      method: 'PUT',
      path: '/notes/{noteId}',
      secured: true,
      requestBody: { required: true, contentType: 'application/json', model: 'PutNoteRequest' },
      responses: { '200': 'application/json', '400': 'application/problem+json', '412': 'application/problem+json', '500': 'application/problem+json' },
    },
    listNoteVersions: {
      operationId: 'listNoteVersions',
      method: 'GET',
      path: '/notes/{noteId}/versions',
      secured: true,
      requestBody: null,
      responses: { '200': 'application/json', '404': 'application/problem+json', '500': 'application/problem+json' },
    },
  },
  apiGatewayModels: {
    models: {
      CreateNoteRequest: {
        contentType: 'application/json',
        schema: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          title: 'CreateNoteRequest',
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: { text: { type: 'string', minLength: 1, maxLength: 500 } },
        },
      },
      PutNoteRequest: {
        contentType: 'application/json',
        schema: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          title: 'PutNoteRequest',
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string' }, pinned: { type: 'boolean' } },
        },
      },
    },
    operations: {
      createNote: { requiredParameters: {}, requestModel: 'CreateNoteRequest' },
      getNote: { requiredParameters: { 'method.request.path.noteId': true } },
      putNote: {
        requiredParameters: { 'method.request.path.noteId': true, 'method.request.header.If-Match': false },
        requestModel: 'PutNoteRequest',
      },
      listNoteVersions: {
        requiredParameters: { 'method.request.path.noteId': true, 'method.request.querystring.limit': false },
      },
    },
  },
  operationExamples: {
    createNote: { pathParameters: {}, queryStringParameters: {}, headers: {}, body: { text: 'Buy milk' }, missing: [] },
    getNote: { pathParameters: { noteId: 'n-1' }, queryStringParameters: {}, headers: {}, body: null, missing: [] },
    putNote: { pathParameters: { noteId: 'n-1' }, queryStringParameters: {}, headers: {}, body: { text: 'Buy oat milk', pinned: true }, missing: [] },
    listNoteVersions: { pathParameters: { noteId: 'n-1' }, queryStringParameters: {}, headers: {}, body: null, missing: [] },
  },
} as const;

export type NotesOperationId = keyof typeof notesContract.operationManifest;
