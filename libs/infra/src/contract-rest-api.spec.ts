import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NotesStack, testApp } from './__fixtures__/notes-stack';
import { notesContract } from './__fixtures__/notes-contract';
import { ContractRestApi, type ContractRestApiProps } from './contract-rest-api';
import { GATEWAY_PROBLEMS, GATEWAY_RESPONSE_TYPES } from './gateway-responses';
import type { RestApiContract } from './contract';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

describe('ContractRestApi', () => {
  const stack = new NotesStack(testApp(), 'Notes');
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Resources;
  const methods = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method');
  const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  const methodOf = (operationId: keyof typeof notesContract.operationManifest) =>
    resources[logicalIdOf(stack.api.methods[operationId])]!.Properties;

  it('has one method per contract operation and one 405 method per resource, nothing more', () => {
    const paths = new Set(Object.values(notesContract.operationManifest).map((operation) => operation.path));
    expect(methods).toHaveLength(Object.keys(notesContract.operationManifest).length + paths.size);
    const operationMethods = methods.filter((m) => m.Properties['HttpMethod'] !== 'ANY');
    expect(operationMethods.map((m) => m.Properties['OperationName']).sort()).toEqual(Object.keys(notesContract.operationManifest).sort());
    expect(Object.keys(stack.api.methodNotAllowed).sort()).toEqual([...paths].sort());
  });

  it('answers every method a path does not declare with 405, Allow and a problem, from API Gateway itself', () => {
    const declared = new Map<string, string[]>();
    for (const operation of Object.values(notesContract.operationManifest)) declared.set(operation.path, [...(declared.get(operation.path) ?? []), operation.method]);
    for (const [path, allowed] of declared) {
      const method = resources[logicalIdOf(stack.api.methodNotAllowed[path]!)]!.Properties;
      const allow = allowed.sort().join(', ');
      expect(method).toMatchObject({
        HttpMethod: 'ANY',
        AuthorizationType: 'NONE',
        Integration: { Type: 'MOCK', PassthroughBehavior: 'WHEN_NO_MATCH' },
        MethodResponses: [{ StatusCode: '405', ResponseParameters: expect.objectContaining({ 'method.response.header.Allow': true }) }],
      });
      // No request template: the mock answers with its default integration response, whatever the body.
      expect(method['Integration']['RequestTemplates']).toBeUndefined();
      const [response] = method['Integration']['IntegrationResponses'];
      expect(response).toMatchObject({
        StatusCode: '405',
        ResponseParameters: {
          'method.response.header.Allow': `'${allow}'`,
          'method.response.header.Content-Type': "'application/problem+json'",
          'method.response.header.X-Content-Type-Options': "'nosniff'",
          'method.response.header.Cache-Control': "'no-store'",
          'method.response.header.Content-Security-Policy': "'default-src 'none'; frame-ancestors 'none''",
        },
      });
      expect(response.SelectionPattern).toBeUndefined();
      const rendered = String(response.ResponseTemplates['application/json'])
        .replaceAll('$context.path', `/staging${path}`)
        .replaceAll('$context.requestId', 'req-1');
      expect(JSON.parse(rendered)).toEqual({
        type: 'urn:problem-type:method-not-allowed',
        title: 'Method Not Allowed',
        status: 405,
        detail: `This resource does not support the method; it allows ${allow}.`,
        instance: `/staging${path}`,
        requestId: 'req-1',
      });
    }
  });

  it('builds the resource tree from the contract paths', () => {
    const parts = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Resource')
      .map((r) => r.Properties['PathPart'])
      .sort();
    expect(parts).toEqual(['notes', 'versions', '{noteId}']);
  });

  it('gives every request body its model and a validator that checks body and parameters', () => {
    const validators = template.findResources('AWS::ApiGateway::RequestValidator');
    expect(Object.values(validators)).toEqual([
      expect.objectContaining({ Properties: expect.objectContaining({ ValidateRequestBody: true, ValidateRequestParameters: true }) }),
    ]);
    const validatorId = Object.keys(validators)[0];
    for (const operation of Object.values(notesContract.operationManifest)) {
      if (!operation.requestBody) continue;
      const method = methodOf(operation.operationId);
      expect(method['RequestModels']).toEqual({ 'application/json': { Ref: expect.stringMatching(/^ApiModel/) } });
      const model = resources[method['RequestModels']['application/json'].Ref]!.Properties;
      expect(model).toMatchObject({ Name: operation.requestBody.model, ContentType: 'application/json' });
      expect(model['Schema']).toEqual(notesContract.apiGatewayModels.models[operation.requestBody.model].schema);
      expect(method['RequestValidatorId']).toEqual({ Ref: validatorId });
    }
  });

  it('declares the contract’s request parameters and validates the required ones', () => {
    expect(methodOf('putNote')['RequestParameters']).toEqual({ 'method.request.path.noteId': true, 'method.request.header.If-Match': false });
    expect(methodOf('listNoteVersions')['RequestParameters']).toEqual({
      'method.request.path.noteId': true,
      'method.request.querystring.limit': false,
    });
    expect(methodOf('listNoteVersions')['RequestValidatorId']).toBeDefined();
  });

  it('puts the TOKEN authorizer on every secured operation and none on public ones', () => {
    const authorizerId = logicalIdOf(stack.node.findChild('BearerToken').node.findChild('Authorizer') as never);
    for (const operation of Object.values(notesContract.operationManifest)) {
      const method = methodOf(operation.operationId);
      if (operation.secured) {
        expect(method).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(method['AuthorizationType']).toBe('NONE');
        expect(method['AuthorizerId']).toBeUndefined();
      }
    }
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      IdentityValidationExpression: '^Bearer [A-Za-z0-9_-]{43}$',
      AuthorizerResultTtlInSeconds: 30,
    });
  });

  it('proxies each operation to its own function’s live alias, never to $LATEST', () => {
    const functionOf: Record<string, string> = { createNote: 'create-note', getNote: 'get-note', putNote: 'put-note', listNoteVersions: 'list-note-versions' };
    for (const [operationId, entry] of Object.entries(functionOf)) {
      const integration = methodOf(operationId as never)['Integration'];
      expect(integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      const aliasLogicalId = logicalIdOf(stack.functions[entry]!.alias);
      expect(JSON.stringify(integration['Uri'])).toContain(`{"Ref":"${aliasLogicalId}"}`);
      expect(JSON.stringify(integration['Uri'])).not.toContain(`"${logicalIdOf(stack.functions[entry]!.function)}"`);
      // API Gateway may invoke the alias (the permission names it), from this method only.
      template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { Ref: aliasLogicalId }, Principal: 'apigateway.amazonaws.com' });
    }
  });

  it('knows which operations each service function serves', () => {
    expect(stack.api.operationsServedBy(stack.functions['put-note']!).map((op) => op.operationId)).toEqual(['putNote']);
    expect(stack.api.operationsServedBy(stack.authorize!)).toEqual([]);
  });

  it('answers every API Gateway error with a problem+json gateway response', () => {
    const responses = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse');
    expect(responses.map((r) => r.Properties['ResponseType']).sort()).toEqual([...GATEWAY_RESPONSE_TYPES].sort());
    for (const { Properties: response } of responses) {
      const problem = GATEWAY_PROBLEMS[response['ResponseType'] as keyof typeof GATEWAY_PROBLEMS];
      expect(response['StatusCode']).toBe(problem.status === undefined ? undefined : String(problem.status));
      expect(response['ResponseParameters']).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
        'gatewayresponse.header.Content-Security-Policy': "'default-src 'none'; frame-ancestors 'none''",
      });
      if (problem.detail !== undefined) continue;
      const rendered = String(response['ResponseTemplates']['application/json'])
        .replaceAll('$context.error.messageString', JSON.stringify('Invalid "request" body'))
        .replaceAll('$context.path', '/notes')
        .replaceAll('$context.requestId', 'req-1');
      expect(JSON.parse(rendered)).toEqual({
        type: `urn:problem-type:${problem.slug}`,
        title: problem.title,
        status: problem.status,
        detail: 'Invalid "request" body',
        instance: '/notes',
        requestId: 'req-1',
      });
    }
    for (const type of ['MISSING_AUTHENTICATION_TOKEN', 'RESOURCE_NOT_FOUND']) {
      const matching = responses.filter((r) => r.Properties['ResponseType'] === type);
      expect(matching).toHaveLength(1);
      const notFound = matching[0]!.Properties;
      const body = JSON.parse(String(notFound['ResponseTemplates']['application/json']).replaceAll('$context.path', '/nope').replaceAll('$context.requestId', 'r'));
      expect({ type, status: notFound['StatusCode'], body }).toEqual({
        type,
        status: '404',
        body: { type: 'urn:problem-type:route-not-found', title: 'Not Found', status: 404, detail: 'No resource exists at this path.', instance: '/nope', requestId: 'r' },
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" }),
    });
    // An authorizer that could not decide (its store is away) is a 503 to retry, like any outage.
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'AUTHORIZER_CONFIGURATION_ERROR',
      StatusCode: '503',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
    });
  });

  it('deploys one API stage named after the deployment stage, with per-method throttling, X-Ray, ERROR execution logs and JSON access logs', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]!['Properties'];
    expect(stage).toMatchObject({
      StageName: 'staging',
      TracingEnabled: true,
      MethodSettings: [
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 10,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
    const format = JSON.parse(stage['AccessLogSetting']['Format']);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', errorType: '$context.error.responseType' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('keeps the execute-api endpoint and leaves the account CloudWatch role to the platform', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      DisableExecuteApiEndpoint: false,
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  describe('fails early on a configuration that cannot work', () => {
    const build = (patch: (props: ContractRestApiProps<string>) => ContractRestApiProps<string>) => () => {
      const stack = new Stack(testApp(), 'Bad');
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'x.handler', code: lambda.Code.fromInline('x') }).currentVersion;
      const props: ContractRestApiProps<string> = {
        contract: notesContract as RestApiContract<string>,
        integrations: { createNote: fn, getNote: fn, putNote: fn, listNoteVersions: fn },
        throttle: { rateLimit: 1, burstLimit: 1 },
        stageName: 'prod',
      };
      new ContractRestApi(stack, 'Api', patch(props));
    };

    it('a secured operation without an authorizer', () => {
      expect(build((p) => p)).toThrow(/operation getNote \(GET \/notes\/\{noteId\}\) is secured by the contract but no authorizer was given/);
    });

    it('an operation without a function', () => {
      expect(build((p) => ({ ...p, integrations: { createNote: p.integrations['createNote']! } }))).toThrow(/operation getNote .* has no function/);
    });

    it('a function for an operation the contract does not have', () => {
      expect(build((p) => ({ ...p, integrations: { ...p.integrations, deleteNote: p.integrations['createNote']! } }))).toThrow(
        /integrations has 'deleteNote', which is not an operation of the contract/,
      );
    });

    it('a body model the models do not define', () => {
      const contract = {
        ...notesContract,
        apiGatewayModels: { ...notesContract.apiGatewayModels, models: { PutNoteRequest: notesContract.apiGatewayModels.models.PutNoteRequest } },
      };
      expect(build((p) => ({ ...p, contract: contract as RestApiContract<string> }))).toThrow(
        /operation createNote .*body model 'CreateNoteRequest' is not in apiGatewayModels.models \(PutNoteRequest\)/,
      );
    });
  });
});
