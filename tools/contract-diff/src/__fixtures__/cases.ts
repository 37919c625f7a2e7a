import type { ChangeClass, JsonObject, JsonValue } from '../types';
import { at, PETS, PROBLEM, type FixtureFiles } from './fixtures';

/**
 * One fixture pair: the base fixture and the same files after `mutate`. `expect` is the class
 * and code the diff must report; for a non-breaking case no breaking change may appear at all.
 * The same catalogue drives the unit tests and the openapi-diff evaluation script.
 */
export interface DiffCase {
  readonly name: string;
  readonly expect: {
    readonly class: ChangeClass;
    readonly code: string;
    readonly location?: string;
  };
  /** Applied to both sides first, when the base fixture lacks the starting point. */
  prepare?(files: FixtureFiles): void;
  mutate(files: FixtureFiles): void;
}

const pets = (files: FixtureFiles) => files[PETS] as JsonObject;
const schema = (files: FixtureFiles, name: string) =>
  at(pets(files), 'components', 'schemas', name);
const prop = (files: FixtureFiles, name: string, property: string) =>
  at(schema(files, name), 'properties', property);
const op = (files: FixtureFiles, path: string, method: string) =>
  at(pets(files), 'paths', path, method);
const param = (files: FixtureFiles, path: string, method: string, index: number) =>
  at(op(files, path, method), 'parameters', String(index));
const required = (files: FixtureFiles, name: string) => schema(files, name)['required'] as string[];

