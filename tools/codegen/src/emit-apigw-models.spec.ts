import AjvDraft04 from 'ajv-draft-04';
import { bundle, type JsonObject } from './bundle';
import { collectOperations } from './collect-operations';
import { buildApiGatewayModels, formatReportEntry } from './emit-apigw-models';
import { toolWorkspaceRoot } from './workspace';

function modelsOf(name: string) {
  const { document } = bundle(toolWorkspaceRoot, `contracts/${name}/openapi.yaml`);
  return buildApiGatewayModels(document, collectOperations(document));
}

describe('buildApiGatewayModels', () => {
  it('names request parameters the way API Gateway does, keeping the header spelling', () => {
    const { operations } = modelsOf('profile');

    expect(operations['putProfile']).toEqual({
      requestModel: 'PutProfileRequest',
      requiredParameters: {
        'method.request.path.userId': true,
        'method.request.header.If-Match': false,
      },
    });
    expect(modelsOf('location').operations['listLocationHistory']?.requiredParameters).toEqual({
      'method.request.path.userId': true,
      'method.request.querystring.limit': false,
      'method.request.querystring.cursor': false,
    });
  });

  it('reports every parameter schema, since API Gateway checks presence only', () => {
    const { report } = modelsOf('location');
    const limit = report.find((entry) => entry.pointer === '/query/limit');

    expect(report.filter((entry) => entry.model === null)).toHaveLength(5);
    expect(limit).toEqual({
      model: null,
      operationId: 'listLocationHistory',
      pointer: '/query/limit',
      keyword: 'schema',
      action:
        'optional, so API Gateway does not check it; type, minimum, maximum, default enforced by the Lambda validator',
    });
    expect(formatReportEntry(limit as NonNullable<typeof limit>)).toBe(
      `listLocationHistory parameter /query/limit [schema]: ${limit?.action}`,
    );
  });

  it('gives one draft-4 model per request body, with alphanumeric names', () => {
    const names = ['auth', 'location', 'profile'].flatMap((name) =>
      Object.keys(modelsOf(name).models),
    );

    expect(names).toEqual([
      'CreateTokenRequest',
      'CreateUserRequest',
      'PutLocationRequest',
      'PutProfileRequest',
    ]);
  });

  it('models reject what the contract rejects and that API Gateway can check', () => {
    const { models } = modelsOf('auth');
    const validate = new AjvDraft04({ allErrors: true }).compile(
      models['CreateUserRequest']?.schema as JsonObject,
    );

    expect(
      validate({
        username: 'alice_01',
        password: 'correct horse battery staple',
        displayName: 'Alice',
      }),
    ).toBe(true);
    expect(validate({ username: 'Alice!', password: 'short', displayName: '', admin: true })).toBe(
      false,
    );
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      ' additionalProperties',
      '/displayName minLength',
      '/displayName pattern',
      '/password minLength',
      '/username pattern',
    ]);
  });

  it('refuses a body model name API Gateway would not accept', () => {
    const document: JsonObject = {
      openapi: '3.0.3',
      paths: {
        '/t': {
          post: {
            operationId: 'postT',
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/Bad_Name' } },
              },
            },
            responses: { '204': { description: 'ok' } },
          },
        },
      },
      components: { schemas: { Bad_Name: { type: 'object', additionalProperties: false } } },
    };

    expect(() => buildApiGatewayModels(document, collectOperations(document))).toThrow(
      'model name "Bad_Name" must be alphanumeric',
    );
  });
});
