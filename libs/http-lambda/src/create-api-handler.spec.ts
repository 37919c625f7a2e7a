import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import { currentDeadline, deadlineSignal } from '@sm/deadline';
import { ForbiddenError, NotFoundError, PreconditionFailedError } from '@sm/errors';
import { createObservability } from '@sm/observability';
import { operationManifest, validators, type operations } from '../test/fixture/contract';
import { lambdaContext, proxyEvent } from '../test/events';
import { createApiHandler, type ApiHandlerOptions } from './create-api-handler';
import type { ApiHandlers } from './operation-types';
import { requireOwner } from './principal';
import { ResponseValidationError } from './response-validation';

const contract = { operationManifest, validators };
const alice = { userId: 'u-alice', username: 'alice' };
const widget = { widgetId: 'w-1', name: 'gear', size: 2 };

let output: string[];
const logLines = (): Record<string, unknown>[] =>
  output.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

beforeEach(() => {
  output = [];
  const record = (chunk: string | Uint8Array) => {
    output.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(record);
  jest.spyOn(process.stderr, 'write').mockImplementation(record);
});

const build = (handlers: ApiHandlers<operations>, options: ApiHandlerOptions = {}) =>
  createApiHandler<operations>(contract, handlers, {
    observability: createObservability({ serviceName: 'widgets', namespace: 'Test' }),
    ...options,
  });

const parse = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('createApiHandler routing and success responses', () => {
  it('routes by method and path template and answers with the typed JSON response', async () => {
    // Prepare
    const seen: unknown[] = [];
    const handler = build({
      getWidget: async ({ params, principal, requestId }) => {
        seen.push({ widgetId: params.path.widgetId, principal, requestId });
        return { status: 200, body: widget, headers: { ETag: '"v1"' } };
      },
    });

    // Act
    const result = await handler(
      proxyEvent({
        method: 'GET',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', ETag: '"v1"' });
    expect(parse(result.body)).toEqual(widget);
    expect(seen).toEqual([{ widgetId: 'w-1', principal: alice, requestId: 'req-0001' }]);
  });

  it('coerces query parameters and fills their defaults before the handler runs', async () => {
    // Prepare
    const limits: unknown[] = [];
    const handler = build({
      listWidgets: ({ params }) => {
        limits.push(params.query.limit);
        return { status: 200, body: { items: [], nextCursor: null } };
      },
    });

    // Act
    await handler(
      proxyEvent({ method: 'GET', resource: '/widgets', query: { limit: '5' } }),
      lambdaContext(),
    );
    await handler(proxyEvent({ method: 'GET', resource: '/widgets' }), lambdaContext());

    // Assess
    expect(limits).toEqual([5, 20]);
  });

  it('passes header parameters with lower-case names and the parsed body with its defaults', async () => {
    // Prepare
    const seen: unknown[] = [];
    const handler = build({
      putWidget: ({ params, body }) => {
        seen.push({ ifMatch: params.header['if-match'], body });
        return {
          status: 201,
          body: { widgetId: params.path.widgetId, name: body.name, size: body.size },
        };
      },
    });

    // Act
    const result = await handler(
      proxyEvent({
        method: 'PUT',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-7' },
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'If-Match': '"v3"' },
        body: JSON.stringify({ name: 'sprocket' }),
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(201);
    expect(seen).toEqual([{ ifMatch: '"v3"', body: { name: 'sprocket', size: 1 } }]);
  });

  it('decodes a base64-encoded body', async () => {
    // Prepare
    const names: string[] = [];
    const handler = build({
      putWidget: ({ body }) => {
        names.push(body.name);
        return { status: 200, body: { ...widget, name: body.name } };
      },
    });

    // Act
    const result = await handler(
      proxyEvent({
        method: 'PUT',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ name: 'flywheel' })).toString('base64'),
        isBase64Encoded: true,
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(names).toEqual(['flywheel']);
  });

  it('answers 204 with an empty body and no content type', async () => {
    // Prepare
    const handler = build({ deleteWidget: () => ({ status: 204 }) });

    // Act
    const result = await handler(
      proxyEvent({
        method: 'DELETE',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(result).toEqual({
      statusCode: 204,
      headers: {
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'cache-control': 'no-store',
      },
      body: '',
    });
  });

  it('refuses to build a handler for an operation the contract does not have', () => {
    // Act
    const build_ = () =>
      build({ nope: () => ({ status: 200 }) } as unknown as ApiHandlers<operations>);

    // Assess
    expect(build_).toThrow(/operation 'nope' is not in the contract/);
  });
});

describe('createApiHandler request validation', () => {
  const putWidget = jest.fn(() => ({ status: 200 as const, body: widget }));
  const putEvent = (overrides: Partial<Parameters<typeof proxyEvent>[0]> = {}) =>
    proxyEvent({
      method: 'PUT',
      resource: '/widgets/{widgetId}',
      pathParameters: { widgetId: 'w-1' },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'gear' }),
      principal: alice,
      ...overrides,
    });

  it('reports every invalid parameter and body field in one validation problem with pointers', async () => {
    // Prepare
    const handler = build({ putWidget });

    // Act
    const result = await handler(
      putEvent({
        pathParameters: { widgetId: 'bad id' },
        body: JSON.stringify({ name: 'ab', colour: 'red' }),
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    });
    const problem = parse(result.body);
    expect(problem).toMatchObject({
      type: 'urn:problem-type:validation-error',
      status: 400,
      instance: '/prod/widgets/bad id',
      requestId: 'req-0001',
    });
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/path/widgetId', message: expect.stringContaining('pattern') },
        { pointer: '/body/name', message: 'must NOT have fewer than 3 characters' },
        { pointer: '/body/colour', message: 'is not allowed' },
      ]),
    );
    expect(putWidget).not.toHaveBeenCalled();
  });

  it('points a missing required body member at the member', async () => {
    // Act
    const result = await build({ putWidget })(
      putEvent({ body: JSON.stringify({ size: 3 }) }),
      lambdaContext(),
    );

    // Assess
    expect(parse(result.body).errors).toEqual([{ pointer: '/body/name', message: 'is required' }]);
  });

  it('reports a query parameter of the wrong type at /query', async () => {
    // Prepare
    const handler = build({
      listWidgets: () => ({ status: 200, body: { items: [], nextCursor: null } }),
    });

    // Act
    const result = await handler(
      proxyEvent({ method: 'GET', resource: '/widgets', query: { limit: 'many' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(parse(result.body).errors).toEqual([
      { pointer: '/query/limit', message: 'must be integer' },
    ]);
  });

  it('answers malformed JSON with a 400 that points at the body', async () => {
    // Act
    const result = await build({ putWidget })(
      putEvent({ body: '{"name": "gear"' }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(parse(result.body)).toMatchObject({
      type: 'urn:problem-type:validation-error',
      errors: [{ pointer: '/body', message: 'must be valid JSON' }],
    });
  });

  it('answers a missing required body with a 400', async () => {
    // Act
    const result = await build({ putWidget })(
      putEvent({ body: null, headers: {} }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(parse(result.body).errors).toEqual([{ pointer: '/body', message: 'is required' }]);
  });

  it.each([
    ['a wrong content type', { 'content-type': 'text/plain' }],
    ['no content type', {} as Record<string, string>],
  ])('answers a body with %s with 415', async (_, headers) => {
    // Act
    const result = await build({ putWidget })(putEvent({ headers }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(415);
    expect(parse(result.body)).toMatchObject({
      type: 'urn:problem-type:unsupported-media-type',
      status: 415,
    });
    expect(putWidget).not.toHaveBeenCalled();
  });

  it.each([
    ['as text', (body: string) => ({ body })],
    ['base64-encoded', (body: string) => ({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true })],
  ])("answers a body over the operation's byte limit (%s) with 413 before parsing it", async (_label, encode) => {
    // Prepare: valid JSON padded with spaces to one byte over the fixture's 2,048-byte limit.
    const json = JSON.stringify({ name: 'gear' });
    const tooLarge = json + ' '.repeat(2049 - json.length);
    const atLimit = json + ' '.repeat(2048 - json.length);
    const put = jest.fn(() => ({ status: 200 as const, body: widget }));

    // Act
    const refused = await build({ putWidget: put })(putEvent(encode(tooLarge)), lambdaContext());
    const accepted = await build({ putWidget: put })(putEvent(encode(atLimit)), lambdaContext());

    // Assess
    expect(refused.statusCode).toBe(413);
    expect(parse(refused.body)).toMatchObject({
      type: 'urn:problem-type:payload-too-large',
      status: 413,
      detail: 'The request body has 2049 bytes; putWidget accepts at most 2048.',
    });
    expect(accepted.statusCode).toBe(200);
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('refuses an oversized body before its media type or JSON is looked at', async () => {
    // Prepare
    const put = jest.fn(() => ({ status: 200 as const, body: widget }));

    // Act
    const result = await build({ putWidget: put })(
      putEvent({ headers: { 'content-type': 'text/plain' }, body: '{'.repeat(5000) }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(413);
    expect(put).not.toHaveBeenCalled();
  });

  it('answers 401 on a secured operation without an authorizer principal, before validating', async () => {
    // Act
    const result = await build({ putWidget })(
      putEvent({ principal: null, body: 'not json' }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(401);
    expect(parse(result.body)).toMatchObject({ type: 'urn:problem-type:unauthorized' });
    expect(putWidget).not.toHaveBeenCalled();
  });
});

describe('createApiHandler security headers', () => {
  const csp = "default-src 'none'; frame-ancestors 'none'";

  it('sends nosniff, the JSON API policy and no-store on an authenticated answer, whatever the handler set', async () => {
    // Act
    const result = await build({
      getWidget: () => ({ status: 200, body: widget, headers: { ETag: '"v1"', 'Cache-Control': 'public, max-age=600' } }),
    })(proxyEvent({ method: 'GET', resource: '/widgets/{widgetId}', pathParameters: { widgetId: 'w-1' }, principal: alice }), lambdaContext());

    // Assess
    expect(result.headers).toEqual({
      ETag: '"v1"',
      'content-type': 'application/json',
      'x-content-type-options': 'nosniff',
      'content-security-policy': csp,
      'cache-control': 'no-store',
    });
  });

  it("leaves caching of a public operation's success to its handler, with nosniff and the policy", async () => {
    // Act
    const result = await build({ listWidgets: () => ({ status: 200, body: { items: [widget], nextCursor: null } }) })(
      proxyEvent({ method: 'GET', resource: '/widgets' }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({
      'content-type': 'application/json',
      'x-content-type-options': 'nosniff',
      'content-security-policy': csp,
    });
  });

  it('sends all three on every problem, also from a public operation, keeping the error’s own headers', async () => {
    // Act
    const result = await build({
      listWidgets: () => {
        throw new PreconditionFailedError('stale', { headers: { 'Retry-After': '3' } });
      },
      // 412 is not one of listWidgets' statuses; only the headers are looked at here.
    }, { validateResponses: false })(proxyEvent({ method: 'GET', resource: '/widgets' }), lambdaContext());

    // Assess
    expect(result.headers).toEqual({
      'Retry-After': '3',
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      'content-security-policy': csp,
      'cache-control': 'no-store',
    });
  });
});

describe('createApiHandler error mapping', () => {
  const getEvent = () =>
    proxyEvent({
      method: 'GET',
      resource: '/widgets/{widgetId}',
      pathParameters: { widgetId: 'w-1' },
      principal: alice,
    });

  it('maps a thrown AppError to its problem with instance and requestId', async () => {
    // Prepare
    const handler = build({
      putWidget: () => {
        throw new PreconditionFailedError('The widget changed since you read it.');
      },
    });

    // Act
    const result = await handler(
      proxyEvent({
        method: 'PUT',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        headers: { 'content-type': 'application/json' },
        body: '{"name":"gear"}',
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(412);
    expect(parse(result.body)).toEqual({
      type: 'urn:problem-type:precondition-failed',
      title: 'Precondition Failed',
      status: 412,
      detail: 'The widget changed since you read it.',
      instance: '/prod/widgets/w-1',
      requestId: 'req-0001',
    });
  });

  it('lets requireOwner refuse another user with 403', async () => {
    // Prepare
    const handler = build({
      putWidget: ({ principal }) => {
        requireOwner(principal, 'u-bob');
        return { status: 200, body: widget };
      },
    });

    // Act
    const result = await handler(
      proxyEvent({
        method: 'PUT',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        headers: { 'content-type': 'application/json' },
        body: '{"name":"gear"}',
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(403);
    expect(parse(result.body)).toMatchObject({ type: new ForbiddenError().type });
  });

  it('turns an unexpected error into a generic 500 that never echoes it, logged at ERROR with the request id', async () => {
    // Prepare
    const handler = build({
      getWidget: () => {
        throw new Error('password=hunter2 leaked from the driver');
      },
    });

    // Act
    const result = await handler(getEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('hunter2');
    expect(parse(result.body)).toMatchObject({
      type: 'urn:problem-type:internal-error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
      requestId: 'req-0001',
    });
    const errorLog = logLines().find((line) => line.level === 'ERROR');
    expect(errorLog).toMatchObject({
      requestId: 'req-0001',
      operationId: 'getWidget',
      service: 'widgets',
    });
    expect(JSON.stringify(errorLog)).toContain('hunter2');
  });

  it('answers a store throttle that outlasted the SDK retries with 503 and Retry-After, logged at ERROR', async () => {
    // Prepare: what @aws-sdk/client-dynamodb throws once its retries are spent.
    const throttled = new ThrottlingException({
      message: 'Rate of requests exceeds the allowed throughput.',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });
    const handler = build({
      getWidget: () => {
        throw throttled;
      },
    });

    // Act
    const result = await handler(getEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers).toMatchObject({
      'Retry-After': '1',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    });
    expect(parse(result.body)).toEqual({
      type: 'urn:problem-type:service-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service is temporarily unavailable; retry later.',
      instance: '/prod/widgets/w-1',
      requestId: 'req-0001',
    });
    expect(result.body).not.toContain('Rate of requests');
    const errorLog = logLines().find((line) => line.level === 'ERROR');
    expect(errorLog).toMatchObject({ status: 503, type: 'urn:problem-type:service-unavailable' });
    expect(JSON.stringify(errorLog)).toContain('ThrottlingException');
  });

  it("runs the handler with the invocation's budget and answers 503 when a dependency outlasts it", async () => {
    // Prepare: a dependency that answers only when aborted, as the store client does at the deadline.
    let budget: number | undefined;
    const handler = build(
      {
        getWidget: async () => {
          budget = currentDeadline()?.budgetMs;
          const signal = deadlineSignal()!;
          await new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
          );
          return { status: 200, body: widget, headers: { ETag: '"v1"' } };
        },
      },
      { deadlineBudgetMs: 60 },
    );

    // Act
    const started = Date.now();
    const result = await handler(getEvent(), lambdaContext());

    // Assess
    expect(budget).toBe(60);
    expect(result.statusCode).toBe(503);
    expect(result.headers).toMatchObject({ 'Retry-After': '1' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(JSON.stringify(logLines().find((line) => line.level === 'ERROR'))).toContain(
      'DeadlineExceededError',
    );
  });

  it('never lets a wait run past the function’s remaining time less the response reserve', async () => {
    let left: number | undefined;
    const handler = build(
      {
        getWidget: () => {
          left = (currentDeadline()?.at ?? Number.POSITIVE_INFINITY) - Date.now();
          return { status: 200, body: widget, headers: { ETag: '"v1"' } };
        },
      },
      { deadlineBudgetMs: 60_000 },
    );
    await handler(getEvent(), lambdaContext()); // 3 s remaining
    expect(left).toBeLessThanOrEqual(3000 - 250);
    expect(left).toBeGreaterThan(2000);
  });

  it('answers an event for an operation this function does not serve with a logged 500', async () => {
    // Prepare
    const getWidget = jest.fn();
    const handler = build({ getWidget });

    // Act
    const result = await handler(
      proxyEvent({ method: 'GET', resource: '/widgets' }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(500);
    expect(parse(result.body)).toMatchObject({ type: 'urn:problem-type:internal-error' });
    expect(getWidget).not.toHaveBeenCalled();
    expect(logLines().find((line) => line.level === 'ERROR')).toMatchObject({
      message: 'No handler for this route in this function',
      resource: '/widgets',
    });
  });
});

describe('createApiHandler observability', () => {
  it("logs with the caller's x-correlation-id and publishes the metrics a handler counted", async () => {
    // Prepare
    const observability = createObservability({ serviceName: 'widgets', namespace: 'Test' });
    const handler = createApiHandler<operations>(
      contract,
      {
        getWidget: () => {
          observability.logger.info('reading widget');
          observability.countMetric('WidgetRead');
          return { status: 200, body: widget, headers: { ETag: '"v1"' } };
        },
      },
      { observability },
    );

    // Act
    await handler(
      proxyEvent({
        method: 'GET',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        headers: { 'X-Correlation-Id': 'corr-9' },
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    expect(logLines().find((line) => line.message === 'reading widget')).toMatchObject({
      correlation_id: 'corr-9',
      operationId: 'getWidget',
      function_request_id: 'lambda-req-0001',
    });
    expect(logLines().some((line) => line.WidgetRead === 1)).toBe(true);
  });
});

describe('createApiHandler response validation', () => {
  const getEvent = () =>
    proxyEvent({
      method: 'GET',
      resource: '/widgets/{widgetId}',
      pathParameters: { widgetId: 'w-1' },
      principal: alice,
    });
  const badBody = { widgetId: 'w-1', name: 'gear', size: 'big' } as unknown as typeof widget;

  it('fails the invocation under Jest when a response body breaks the contract', async () => {
    // Prepare
    const handler = build({
      getWidget: () => ({ status: 200, body: badBody, headers: { ETag: '"v1"' } }),
    });

    // Act
    const outcome = handler(getEvent(), lambdaContext());

    // Assess
    await expect(outcome).rejects.toThrow(ResponseValidationError);
    await expect(handler(getEvent(), lambdaContext())).rejects.toThrow(
      /\/body\/size must be integer/,
    );
  });

  it('fails the invocation when a thrown error has a status the operation does not declare', async () => {
    // Prepare
    const handler = build({ deleteWidget: () => Promise.reject(new NotFoundError()) });

    // Act
    const outcome = handler(
      proxyEvent({
        method: 'DELETE',
        resource: '/widgets/{widgetId}',
        pathParameters: { widgetId: 'w-1' },
        principal: alice,
      }),
      lambdaContext(),
    );

    // Assess
    await expect(outcome).rejects.toThrow(/status 404 is not declared/);
  });

  it('judges the body as serialised, so an undefined member is not a violation', async () => {
    // Prepare
    const handler = build({
      listWidgets: () => ({
        status: 200,
        body: { items: [{ ...widget, extra: undefined }], nextCursor: null },
      }),
    });

    // Act
    const result = await handler(
      proxyEvent({ method: 'GET', resource: '/widgets' }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
  });

  it('logs a violation and still sends the response in log mode', async () => {
    // Prepare
    const handler = build(
      { getWidget: () => ({ status: 200, body: badBody, headers: { ETag: '"v1"' } }) },
      { onInvalidResponse: 'log' },
    );

    // Act
    const result = await handler(getEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(
      logLines().find((line) => line.message === 'Response violates the contract'),
    ).toMatchObject({
      level: 'ERROR',
      operationId: 'getWidget',
      status: 200,
    });
  });

  it('skips the check when validateResponses is false', async () => {
    // Prepare
    const handler = build(
      { getWidget: () => ({ status: 200, body: badBody, headers: { ETag: '"v1"' } }) },
      { validateResponses: false },
    );

    // Act
    const result = await handler(getEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(logLines().some((line) => line.message === 'Response violates the contract')).toBe(
      false,
    );
  });

  describe('outside Jest', () => {
    let jestWorkerId: string | undefined;
    beforeEach(() => {
      jestWorkerId = process.env.JEST_WORKER_ID;
      delete process.env.JEST_WORKER_ID;
    });
    afterEach(() => {
      process.env.JEST_WORKER_ID = jestWorkerId;
      delete process.env.SM_VALIDATE_RESPONSES;
    });

    it('does not validate responses unless SM_VALIDATE_RESPONSES is true', async () => {
      // Prepare
      const handler = build({
        getWidget: () => ({ status: 200, body: badBody, headers: { ETag: '"v1"' } }),
      });

      // Act
      const result = await handler(getEvent(), lambdaContext());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(logLines().some((line) => line.message === 'Response violates the contract')).toBe(
        false,
      );
    });

    it('validates and logs when SM_VALIDATE_RESPONSES is true', async () => {
      // Prepare
      process.env.SM_VALIDATE_RESPONSES = 'true';
      const handler = build({
        getWidget: () => ({ status: 200, body: badBody, headers: { ETag: '"v1"' } }),
      });

      // Act
      const result = await handler(getEvent(), lambdaContext());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(logLines().some((line) => line.message === 'Response violates the contract')).toBe(
        true,
      );
    });
  });
});
