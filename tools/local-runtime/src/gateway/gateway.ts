import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ACCOUNT_LIMIT, parseExecuteApiPath, type ApiModel, type MethodModel } from '../assembly';
import type { InvokeResult, LambdaService } from '../lambda/types';
import type { GatewayObserver } from '../metrics/gateway-metrics';
import { TokenAuthorizers } from './authorizer';
import { renderGatewayError, type GatewayError, type TemplateContext } from './gateway-responses';
import {
  buildProxyEvent,
  extendedRequestId,
  readHeaders,
  readProxyResult,
  readQuery,
  requestTime,
  type RequestHeaders,
} from './proxy-event';
import { Router } from './router';
import { TokenBucket } from './throttle';
import { RequestValidation } from './validation';

/** API Gateway's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface GatewayOptions {
  apis: ApiModel[];
  lambda: LambdaService;
  /** Paths the gateway must leave to the runtime itself (e.g. `/docs`); an API claiming one is a startup error. */
  reservedPaths?: string[];
  /** Explains 5xx answers the way API Gateway's execution log would. */
  log?: (line: string) => void;
  /** Told of every answered request (CloudWatch metrics). */
  observer?: GatewayObserver;
}

/** Everything about one request that templates and the event need. */
interface RequestState {
  api?: ApiModel;
  method?: MethodModel;
  path: string;
  query: URLSearchParams;
  headers: RequestHeaders;
  pathParameters: Record<string, string> | null;
  requestId: string;
  extendedRequestId: string;
  requestTimeEpoch: number;
  authorizer?: Record<string, unknown>;
  /** performance.now() when the gateway took the request, and how long the integration took. */
  startedAt: number;
  integrationMs?: number;
}

/**
 * API Gateway REST, emulated from the templates: routing over every API's resource tree, account,
 * stage and method throttling, the TOKEN authorizer, request validation, the Lambda proxy
 * integration, and every failure answered through the API's gateway responses.
 */
export class Gateway {
  /** Every API's resource tree on the root origin (no stage in the path). */
  readonly router: Router;
  /** Each API alone, by API id, for its own base URL `/_aws/execute-api/<apiId>/<stage>`. */
  private readonly apiRouters: Map<string, { api: ApiModel; router: Router }>;
  private readonly lambda: LambdaService;
  private readonly authorizers: TokenAuthorizers;
  private readonly validation = new RequestValidation();
  private readonly accountBucket = new TokenBucket(ACCOUNT_LIMIT);
  private readonly methodBuckets = new Map<MethodModel, TokenBucket | null>();
  private readonly log: (line: string) => void;
  private readonly observer: GatewayObserver | undefined;

  constructor(options: GatewayOptions) {
    this.router = new Router(options.apis, options.reservedPaths);
    this.apiRouters = new Map(
      options.apis.map((api) => [api.apiId, { api, router: new Router([api]) }]),
    );
    this.lambda = options.lambda;
    this.authorizers = new TokenAuthorizers(options.lambda);
    this.log = options.log ?? (() => undefined);
    this.observer = options.observer;
    for (const api of options.apis) {
      this.validation.prepare(api.methods);
      for (const method of api.methods) this.methodBuckets.set(method, bucketFor(api, method));
    }
  }

