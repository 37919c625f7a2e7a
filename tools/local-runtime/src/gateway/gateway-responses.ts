import type { ApiModel, GatewayResponseModel } from '../assembly';

/**
 * API Gateway's gateway response types the emulation produces, with AWS's default status and message.
 * INTEGRATION_FAILURE (504) is not among them: it is for an integration endpoint API Gateway cannot
 * reach, which a Lambda proxy integration never is.
 */
export const RESPONSE_TYPES = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource', errorType: 'AccessDeniedException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: null, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, message: null, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  /**
   * Failures with no response type of their own: behind a Lambda proxy integration, a throttled
   * function (500) and a function error or malformed result (502). AWS's default status of
   * DEFAULT_5XX is null: each such error carries its own (`GatewayError.status`).
   */
  DEFAULT_5XX: { status: null, message: 'Internal server error', errorType: 'InternalServerErrorException' },
} as const satisfies Record<string, { status: number | null; message: string | null; errorType: string }>;

export type ResponseType = keyof typeof RESPONSE_TYPES;

/** What a template can read: `$context.*`, with `error` filled for this failure. */
export interface TemplateContext {
  requestId: string;
  extendedRequestId: string;
  /** Path with the stage, as AWS gives it: `/prod/items/1`. */
  path: string;
  resourcePath: string;
  resourceId: string;
  httpMethod: string;
  stage: string;
  apiId: string;
  accountId: string;
  domainName: string;
  protocol: string;
  requestTime: string;
  requestTimeEpoch: number;
  identity: { sourceIp: string; userAgent: string | null };
  authorizer?: Record<string, unknown>;
  error?: { message: string | null; messageString: string; validationErrorString: string; responseType: string };
}

export interface RequestParts {
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  query: URLSearchParams;
  pathParameters: Record<string, string> | null;
}

export interface GatewayError {
  type: ResponseType;
  /** The status of this failure where its type has none (DEFAULT_5XX: 500 for a throttle, 502 for a function error). */
  status?: number;
  /** Overrides the type's default message (e.g. the explicit-deny variant, the missing parameters). */
  message?: string | null;
  validationErrorString?: string;
}

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * Renders an API Gateway error the way the API's templated gateway responses say: the response of
 * that type if there is one, else DEFAULT_4XX / DEFAULT_5XX, else AWS's built-in body. Its status is
 * the type's own response's StatusCode; else the StatusCode of DEFAULT_4XX / DEFAULT_5XX, which in AWS
 * replaces the status of every 4xx / 5xx response that has none of its own; else the error's status.
 */
export function renderGatewayError(
  api: ApiModel | undefined,
  error: GatewayError,
  context: TemplateContext,
  request: RequestParts,
): RenderedResponse {
  const defaults = RESPONSE_TYPES[error.type];
  const message = error.message === undefined ? defaults.message : error.message;
  const ownStatus = error.status ?? defaults.status ?? 500;
  const specific = api?.gatewayResponses.get(error.type);
  const fallback = api?.gatewayResponses.get(ownStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  const chosen: GatewayResponseModel | undefined = specific ?? fallback;
  const status = specific?.statusCode ?? fallback?.statusCode ?? ownStatus;
  const [contentType, template] = pickTemplate(chosen);
  const withError: TemplateContext = {
    ...context,
    error: {
      message,
      messageString: JSON.stringify(message),
      validationErrorString: error.validationErrorString ?? '',
      responseType: error.type,
    },
  };
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-amzn-requestid': context.requestId,
    'x-amz-apigw-id': context.extendedRequestId,
    'x-amzn-errortype': defaults.errorType,
  };
  for (const [key, source] of Object.entries(chosen?.parameters ?? {})) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    if (!name) continue;
    const value = parameterValue(source, request, withError);
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return { status, headers, body: renderTemplate(template, withError, api?.stageVariables ?? null) };
}

function pickTemplate(response: GatewayResponseModel | undefined): [string, string] {
  const templates = response?.templates ?? {};
  if (templates['application/json'] !== undefined) return ['application/json', templates['application/json']];
  const first = Object.entries(templates)[0];
  return first ?? ['application/json', DEFAULT_TEMPLATE];
}

/** `'literal'`, `method.request.header.X`, `method.request.querystring.X`, `method.request.path.X`, `context.X`. */
function parameterValue(source: string, request: RequestParts, context: TemplateContext): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const [, location, name] = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source) ?? [];
  if (location === 'header') return request.headers[name!.toLowerCase()];
  if (location === 'querystring') return request.query.get(name!) ?? undefined;
  if (location === 'path') return request.pathParameters?.[name!];
  if (source.startsWith('context.')) {
    const value = lookup(context as unknown as Record<string, unknown>, source.slice('context.'.length).split('.'));
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

const REFERENCE = /\$!?(?:\{([A-Za-z][\w.]*)\}|([A-Za-z][\w]*(?:\.[A-Za-z][\w]*)*))/g;

/**
 * Gateway-response templates are not run through Velocity: API Gateway substitutes `$context.*`
 * and `$stageVariables.*` references (also written `${…}` or `$!…`) and leaves everything else —
 * `$util…`, `#if` — as literal text. An unknown context variable renders empty.
 */
export function renderTemplate(template: string, context: TemplateContext, stageVariables: Record<string, string> | null = null): string {
  const root: Record<string, unknown> = { context, stageVariables: stageVariables ?? {} };
  return template.replace(REFERENCE, (whole, braced?: string, plain?: string) => {
    const name = braced ?? plain ?? '';
    const head = name.split('.')[0];
    if (head !== 'context' && head !== 'stageVariables') return whole;
    const value = lookup(root, name.split('.'));
    return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

function lookup(root: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
