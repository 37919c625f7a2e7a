import type { ApiModel, GatewayResponseModel } from '../assembly';
import { renderGatewayError, renderTemplate, type TemplateContext } from './gateway-responses';

const context: TemplateContext = {
  requestId: 'req-1',
  extendedRequestId: 'ext=',
  path: '/prod/loc/u1',
  resourcePath: '/loc/{userId}',
  resourceId: 'r1',
  httpMethod: 'PUT',
  stage: 'prod',
  apiId: 'abc',
  accountId: '123456789012',
  domainName: '127.0.0.1',
  protocol: 'HTTP/1.1',
  requestTime: '',
  requestTimeEpoch: 0,
  identity: { sourceIp: '127.0.0.1', userAgent: null },
};
const request = { headers: { 'x-correlation-id': 'c-9' }, query: new URLSearchParams(), pathParameters: { userId: 'u1' } };

function apiWith(responses: Record<string, GatewayResponseModel>): ApiModel {
  return { gatewayResponses: new Map(Object.entries(responses)), stageVariables: null } as ApiModel;
}

describe('gateway responses', () => {
  it('uses the response of the error’s own type, its status and header parameters', () => {
    const api = apiWith({
      THROTTLED: {
        statusCode: 429,
        templates: { 'application/json': '{"detail":$context.error.messageString,"instance":"$context.path","id":"$context.requestId"}' },
        parameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'", 'gatewayresponse.header.X-Correlation-Id': 'method.request.header.x-correlation-id', 'gatewayresponse.header.X-User': 'method.request.path.userId' },
      },
    });
    const rendered = renderGatewayError(api, { type: 'THROTTLED' }, context, request);
    expect(rendered).toEqual({
      status: 429,
      headers: {
        'content-type': 'application/problem+json',
        'x-amzn-requestid': 'req-1',
        'x-amz-apigw-id': 'ext=',
        'x-amzn-errortype': 'TooManyRequestsException',
        'x-correlation-id': 'c-9',
        'x-user': 'u1',
      },
      body: '{"detail":"Too Many Requests","instance":"/prod/loc/u1","id":"req-1"}',
    });
  });

  it('falls back to DEFAULT_5XX, keeping the error’s own status when the default has none', () => {
    const api = apiWith({ DEFAULT_5XX: { templates: { 'application/json': '{"type":"$context.error.responseType"}' }, parameters: {} } });
    expect(renderGatewayError(api, { type: 'INTEGRATION_TIMEOUT' }, context, request)).toMatchObject({ status: 504, body: '{"type":"INTEGRATION_TIMEOUT"}' });
    // Behind a Lambda proxy integration: a throttled function is 500, a function error 502, both DEFAULT_5XX.
    expect(renderGatewayError(api, { type: 'DEFAULT_5XX', status: 500 }, context, request)).toMatchObject({ status: 500, body: '{"type":"DEFAULT_5XX"}' });
    expect(renderGatewayError(api, { type: 'DEFAULT_5XX', status: 502 }, context, request)).toMatchObject({ status: 502, body: '{"type":"DEFAULT_5XX"}' });
  });

  it('answers a Lambda throttle and a function error with AWS’s own body when nothing is templated', () => {
    for (const status of [500, 502]) {
      expect(renderGatewayError(undefined, { type: 'DEFAULT_5XX', status }, context, request)).toEqual({
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', 'x-amz-apigw-id': 'ext=', 'x-amzn-errortype': 'InternalServerErrorException' },
        body: '{"message":"Internal server error"}',
      });
    }
  });

  it('lets a StatusCode on DEFAULT_5XX replace the status of every 5xx response without one of its own', () => {
    const api = apiWith({
      DEFAULT_5XX: { statusCode: 503, templates: { 'application/json': '{"from":"default","type":"$context.error.responseType"}' }, parameters: {} },
      INTEGRATION_TIMEOUT: { statusCode: 504, templates: { 'application/json': '{"from":"timeout"}' }, parameters: {} },
      AUTHORIZER_FAILURE: { templates: { 'application/json': '{"from":"authorizer"}' }, parameters: {} },
    });
    const render = (error: Parameters<typeof renderGatewayError>[1]) => renderGatewayError(api, error, context, request);
    expect(render({ type: 'DEFAULT_5XX', status: 500 })).toMatchObject({ status: 503, body: '{"from":"default","type":"DEFAULT_5XX"}' });
    expect(render({ type: 'DEFAULT_5XX', status: 502 })).toMatchObject({ status: 503 });
    expect(render({ type: 'AUTHORIZER_CONFIGURATION_ERROR' })).toMatchObject({ status: 503, body: '{"from":"default","type":"AUTHORIZER_CONFIGURATION_ERROR"}' });
    // A response of the type's own: its template always, its status when it has one.
    expect(render({ type: 'AUTHORIZER_FAILURE' })).toMatchObject({ status: 503, body: '{"from":"authorizer"}' });
    expect(render({ type: 'INTEGRATION_TIMEOUT' })).toMatchObject({ status: 504, body: '{"from":"timeout"}' });
    // 4xx are DEFAULT_4XX's business.
    expect(render({ type: 'THROTTLED' }).status).toBe(429);
  });

  it('takes a DEFAULT_4XX status code for every 4xx without a response of its own', () => {
    const api = apiWith({ DEFAULT_4XX: { statusCode: 418, templates: {}, parameters: {} } });
    expect(renderGatewayError(api, { type: 'UNAUTHORIZED' }, context, request)).toMatchObject({ status: 418, body: '{"message":"Unauthorized"}' });
  });

  it('answers with AWS’s own body when the API templates nothing', () => {
    expect(renderGatewayError(undefined, { type: 'MISSING_AUTHENTICATION_TOKEN' }, context, request)).toMatchObject({
      status: 403,
      body: '{"message":"Missing Authentication Token"}',
    });
    expect(renderGatewayError(undefined, { type: 'AUTHORIZER_CONFIGURATION_ERROR' }, context, request).body).toBe('{"message":null}');
  });

  it('substitutes ${} and quiet references, leaves $util as text (no Velocity), and renders unknown variables empty', () => {
    const withError = { ...context, error: { message: 'a "b"', messageString: '"a \\"b\\""', validationErrorString: '[x "y"]', responseType: 'BAD_REQUEST_BODY' } };
    expect(renderTemplate('${context.httpMethod} $!context.resourcePath $util.escapeJavaScript($context.error.validationErrorString) [$context.nope]', withError)).toBe(
      'PUT /loc/{userId} $util.escapeJavaScript([x "y"]) []',
    );
  });
});