  /** Handles one HTTP request; never rejects. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const headers = readHeaders(req.rawHeaders);
    const length = headers.lower['content-length'];
    // Most requests have no body: no need to wait for the stream's end (Node discards what is left).
    if (
      headers.lower['transfer-encoding'] === undefined &&
      (length === undefined || length === '0')
    ) {
      this.run(req, res, headers, '', 0);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const body = chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
      this.run(req, res, headers, body, size);
    });
  }

  private run(
    req: IncomingMessage,
    res: ServerResponse,
    headers: RequestHeaders,
    body: string,
    size: number,
  ): void {
    this.process(req, res, headers, body, size).catch((error: unknown) => {
      this.log(`gateway: unexpected failure: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message":"Internal server error"}');
    });
  }

  private async process(
    req: IncomingMessage,
    res: ServerResponse,
    headers: RequestHeaders,
    body: string,
    size: number,
  ): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const requestPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const httpMethod = req.method ?? 'GET';
    const target = this.targetOf(requestPath);
    if ('unknown' in target) return this.refuseUnknownApi(res, requestPath, target.unknown);
    // From here on, `path` is what the API itself sees: below the stage, as in a deployed event.
    const { router, path } = target;
    const match = router.match(httpMethod, path);
    const requestId = randomUUID();
    const state: RequestState = {
      api: match?.api,
      method: match?.method,
      path,
      query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
      headers,
      pathParameters: match?.pathParameters ?? null,
      requestId,
      extendedRequestId: extendedRequestId(requestId),
      requestTimeEpoch: Date.now(),
      startedAt: performance.now(),
    };
    const method = match?.method;
    if (!method) {
      state.api ??= router.closestApi(path);
      return this.fail(req, res, state, { type: 'MISSING_AUTHENTICATION_TOKEN' });
    }
    const api = state.api!;
    if (!this.accountBucket.tryTake() || this.methodBuckets.get(method)?.tryTake() === false) {
      return this.fail(req, res, state, { type: 'THROTTLED' });
    }
    if (size > MAX_PAYLOAD_BYTES) return this.fail(req, res, state, { type: 'REQUEST_TOO_LARGE' });

    if (method.authorizationType === 'CUSTOM') {
      const authorizer = api.authorizers.get(method.authorizerId!)!;
      const outcome = await this.authorizers.authorize(
        authorizer,
        state.headers.lower,
        methodArn(api, httpMethod, path),
      );
      if (!outcome.ok) {
        if (outcome.error.type.startsWith('AUTHORIZER_'))
          this.log(
            `gateway: ${httpMethod} ${path}: authorizer ${authorizer.name} failed (${outcome.error.type})`,
          );
        return this.fail(req, res, state, outcome.error);
      }
      state.authorizer = outcome.authorizer;
    }
    const invalid =
      this.validation.checkParameters(
        method,
        state.headers.lower,
        state.query,
        state.pathParameters,
      ) ?? this.validation.checkBody(method, state.headers.lower['content-type'], body);
    if (invalid) return this.fail(req, res, state, invalid);

    const integration = method.integration;
    if (integration.type === 'MOCK') {
      res.writeHead(integration.statusCode, {
        ...integration.headers,
        'x-amzn-requestid': state.requestId,
      });
      res.end(integration.body);
      this.observe(state, integration.statusCode);
      return;
    }
    if (integration.type !== 'AWS_PROXY') {
      this.log(`gateway: ${httpMethod} ${path}: ${integration.description} is not emulated`);
      return this.fail(req, res, state, { type: 'API_CONFIGURATION_ERROR' });
    }

    const event = buildProxyEvent({
      resourcePath: method.resourcePath,
      resourceId: method.resourceId,
      path,
      httpMethod,
      headers: withForwardingHeaders(state.headers, req),
      query: readQuery(state.query),
      pathParameters: state.pathParameters,
      stageVariables: api.stageVariables,
      accountId: api.accountId,
      apiId: api.apiId,
      stage: api.stageName,
      domainName: hostOf(state.headers),
      requestId: state.requestId,
      extendedRequestId: state.extendedRequestId,
      requestTimeEpoch: state.requestTimeEpoch,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      protocol: `HTTP/${req.httpVersion}`,
      authorizer: state.authorizer,
      body: body === '' ? null : body,
    });
    const integrationStarted = performance.now();
    const result = await this.invokeWithin(integration.functionId, integration.qualifier, event, integration.timeoutMs);
    state.integrationMs = performance.now() - integrationStarted;
    if (result === 'integration-timeout') {
      this.log(
        `gateway: ${httpMethod} ${path}: Execution failed due to a timeout error (${integration.timeoutMs} ms)`,
      );
      return this.fail(req, res, state, { type: 'INTEGRATION_TIMEOUT' });
    }
    // Behind a proxy integration, Lambda's failures have no gateway response type of their own:
    // DEFAULT_5XX answers, with 500 for a throttle and 502 for a function error (as AWS does).
    if (result.kind === 'throttled') {
      this.log(
        `gateway: ${httpMethod} ${path}: Lambda throttled ${integration.functionId} (${result.reason})`,
      );
      return this.fail(req, res, state, { type: 'DEFAULT_5XX', status: 500 });
    }
    if (result.kind !== 'ok') {
      const why =
        result.kind === 'timeout'
          ? 'Task timed out'
          : `${result.errorType}: ${result.errorMessage}`;
      this.log(
        `gateway: ${httpMethod} ${path}: Lambda execution failed with status 200 due to customer function error: ${why}`,
      );
      return this.fail(req, res, state, { type: 'DEFAULT_5XX', status: 502 });
    }
    const proxy = readProxyResult(result.payload);
    if (!proxy) {
      this.log(
        `gateway: ${httpMethod} ${path}: Execution failed due to configuration error: Malformed Lambda proxy response`,
      );
      return this.fail(req, res, state, { type: 'DEFAULT_5XX', status: 502 });
    }
    const responseHeaders = proxy.headers;
    responseHeaders['content-type'] ??= 'application/json';
    responseHeaders['x-amzn-requestid'] = state.requestId;
    responseHeaders['x-amz-apigw-id'] = state.extendedRequestId;
    res.writeHead(proxy.status, responseHeaders);
    res.end(proxy.body);
    this.observe(state, proxy.status);
  }

  private observe(state: RequestState, status: number): void {
    this.observer?.requestDone(state.api, state.method, status, performance.now() - state.startedAt, state.integrationMs);
  }

  /**
   * Which resource tree a request path addresses: one API's, under its base URL
   * `/_aws/execute-api/<apiId>/<stage>` (the stage removed from the path, as API Gateway removes it
   * before routing), or every API's on the root origin.
   */
  private targetOf(
    requestPath: string,
  ): { router: Router; path: string } | { unknown: 'api' | 'stage' } {
    const addressed = parseExecuteApiPath(requestPath);
    if (!addressed) return { router: this.router, path: requestPath };
    const served = this.apiRouters.get(addressed.apiId);
    if (!served) return { unknown: 'api' };
    if (served.api.stageName !== addressed.stage) return { unknown: 'stage' };
    return { router: served.router, path: addressed.path };
  }