export const breakingCases: DiffCase[] = [
  {
    name: 'removing an operation',
    expect: {
      class: 'breaking',
      code: 'api-removed-without-deprecation',
      location: 'GET /loc/{userId}',
    },
    mutate: (f) => delete at(pets(f), 'paths', '/loc/{userId}')['get'],
  },
  {
    name: 'removing a path',
    expect: {
      class: 'breaking',
      code: 'api-path-removed-without-deprecation',
      location: 'GET /loc/{userId}/history',
    },
    mutate: (f) => delete at(pets(f), 'paths')['/loc/{userId}/history'],
  },
  {
    name: 'renaming an operationId',
    expect: { class: 'breaking', code: 'api-operation-id-removed' },
    mutate: (f) => (op(f, '/users', 'post')['operationId'] = 'registerUser'),
  },
  {
    name: 'removing a request field',
    expect: {
      class: 'breaking',
      code: 'request-property-removed',
      location: 'PUT /loc/{userId} › request body › /accuracy',
    },
    mutate: (f) => delete at(schema(f, 'PutLocationRequest'), 'properties')['accuracy'],
  },
  {
    name: 'adding a required request field',
    expect: { class: 'breaking', code: 'new-required-request-property' },
    mutate: (f) => {
      at(schema(f, 'PutLocationRequest'), 'properties')['altitude'] = { type: 'number' };
      required(f, 'PutLocationRequest').push('altitude');
    },
  },
  {
    name: 'making an optional request field required',
    expect: { class: 'breaking', code: 'request-property-became-required' },
    mutate: (f) => required(f, 'CreateUserRequest').push('displayName'),
  },
  {
    name: 'narrowing a request field type (number → integer)',
    expect: { class: 'breaking', code: 'request-property-type-changed' },
    mutate: (f) => (prop(f, 'PutLocationRequest', 'accuracy')['type'] = 'integer'),
  },
  {
    name: 'changing a request field type (string → number)',
    expect: { class: 'breaking', code: 'request-property-type-changed' },
    mutate: (f) => {
      const username = prop(f, 'CreateUserRequest', 'username');
      username['type'] = 'number';
      delete username['pattern'];
    },
  },
  {
    name: 'tightening a request maximum',
    expect: {
      class: 'breaking',
      code: 'request-property-max-decreased',
      location: 'PUT /loc/{userId} › request body › /latitude',
    },
    mutate: (f) => (prop(f, 'PutLocationRequest', 'latitude')['maximum'] = 80),
  },
  {
    name: 'making a request minimum exclusive',
    expect: { class: 'breaking', code: 'request-property-exclusive-min-set' },
    mutate: (f) => (prop(f, 'PutLocationRequest', 'accuracy')['exclusiveMinimum'] = true),
  },
  {
    name: 'raising a request minLength',
    expect: { class: 'breaking', code: 'request-property-min-length-increased' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'password')['minLength'] = 16),
  },
  {
    name: 'lowering a request maxLength',
    expect: { class: 'breaking', code: 'request-property-max-length-decreased' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'displayName')['maxLength'] = 32),
  },
  {
    name: 'changing a request pattern',
    expect: { class: 'breaking', code: 'request-property-pattern-changed' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'username')['pattern'] = '^[a-z]{3,32}$'),
  },
  {
    name: 'adding a format to a request field',
    expect: { class: 'breaking', code: 'request-property-type-changed' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'displayName')['format'] = 'email'),
  },
  {
    name: 'removing a request enum value',
    expect: { class: 'breaking', code: 'request-property-enum-value-removed' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'role')['enum'] = ['member']),
  },
  {
    name: 'tightening additionalProperties in a request',
    expect: {
      class: 'breaking',
      code: 'request-additional-properties-narrowed',
      location: 'POST /users › request body › /metadata',
    },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'metadata')['additionalProperties'] = false),
  },
  {
    name: 'removing a query parameter',
    expect: {
      class: 'breaking',
      code: 'request-parameter-removed',
      location: 'GET /loc/{userId}/history › parameter query.cursor',
    },
    mutate: (f) => (op(f, '/loc/{userId}/history', 'get')['parameters'] as unknown[]).pop(),
  },
  {
    name: 'adding a required query parameter',
    expect: { class: 'breaking', code: 'new-required-request-parameter' },
    mutate: (f) =>
      (op(f, '/loc/{userId}', 'get')['parameters'] as unknown[]).push({
        name: 'precision',
        in: 'query',
        required: true,
        schema: { type: 'integer' },
      }),
  },
  {
    name: 'making an optional header parameter required',
    expect: { class: 'breaking', code: 'request-parameter-became-required' },
    mutate: (f) => (param(f, '/loc/{userId}', 'put', 0)['required'] = true),
  },
  {
    name: 'tightening a query parameter bound',
    expect: {
      class: 'breaking',
      code: 'request-parameter-max-decreased',
      location: 'GET /loc/{userId}/history › parameter query.limit',
    },
    mutate: (f) => (at(param(f, '/loc/{userId}/history', 'get', 0), 'schema')['maximum'] = 50),
  },
  {
    name: 'renaming a path parameter',
    expect: {
      class: 'breaking',
      code: 'api-path-removed-without-deprecation',
      location: 'GET /loc/{userId}/history',
    },
    mutate: (f) => {
      const paths = at(pets(f), 'paths');
      paths['/loc/{id}/history'] = paths['/loc/{userId}/history'] as JsonObject;
      delete paths['/loc/{userId}/history'];
      const shared = at(paths, '/loc/{id}/history');
      shared['parameters'] = [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      ];
    },
  },
  {
    name: 'making the request body required',
    expect: { class: 'breaking', code: 'request-body-became-required' },
    prepare: (f) => (at(op(f, '/loc/{userId}', 'put'), 'requestBody')['required'] = false),
    mutate: (f) => (at(op(f, '/loc/{userId}', 'put'), 'requestBody')['required'] = true),
  },
  {
    name: 'no longer accepting a request media type',
    expect: { class: 'breaking', code: 'request-body-media-type-removed' },
    mutate: (f) => {
      const content = at(op(f, '/users', 'post'), 'requestBody', 'content');
      content['application/merge-patch+json'] = content['application/json'] as JsonObject;
      delete content['application/json'];
    },
  },
  {
    name: 'removing a response field',
    expect: {
      class: 'breaking',
      code: 'response-optional-property-removed',
      location: 'GET /loc/{userId} › response 200 › /source',
    },
    mutate: (f) => delete at(schema(f, 'Location'), 'properties')['source'],
  },
  {
    name: 'making a response field optional',
    expect: { class: 'breaking', code: 'response-property-became-optional' },
    mutate: (f) => (schema(f, 'Location')['required'] = ['userId', 'latitude', 'longitude']),
  },
  {
    name: 'widening a response type to nullable',
    expect: { class: 'breaking', code: 'response-property-became-nullable' },
    mutate: (f) => (prop(f, 'Location', 'accuracy')['nullable'] = true),
  },
  {
    name: 'adding a response enum value',
    expect: { class: 'breaking', code: 'response-property-enum-value-added' },
    mutate: (f) => (prop(f, 'Location', 'source')['enum'] = ['gps', 'wifi', 'ip']),
  },
  {
    name: 'raising a response maxLength',
    expect: { class: 'breaking', code: 'response-property-max-length-increased' },
    mutate: (f) => (prop(f, 'Location', 'updatedAt')['maxLength'] = 64),
  },
  {
    name: 'changing a success status (200 → 201)',
    expect: {
      class: 'breaking',
      code: 'response-success-status-removed',
      location: 'PUT /loc/{userId} › response 200',
    },
    mutate: (f) => {
      const responses = at(op(f, '/loc/{userId}', 'put'), 'responses');
      responses['201'] = responses['200'] as JsonObject;
      delete responses['200'];
    },
  },
  {
    name: 'adding a second success status',
    expect: { class: 'breaking', code: 'response-success-status-added' },
    mutate: (f) => {
      const responses = at(op(f, '/loc/{userId}', 'put'), 'responses');
      responses['201'] = responses['200'] as JsonObject;
    },
  },
  {
    name: 'removing an error status',
    expect: {
      class: 'breaking',
      code: 'response-non-success-status-removed',
      location: 'GET /loc/{userId} › response 404',
    },
    mutate: (f) => delete at(op(f, '/loc/{userId}', 'get'), 'responses')['404'],
  },
  {
    name: 'no longer returning a response media type',
    expect: { class: 'breaking', code: 'response-media-type-name-specialized' },
    mutate: (f) => {
      const content = at(op(f, '/loc/{userId}', 'get'), 'responses', '200', 'content');
      content['application/vnd.location+json'] = content['application/json'] as JsonObject;
      delete content['application/json'];
    },
  },
  {
    name: 'removing a response header',
    expect: { class: 'breaking', code: 'required-response-header-removed' },
    mutate: (f) => delete at(op(f, '/loc/{userId}', 'get'), 'responses', '200', 'headers')['ETag'],
  },
  {
    name: 'removing a field from the shared problem schema (a $ref into another file)',
    expect: {
      class: 'breaking',
      code: 'response-optional-property-removed',
      location: 'GET /loc/{userId} › response 404 › /detail',
    },
    mutate: (f) =>
      delete at(f[PROBLEM] as JsonObject, 'components', 'schemas', 'Problem', 'properties')[
        'detail'
      ],
  },
  {
    name: 'securing a public operation',
    expect: {
      class: 'breaking',
      code: 'api-security-anonymous-access-removed',
      location: 'POST /users',
    },
    mutate: (f) => delete op(f, '/users', 'post')['security'],
  },
  {
    name: 'changing how the security scheme authenticates',
    expect: { class: 'breaking', code: 'api-security-component-type-changed' },
    mutate: (f) =>
      (at(pets(f), 'components', 'securitySchemes')['bearerAuth'] = {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
      }),
  },
  {
    name: 'making a request multipleOf stricter',
    expect: { class: 'breaking', code: 'request-property-multiple-of-changed' },
    prepare: (f) => (prop(f, 'PutLocationRequest', 'accuracy')['multipleOf'] = 0.5),
    mutate: (f) => (prop(f, 'PutLocationRequest', 'accuracy')['multipleOf'] = 1),
  },
  {
    name: 'adding a oneOf branch to a response field',
    expect: { class: 'breaking', code: 'response-property-list-of-types-widened' },
    prepare: (f) =>
      (at(schema(f, 'Location'), 'properties')['source'] = {
        oneOf: [{ type: 'string', enum: ['gps', 'wifi'] }],
      }),
    mutate: (f) =>
      (prop(f, 'Location', 'source')['oneOf'] as JsonValue[]).push({ type: 'integer' }),
  },
];

