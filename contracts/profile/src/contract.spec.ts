import AjvDraft04 from 'ajv-draft-04';
import {
  apiGatewayModels,
  openApiDocument,
  operationManifest,
  validators,
  type OperationId,
  type OperationValidators,
} from './index';

// Compile-time: the precise validator types still fit the brief's general shape.
const asRecord: Record<OperationId, OperationValidators> = validators;

describe('profile contract', () => {
  it.each([
    {
      operationId: 'getProfile',
      method: 'GET',
      path: '/profile/{userId}',
      secured: true,
      successStatuses: [200],
    },
    {
      operationId: 'putProfile',
      method: 'PUT',
      path: '/profile/{userId}',
      secured: true,
      successStatuses: [200, 201],
    },
  ] as const)('$operationId is $method $path', (want) => {
    expect(operationManifest[want.operationId]).toMatchObject(want);
    expect(Object.keys(asRecord)).toContain(want.operationId);
  });

  it('declares 429 and 500 as problem+json on every operation, and 401 where a token is needed', () => {
    for (const entry of Object.values(operationManifest)) {
      const responses: Record<string, string | null> = entry.responses;
      expect(responses['429']).toBe('application/problem+json');
      expect(responses['500']).toBe('application/problem+json');
      if (entry.secured) expect(responses['401']).toBe('application/problem+json');
    }
  });

  it('gives API Gateway a draft-4 model for each request body, named as in the manifest', () => {
    const ajv = new AjvDraft04();
    for (const [operationId, entry] of Object.entries(operationManifest)) {
      const model = entry.requestBody?.model;
      const operations: Record<string, { requestModel?: string; requiredParameters: object }> =
        apiGatewayModels.operations;
      expect(operations[operationId]?.requestModel).toBe(model);
      if (model)
        expect(() =>
          ajv.compile(
            apiGatewayModels.models[model as keyof typeof apiGatewayModels.models].schema,
          ),
        ).not.toThrow();
    }
  });

  it('publishes the bundled document with the generation notice and no $ref to another file', () => {
    expect(openApiDocument['x-generated']).toContain('do not edit');
    expect(JSON.stringify(openApiDocument)).not.toMatch(/"\$ref":"[^#]/);
  });
});