  /**
   * A base URL naming no API here, or a stage the API does not have. For a stage API Gateway answers
   * 403 `{"message":"Forbidden"}` before any of the API's own gateway responses apply; an unknown API
   * id would not even resolve in DNS, so locally it is a 404 that lists what is served.
   */
  private refuseUnknownApi(res: ServerResponse, requestPath: string, what: 'api' | 'stage'): void {
    const requestId = randomUUID();
    const known = [...this.apiRouters.values()]
      .map(({ api }) => `${api.apiId}/${api.stageName} (${api.stackName})`)
      .join(', ');
    const message =
      what === 'stage'
        ? 'Forbidden'
        : `No REST API with this id on the local runtime; it serves ${known}`;
    this.log(
      `gateway: ${requestPath}: ${what === 'stage' ? 'no such stage' : 'no such API'}; served: ${known}`,
    );
    res.writeHead(what === 'stage' ? 403 : 404, {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': what === 'stage' ? 'ForbiddenException' : 'NotFoundException',
    });
    res.end(JSON.stringify({ message }));
  }

  /**
   * Invokes the function, giving up (as API Gateway does) once the integration timeout passes. Armed
   * even when the function's own timeout is shorter: waiting for an environment and INIT come before
   * the function's timeout starts, and count against the integration's.
   */
  private invokeWithin(
    functionId: string,
    qualifier: string | undefined,
    event: unknown,
    timeoutMs: number,
  ): Promise<InvokeResult | 'integration-timeout'> {
    // The qualifier (the `live` alias) chooses the version, as the integration's ARN does in AWS.
    const invocation = this.lambda.invoke(functionId, event, qualifier === undefined ? undefined : { qualifier });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve('integration-timeout'), timeoutMs);
      invocation.then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    state: RequestState,
    error: GatewayError,
  ): void {
    const api = state.api;
    const context: TemplateContext = {
      requestId: state.requestId,
      extendedRequestId: state.extendedRequestId,
      path: `/${api?.stageName ?? 'prod'}${state.path}`,
      resourcePath: state.method?.resourcePath ?? '',
      resourceId: state.method?.resourceId ?? '',
      httpMethod: req.method ?? 'GET',
      stage: api?.stageName ?? '',
      apiId: api?.apiId ?? '',
      accountId: api?.accountId ?? '',
      domainName: hostOf(state.headers),
      protocol: `HTTP/${req.httpVersion}`,
      requestTime: requestTime(state.requestTimeEpoch),
      requestTimeEpoch: state.requestTimeEpoch,
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: state.headers.lower['user-agent'] ?? null,
      },
      authorizer: state.authorizer,
    };
    const rendered = renderGatewayError(api, error, context, {
      headers: state.headers.lower,
      query: state.query,
      pathParameters: state.pathParameters,
    });
    res.writeHead(rendered.status, rendered.headers);
    res.end(rendered.body);
    this.observe(state, rendered.status);
  }
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, the ARN policies are written against. */
function methodArn(api: ApiModel, httpMethod: string, path: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stageName}/${httpMethod}${path}`;
}

/** Each method has its own bucket: its MethodSettings override, else the stage's `/*\/*` default. */
function bucketFor(api: ApiModel, method: MethodModel): TokenBucket | null {
  const settings = api.throttling;
  const limit =
    settings.perMethod.get(`${method.resourcePath} ${method.httpMethod}`) ??
    settings.perMethod.get(`${method.resourcePath} *`) ??
    settings.stageDefault;
  return limit ? new TokenBucket(limit) : null;
}

function hostOf(headers: RequestHeaders): string {
  return (headers.lower['host'] ?? '127.0.0.1').replace(/:\d+$/, '');
}

/** The headers API Gateway's front door adds before the integration sees the request. */
function withForwardingHeaders(headers: RequestHeaders, req: IncomingMessage): RequestHeaders {
  const add = (name: string, value: string) => {
    if (headers.lower[name.toLowerCase()] !== undefined) return;
    headers.single[name] = value;
    headers.multi[name] = [value];
    headers.lower[name.toLowerCase()] = value;
  };
  add('X-Forwarded-For', req.socket.remoteAddress ?? '127.0.0.1');
  add('X-Forwarded-Port', String(req.socket.localPort ?? ''));
  add('X-Forwarded-Proto', 'http');
  return headers;
}