export const compatibleCases: DiffCase[] = [
  {
    name: 'adding an optional request field',
    expect: { class: 'non-breaking', code: 'new-optional-request-property' },
    mutate: (f) =>
      (at(schema(f, 'PutLocationRequest'), 'properties')['altitude'] = { type: 'number' }),
  },
  {
    name: 'making a required request field optional',
    expect: { class: 'non-breaking', code: 'request-property-became-optional' },
    mutate: (f) => (schema(f, 'CreateUserRequest')['required'] = ['username']),
  },
  {
    name: 'adding an operation',
    expect: { class: 'non-breaking', code: 'endpoint-added', location: 'DELETE /loc/{userId}' },
    mutate: (f) =>
      (at(pets(f), 'paths', '/loc/{userId}')['delete'] = {
        operationId: 'deleteLocation',
        responses: { '204': { description: 'Deleted.' } },
      }),
  },
  {
    name: 'adding a path',
    expect: { class: 'non-breaking', code: 'endpoint-added', location: 'GET /health' },
    mutate: (f) =>
      (at(pets(f), 'paths')['/health'] = {
        get: { operationId: 'health', security: [], responses: { '204': { description: 'Up.' } } },
      }),
  },
  {
    name: 'adding a response field',
    expect: { class: 'non-breaking', code: 'response-optional-property-added' },
    mutate: (f) => (at(schema(f, 'Location'), 'properties')['altitude'] = { type: 'number' }),
  },
  {
    name: 'loosening a request maxLength',
    expect: { class: 'non-breaking', code: 'request-property-max-length-increased' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'password')['maxLength'] = 256),
  },
  {
    name: 'loosening a request minimum',
    expect: { class: 'non-breaking', code: 'request-property-min-unset' },
    mutate: (f) => delete prop(f, 'PutLocationRequest', 'accuracy')['minimum'],
  },
  {
    name: 'widening a request type (integer → number)',
    expect: { class: 'non-breaking', code: 'request-parameter-type-generalized' },
    mutate: (f) => (at(param(f, '/loc/{userId}/history', 'get', 0), 'schema')['type'] = 'number'),
  },
  {
    name: 'removing a request pattern',
    expect: { class: 'non-breaking', code: 'request-parameter-pattern-removed' },
    mutate: (f) => delete at(param(f, '/loc/{userId}/history', 'get', 1), 'schema')['pattern'],
  },
  {
    name: 'adding a request enum value',
    expect: { class: 'non-breaking', code: 'request-property-enum-value-added' },
    mutate: (f) => (prop(f, 'CreateUserRequest', 'role')['enum'] = ['member', 'admin', 'guest']),
  },
  {
    name: 'opening additionalProperties in a request',
    expect: { class: 'non-breaking', code: 'no-contract-change' },
    mutate: (f) => delete schema(f, 'PutLocationRequest')['additionalProperties'],
  },
  {
    name: 'adding an optional query parameter',
    expect: { class: 'non-breaking', code: 'new-optional-request-parameter' },
    mutate: (f) =>
      (op(f, '/loc/{userId}', 'get')['parameters'] as unknown[]).push({
        name: 'precision',
        in: 'query',
        schema: { type: 'integer' },
      }),
  },
  {
    name: 'changing a parameter default',
    expect: { class: 'non-breaking', code: 'request-parameter-default-value-changed' },
    mutate: (f) => (at(param(f, '/loc/{userId}/history', 'get', 0), 'schema')['default'] = 50),
  },
  {
    name: 'removing a response enum value',
    expect: { class: 'non-breaking', code: 'response-property-enum-value-removed' },
    mutate: (f) => (prop(f, 'Location', 'source')['enum'] = ['gps']),
  },
  {
    name: 'making a response field always present',
    expect: { class: 'non-breaking', code: 'response-property-became-required' },
    mutate: (f) => required(f, 'Location').push('source'),
  },
  {
    name: 'tightening a response bound',
    expect: { class: 'non-breaking', code: 'response-property-max-length-decreased' },
    mutate: (f) => (prop(f, 'Location', 'updatedAt')['maxLength'] = 24),
  },
  {
    name: 'opening additionalProperties in a response',
    expect: { class: 'non-breaking', code: 'no-contract-change' },
    mutate: (f) => delete schema(f, 'Location')['additionalProperties'],
  },
  {
    name: 'adding an error status',
    expect: { class: 'non-breaking', code: 'response-non-success-status-added' },
    mutate: (f) =>
      (at(op(f, '/loc/{userId}', 'get'), 'responses')['429'] = {
        $ref: '../common/problem.yaml#/components/responses/Problem',
      }),
  },
  {
    name: 'adding a response header',
    expect: { class: 'non-breaking', code: 'response-header-added' },
    mutate: (f) =>
      (at(op(f, '/loc/{userId}', 'put'), 'responses', '200')['headers'] = {
        ETag: { schema: { type: 'string' } },
      }),
  },
  {
    name: 'removing security from an operation',
    expect: { class: 'non-breaking', code: 'api-security-anonymous-access-added' },
    mutate: (f) => (op(f, '/loc/{userId}', 'get')['security'] = []),
  },
  {
    name: 'changing a summary and a description',
    expect: { class: 'non-breaking', code: 'no-contract-change' },
    mutate: (f) => {
      op(f, '/users', 'post')['summary'] = 'Create an account';
      prop(f, 'Location', 'latitude')['description'] = 'Degrees north.';
    },
  },
  {
    name: 'changing an example',
    expect: { class: 'non-breaking', code: 'no-contract-change' },
    mutate: (f) =>
      (at(op(f, '/users', 'post'), 'requestBody', 'content', 'application/json')['example'] = {}),
  },
  {
    name: 'deprecating an operation',
    expect: { class: 'non-breaking', code: 'endpoint-deprecated' },
    mutate: (f) => (op(f, '/loc/{userId}', 'get')['deprecated'] = true),
  },
  {
    name: 'refactoring a request schema into an equivalent allOf',
    expect: { class: 'non-breaking', code: 'no-contract-change' },
    // An open schema: `additionalProperties: false` inside one allOf branch would refuse the other's.
    prepare: (f) => delete schema(f, 'PutLocationRequest')['additionalProperties'],
    mutate: (f) => {
      const field = (name: string) => prop(f, 'PutLocationRequest', name);
      at(pets(f), 'components', 'schemas')['PutLocationRequest'] = {
        type: 'object',
        allOf: [
          {
            type: 'object',
            required: ['latitude', 'longitude'],
            properties: { latitude: field('latitude'), longitude: field('longitude') },
          },
          { type: 'object', properties: { accuracy: field('accuracy') } },
        ],
      };
    },
  },
  {
    name: 'retyping a readOnly field of a request (clients never send it)',
    expect: { class: 'non-breaking', code: 'request-property-type-changed' },
    prepare: (f) =>
      (at(schema(f, 'CreateUserRequest'), 'properties')['id'] = { type: 'string', readOnly: true }),
    mutate: (f) => (prop(f, 'CreateUserRequest', 'id')['type'] = 'integer'),
  },
  {
    name: 'bumping only info.version',
    expect: { class: 'non-breaking', code: 'api-version-changed', location: 'document' },
    mutate: (f) => (at(pets(f), 'info')['version'] = '1.3.0'),
  },
];
