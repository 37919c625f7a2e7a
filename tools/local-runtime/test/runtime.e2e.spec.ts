/**
 * The fixture stacks run by the local runtime and called over real HTTP: every API Gateway, Lambda
 * and DynamoDB behaviour the runtime emulates, checked from the outside as a client sees it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRuntime, type RunningRuntime } from '../src';
import { call, fixtureAssembly, sleep, TEST_LIMITS } from './helpers';

jest.setTimeout(60_000);

let runtime: RunningRuntime;
let origin: string;
const logLines: string[] = [];

beforeAll(async () => {
  runtime = await startRuntime({
    assemblyDir: await fixtureAssembly(),
    port: 0,
    inMemory: true,
    quiet: true,
    log: (line) => logLines.push(line),
  });
  origin = runtime.origin;
});

afterAll(() => runtime?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('routing', () => {
  it('invokes the function of a matched path and passes path parameters', async () => {
    const reply = await call(origin, '/items/abc%20d');
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ id: 'abc d' });
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown path with the MISSING_AUTHENTICATION_TOKEN gateway response as templated', async () => {
    const reply = await call(origin, '/nowhere/at/all', { headers: { 'x-request-id': 'trace-me' } });
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(reply.headers.get('x-request-id')).toBe('trace-me');
    expect(reply.json()).toEqual({
      type: 'urn:problem-type:route-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route GET /prod/nowhere/at/all',
      instance: '/prod/nowhere/at/all',
      requestId: reply.headers.get('x-amzn-requestid'),
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
    });
  });

  it('treats a known path with an undeclared method as an unknown route, as API Gateway does', async () => {
    const reply = await call(origin, '/items/1', { method: 'DELETE' });
    expect(reply.status).toBe(404);
    expect(reply.json()['responseType']).toBe('MISSING_AUTHENTICATION_TOKEN');
  });

  it('serves a second API from another stack on the same origin', async () => {
    const reply = await call(origin, '/consumer/items/7');
    expect(reply.status).toBe(200);
    // The URL came from the items stack through SSM and resolves to the items API's own base URL.
    expect(reply.json()).toEqual({ itemsApiUrl: `${apiBase('fxitems')}/`, upstreamStatus: 200, upstream: { id: '7' } });
  });
});

/** The per-API base URL the runtime lists for a service. */
const apiBase = (service: string): string => {
  const api = runtime.apis.find((candidate) => candidate.service === service);
  if (!api) throw new Error(`no API of service ${service} in ${JSON.stringify(runtime.apis)}`);
  return api.baseUrl;
};

