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
    },
    getNote: {
      operationId: 'getNote',
      method: 'GET',
      path: '/notes/{noteId}',
      secured: true,
      requestBody: null,
    },
    putNote: {
      operationId: 'putNote',
      method: 'PUT',
      path: '/notes/{noteId}',
      secured: true,
      requestBody: { required: true, contentType: 'application/json', model: 'PutNoteRequest' },
    },
    listNoteVersions: {
      operationId: 'listNoteVersions',
      method: 'GET',
      path: '/notes/{noteId}/versions',
      secured: true,
      requestBody: null,
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
} as const;

export type NotesOperationId = keyof typeof notesContract.operationManifest;