describe('each API at its own base URL, shaped like the deployed one', () => {
  it('lists every API with its service, id, stage, stack and base URL', () => {
    expect(runtime.apis).toEqual([
      { service: 'fxconsumer', apiId: expect.stringMatching(/^[a-z0-9]{10}$/), stage: 'prod', stackName: 'FxConsumer', baseUrl: expect.any(String) },
      { service: 'fxitems', apiId: expect.stringMatching(/^[a-z0-9]{10}$/), stage: 'prod', stackName: 'FxItems', baseUrl: expect.any(String) },
    ]);
    for (const api of runtime.apis) expect(api.baseUrl).toBe(`${origin}/_aws/execute-api/${api.apiId}/prod`);
    expect(new Set(runtime.apis.map((api) => api.apiId)).size).toBe(2);
  });

  it('invokes the same function with the same answer as the root origin', async () => {
    const [viaBase, viaOrigin] = await Promise.all([call(apiBase('fxitems'), '/items/abc%20d'), call(origin, '/items/abc%20d')]);
    expect(viaBase.status).toBe(200);
    expect(viaBase.json()).toEqual({ id: 'abc d' });
    expect(viaBase.json()).toEqual(viaOrigin.json());
  });

  it("sends the event AWS sends for a stage URL: the path without the stage, requestContext.path with it (AWS's documented example)", async () => {
    const documented = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'aws-documented-rest-stage-event.json'), 'utf8')) as {
      request: { method: string; path: string };
      event: { resource: string; path: string; httpMethod: string; requestContext: Record<string, string> };
    };
    const reply = await call(apiBase('fxitems'), documented.request.path, { method: documented.request.method });
    expect(reply.status).toBe(200);
    const event = reply.json() as { resource: string; path: string; httpMethod: string; requestContext: Record<string, unknown> };
    // The documented API's stage is "Prod" and its id "70ixmpl4fl"; here they are "prod" and the local id.
    const stage = 'prod';
    const apiId = runtime.apis.find((api) => api.service === 'fxitems')!.apiId;
    const expected = documented.event;
    expect({ resource: event.resource, path: event.path, httpMethod: event.httpMethod }).toEqual({
      resource: expected.resource,
      path: expected.path,
      httpMethod: expected.httpMethod,
    });
    expect(event.requestContext).toMatchObject({
      resourcePath: expected.requestContext['resourcePath'],
      httpMethod: expected.requestContext['httpMethod'],
      path: expected.requestContext['path']!.replace(`/${expected.requestContext['stage']}/`, `/${stage}/`),
      stage,
      apiId,
    });
  });

  it('fills path, resource and requestContext for a nested path as for the root origin', async () => {
    const request = { method: 'POST', body: 'x', headers: bearer('allow-hank') };
    const [viaBase, viaOrigin] = await Promise.all([call(apiBase('fxitems'), '/private/my/path/', request), call(origin, '/private/my/path/', request)]);
    const pick = (reply: { json: () => Record<string, unknown> }) => {
      const event = reply.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const context = event['requestContext'];
      return { resource: event['resource'], path: event['path'], pathParameters: event['pathParameters'], context: [context.path, context.resourcePath, context.stage, context.apiId] };
    };
    expect(pick(viaBase)).toEqual({
      resource: '/private/{proxy+}',
      path: '/private/my/path/',
      pathParameters: { proxy: 'my/path' },
      context: ['/prod/private/my/path/', '/private/{proxy+}', 'prod', runtime.apis.find((api) => api.service === 'fxitems')!.apiId],
    });
    expect(pick(viaBase)).toEqual(pick(viaOrigin));
  });

  it("routes only within its own API: another API's path is this API's unknown route", async () => {
    expect((await call(apiBase('fxconsumer'), '/consumer/items/7')).status).toBe(200);
    const reply = await call(apiBase('fxitems'), '/consumer/items/7');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    // The items API's own gateway response answers, with the stage in $context.path.
    expect(reply.json()).toMatchObject({ type: 'urn:problem-type:route-not-found', instance: '/prod/consumer/items/7' });
  });

  it('answers a stage the API does not have with 403 Forbidden, as API Gateway does', async () => {
    const apiId = runtime.apis.find((api) => api.service === 'fxitems')!.apiId;
    const reply = await call(origin, `/_aws/execute-api/${apiId}/staging/items/1`);
    expect(reply.status).toBe(403);
    expect(reply.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    expect(reply.json()).toEqual({ message: 'Forbidden' });
  });

  it('answers an API id it does not serve with 404, naming the APIs it serves', async () => {
    const reply = await call(origin, '/_aws/execute-api/nosuchapi0/prod/items/1');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(String(reply.json()['message'])).toContain(`${runtime.apis.find((api) => api.service === 'fxitems')!.apiId}/prod (FxItems)`);
  });
});

describe('TOKEN authorizer', () => {
  it('lets an allowed token through and hands the principal and context to the function', async () => {
    const reply = await call(origin, '/private/a/b', { headers: bearer('allow-alice') });
    expect(reply.status).toBe(200);
    const authorizer = (reply.json()['requestContext'] as Record<string, Record<string, unknown>>)['authorizer']!;
    expect(authorizer['principalId']).toBe('alice');
    expect(authorizer['userId']).toBe('alice');
    expect(typeof authorizer['integrationLatency']).toBe('number');
  });

  it('answers 401 UNAUTHORIZED when the identity source header is missing', async () => {
    const reply = await call(origin, '/private/x');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    expect(reply.json()).toMatchObject({ type: 'urn:problem-type:unauthorized', detail: 'Unauthorized', responseType: 'UNAUTHORIZED' });
  });

  it('answers 401 without calling the authorizer when the token fails the validation expression', async () => {
    // "crash" would make the authorizer fail with a 500 if it were called.
    const reply = await call(origin, '/private/x', { headers: { authorization: 'Bearer crash-BAD_CASE' } });
    expect(reply.status).toBe(401);
  });

  it('answers 401 when the authorizer throws Unauthorized', async () => {
    const reply = await call(origin, '/private/x', { headers: bearer('unauth-bob') });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  it('answers 403 ACCESS_DENIED with the explicit-deny message for a Deny policy', async () => {
    const reply = await call(origin, '/private/x', { headers: bearer('deny-carol') });
    expect(reply.status).toBe(403);
    expect(reply.json()).toMatchObject({
      type: 'urn:problem-type:forbidden',
      detail: 'User is not authorized to access this resource with an explicit deny',
    });
  });

  it('answers 500 through DEFAULT_5XX when the authorizer fails otherwise, and never reaches the function', async () => {
    const reply = await call(origin, '/private/x', { headers: bearer('crash-dave') });
    expect(reply.status).toBe(500);
    expect(reply.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
    expect(reply.json()).toMatchObject({ type: 'urn:problem-type:internal-error', responseType: 'AUTHORIZER_CONFIGURATION_ERROR', detail: null });
  });

  it('caches a policy per token for the TTL, evaluates it against each method ARN, and calls again after expiry', async () => {
    const first = await call(origin, '/private/one', { headers: bearer('allow-erin') });
    const second = await call(origin, '/private/two', { headers: bearer('allow-erin') });
    const decision = (reply: typeof first) =>
      ((reply.json()['requestContext'] as Record<string, Record<string, unknown>>)['authorizer']!)['decision'];
    expect(decision(first)).toEqual(decision(second));

    // A cached policy that covers GET /items/* only does not cover /private/*: 403 without a new call.
    const narrowItems = await call(origin, '/private/x', { headers: bearer('narrow-frank') });
    expect(narrowItems.status).toBe(403);
    expect(narrowItems.json()['detail']).toBe('User is not authorized to access this resource');

    await sleep(TEST_LIMITS.authorizerCacheTtlSeconds * 1000 + 200);
    const third = await call(origin, '/private/three', { headers: bearer('allow-erin') });
    expect(decision(third)).not.toEqual(decision(first));
  });
});

describe('request validation', () => {
  const post = (body: string, contentType = 'application/json') =>
    call(origin, '/items', { method: 'POST', body, headers: { 'content-type': contentType } });

  it('passes a valid body to the function untouched', async () => {
    const reply = await post('{"name":"pen","count":3}');
    expect(reply.status).toBe(200);
    expect(reply.json()['body']).toBe('{"name":"pen","count":3}');
  });

  /** The template puts validationErrorString between quotes, so the body is text, not JSON (as in AWS). */
  const validation = (text: string) => /"validation":"(.*)"\}$/.exec(text)?.[1];

  it('answers BAD_REQUEST_BODY with the validator messages API Gateway gives', async () => {
    const reply = await post('{"count":"3"}');
    expect(reply.status).toBe(400);
    expect(reply.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(reply.text).toBe(
      '{"type":"urn:problem-type:validation-error","title":"Bad Request","status":400,"detail":"Invalid request body",' +
        '"validation":"[object has missing required properties (["name"]), instance type (string) does not match any allowed primitive type (allowed: ["integer"])]"}',
    );
  });

  it('reports enum, length, bounds and unknown properties in one string', async () => {
    const reply = await post('{"name":"a","count":11,"tag":"c","extra":true}');
    const message = validation(reply.text);
    expect(message).toContain('object instance has properties which are not allowed by the schema: ["extra"]');
    expect(message).toContain('string "a" is too short (length: 1, required minimum: 2)');
    expect(message).toContain('numeric instance is greater than the required maximum (maximum: 10, found: 11)');
    expect(message).toContain('instance value ("c") not found in enum (possible values: ["a","b"])');
  });

  it('answers BAD_REQUEST_BODY for a body that is not JSON', async () => {
    const reply = await post('{not json');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('"detail":"Invalid request body"');
    expect(validation(reply.text)).toMatch(/^\[Invalid JSON: /);
  });

  it('answers BAD_REQUEST_PARAMETERS naming the missing required parameters', async () => {
    const reply = await call(origin, '/search');
    expect(reply.status).toBe(400);
    expect(reply.json()).toMatchObject({ detail: 'Missing required request parameters: [q, x-tenant]', responseType: 'BAD_REQUEST_PARAMETERS' });
    const ok = await call(origin, '/search?q=pens', { headers: { 'x-tenant': 't1' } });
    expect(ok.status).toBe(200);
  });
});

describe('Lambda behind the proxy integration', () => {
  it('answers 502 through DEFAULT_5XX for a malformed proxy result', async () => {
    const reply = await call(origin, '/faults/malformed');
    expect(reply.status).toBe(502);
    expect(reply.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(reply.json()).toMatchObject({ type: 'urn:problem-type:internal-error', detail: 'Internal server error', responseType: 'DEFAULT_5XX' });
    expect(logLines.some((line) => line.includes('Malformed Lambda proxy response'))).toBe(true);
  });

  it('answers 502 through DEFAULT_5XX when the function throws', async () => {
    const reply = await call(origin, '/faults/throw');
    expect(reply.status).toBe(502);
    expect(reply.json()).toMatchObject({ responseType: 'DEFAULT_5XX', detail: 'Internal server error' });
  });

  it('answers 502 when the function runs past its 1 s timeout', async () => {
    const started = Date.now();
    const reply = await call(origin, '/faults/slow?ms=3000');
    expect(reply.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(2500);
    // The environment was destroyed; the next call gets a fresh one and succeeds.
    expect((await call(origin, '/faults/slow?ms=10')).status).toBe(200);
  });

  it('answers 500 through DEFAULT_5XX when the function has no free concurrency, as AWS does', async () => {
    const replies = await Promise.all([1, 2, 3, 4].map(() => call(origin, '/single?ms=800')));
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, 500, 500, 500]);
    const throttled = replies.find((reply) => reply.status === 500)!;
    expect(throttled.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(throttled.json()).toMatchObject({ detail: 'Internal server error', responseType: 'DEFAULT_5XX' });
    expect(logLines.some((line) => line.includes('Lambda throttled') && line.includes('ReservedFunctionConcurrentInvocationLimitExceeded'))).toBe(true);
  });

  it('persists through the real SDK into the embedded DynamoDB', async () => {
    const put = await call(origin, '/notes/n1', {
      method: 'PUT',
      body: JSON.stringify({ text: 'hello' }),
      headers: { ...bearer('allow-gina'), 'content-type': 'application/json' },
    });
    expect(put.status).toBe(201);
    const get = await call(origin, '/notes/n1', { headers: bearer('allow-gina') });
    expect(get.json()).toEqual({ id: 'n1', text: 'hello' });
  });
});

describe('the proxy event', () => {
  const documented = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'aws-documented-rest-proxy-event.json'), 'utf8')) as Record<string, unknown>;

  /** Every key of the documented example, with a value of the same JSON type (null where AWS documents null). */
  function expectSameShape(actual: unknown, expected: unknown, path: string): void {
    if (expected === null) {
      expect({ path, value: actual }).toEqual({ path, value: null });
      return;
    }
    const kind = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
    expect({ path, kind: kind(actual) }).toEqual({ path, kind: kind(expected) });
    if (kind(expected) === 'object' && !/(headers|Headers|Parameters|authorizer)$/.test(path)) {
      for (const key of Object.keys(expected as object)) {
        expect({ path, keys: Object.keys(actual as object) }).toEqual({ path, keys: expect.arrayContaining([key]) });
        expectSameShape((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      }
    }
  }

  it('has every field of the event AWS documents, with the same types', async () => {
    const reply = await call(origin, '/private/my/path?parameter1=value1&parameter1=value2&parameter2=value', {
      method: 'POST',
      body: 'Hello from Lambda!',
      headers: { ...bearer('allow-hank'), header1: 'value1', 'user-agent': 'user-agent' },
    });
    const event = reply.json();
    const withNullStageVariables = { ...documented, stageVariables: null };
    expectSameShape(event, withNullStageVariables, 'event');
  });

  it('fills the fields with what the request carried', async () => {
    const before = Date.now();
    const reply = await call(origin, '/private/my/path?parameter1=value1&parameter1=value2&parameter2=value', {
      method: 'POST',
      body: 'Hello from Lambda!',
      headers: { ...bearer('allow-hank'), header2: 'x', 'user-agent': 'user-agent' },
    });
    const event = reply.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(event).toMatchObject({
      resource: '/private/{proxy+}',
      path: '/private/my/path',
      httpMethod: 'POST',
      queryStringParameters: { parameter1: 'value2', parameter2: 'value' },
      multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
      pathParameters: { proxy: 'my/path' },
      stageVariables: null,
      body: 'Hello from Lambda!',
      isBase64Encoded: false,
    });
    expect(event['headers']).toMatchObject({ header2: 'x', 'X-Forwarded-Proto': 'http' });
    expect(event['multiValueHeaders']['header2']).toEqual(['x']);
    const context = event['requestContext'];
    expect(context).toMatchObject({
      accountId: '123456789012',
      resourcePath: '/private/{proxy+}',
      httpMethod: 'POST',
      path: '/prod/private/my/path',
      stage: 'prod',
      protocol: 'HTTP/1.1',
      identity: { sourceIp: '127.0.0.1', userAgent: 'user-agent' },
      authorizer: { principalId: 'hank', userId: 'hank' },
      requestId: reply.headers.get('x-amzn-requestid'),
    });
    expect(context.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(context.requestTimeEpoch).toBeGreaterThanOrEqual(before - 1000);
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context.extendedRequestId).toBe(reply.headers.get('x-amz-apigw-id'));
  });

  it('gives null for absent query, path parameters and body', async () => {
    const reply = await call(origin, '/search?q=1', { headers: { 'x-tenant': 't' } });
    const event = reply.json();
    expect(event['pathParameters']).toBeNull();
    expect(event['body']).toBeNull();
    expect(event['queryStringParameters']).toEqual({ q: '1' });
    expect((event['requestContext'] as Record<string, unknown>)['authorizer']).toBeUndefined();
  });
});

describe('stage throttling (rate 20/s, burst 10)', () => {
  it('never answers 429 below the rate', async () => {
    await sleep(1000); // let the bucket refill after the tests above
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await call(origin, `/items/below-${i}`)).status);
      await sleep(1000 / 15);
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it('answers 429 problem bodies above the rate, and never a 5xx', async () => {
    await sleep(1000);
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => call(origin, `/items/burst-${i}`)));
    const elapsedSeconds = (performance.now() - started) / 1000;
    const passed = replies.filter((reply) => reply.status === 200).length;
    const throttled = replies.filter((reply) => reply.status === 429);
    expect(replies.filter((reply) => reply.status >= 500)).toEqual([]);
    expect(passed + throttled.length).toBe(100);
    // At most the burst plus what refilled while the requests arrived; at least the burst.
    expect(passed).toBeGreaterThanOrEqual(TEST_LIMITS.stageBurstLimit);
    expect(passed).toBeLessThanOrEqual(TEST_LIMITS.stageBurstLimit + Math.ceil(TEST_LIMITS.stageRateLimit * elapsedSeconds) + 1);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]!.headers.get('retry-after')).toBe('1');
    expect(throttled[0]!.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(throttled[0]!.json()).toMatchObject({ type: 'urn:problem-type:throttled', status: 429, detail: 'Too Many Requests' });
  });

  it("shares one method's bucket between the root origin and the API's own base URL (one deployed method)", async () => {
    await sleep(1000);
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? call(origin, `/items/both-${i}`) : call(apiBase('fxitems'), `/items/both-${i}`))),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    const passed = replies.filter((reply) => reply.status === 200).length;
    expect(replies.filter((reply) => reply.status !== 200 && reply.status !== 429)).toEqual([]);
    // Two buckets would let twice the burst through.
    expect(passed).toBeGreaterThanOrEqual(TEST_LIMITS.stageBurstLimit);
    expect(passed).toBeLessThanOrEqual(TEST_LIMITS.stageBurstLimit + Math.ceil(TEST_LIMITS.stageRateLimit * elapsedSeconds) + 1);
  });

  it('gives each method its own bucket', async () => {
    await sleep(1000);
    const drained = await Promise.all(Array.from({ length: 40 }, (_, i) => call(origin, `/items/drain-${i}`)));
    expect(drained.some((reply) => reply.status === 429)).toBe(true);
    const other = await call(origin, '/search?q=1', { headers: { 'x-tenant': 't' } });
    expect(other.status).toBe(200);
  });
});
