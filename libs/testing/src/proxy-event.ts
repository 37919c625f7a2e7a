import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import example from './fixtures/apigateway-rest-proxy-event.json';

/** The caller as the TOKEN authorizer reports it. */
export interface AuthorizerPrincipal {
  readonly userId: string;
  readonly username: string;
}

/** What a test says about a request; everything else comes from the documented example event. */
export interface ProxyEventInput {
  /** HTTP method, e.g. `PUT`. */
  readonly method: string;
  /** The resource (path template) as API Gateway routes it, e.g. `/profile/{userId}`. */
  readonly resource: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** The request path. @default `resource` with `pathParameters` filled in (URL-encoded) */
  readonly path?: string;
  /** Query parameters; an array gives a repeated parameter (the last one wins in the single-value map, as in AWS). */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  /** Request headers, added to the example's (Host, User-Agent, X-Forwarded-*, …). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The body. A string is sent as is; anything else is JSON-encoded and gets
   * `Content-Type: application/json` unless `headers` set a content type.
   */
  readonly body?: unknown;
  /** Base64-encode the body, as API Gateway does for binary media types. @default false */
  readonly isBase64Encoded?: boolean;
  /** The authorizer's principal: `requestContext.authorizer = { principalId, userId, username }`. */
  readonly principal?: AuthorizerPrincipal | null;
  /** API Gateway request id. @default a random UUID */
  readonly requestId?: string;
  readonly stage?: string;
  readonly stageVariables?: Readonly<Record<string, string>> | null;
  /** When the request arrived. @default now */
  readonly requestTime?: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
/** API Gateway's CLF-style `requestTime`, e.g. `27/Nov/2026:10:15:30 +0000`. */
const formatRequestTime = (date: Date): string =>
  `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
  `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;

const asArrays = (
  record: Readonly<Record<string, string | readonly string[]>>,
): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      typeof value === 'string' ? [value] : [...value],
    ]),
  );

const lastValues = (record: Record<string, string[]>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(record).flatMap(([key, values]) =>
      values.length ? [[key, values[values.length - 1] as string]] : [],
    ),
  );

const fillPath = (resource: string, parameters: Readonly<Record<string, string>>): string =>
  resource.replace(/\{([^}+]+)\+?\}/g, (placeholder, name: string) => {
    const value = parameters[name];
    if (value === undefined)
      throw new Error(`buildProxyEvent: no value for path parameter '${name}' of ${resource}`);
    return placeholder.endsWith('+}') ? value : encodeURIComponent(value);
  });

const encodeBody = (input: ProxyEventInput, headers: Record<string, string[]>): string | null => {
  if (input.body === undefined || input.body === null) return null;
  let text: string;
  if (typeof input.body === 'string') {
    text = input.body;
  } else {
    text = JSON.stringify(input.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = ['application/json'];
    }
  }
  return input.isBase64Encoded ? Buffer.from(text, 'utf8').toString('base64') : text;
};

/**
 * Builds a complete API Gateway REST (v1) proxy event, as AWS sends it, from the documented
 * example event and what the test specifies.
 */
export const buildProxyEvent = (input: ProxyEventInput): APIGatewayProxyEvent => {
  const base = structuredClone(example) as unknown as APIGatewayProxyEvent;
  const pathParameters = input.pathParameters ?? {};
  const path = input.path ?? fillPath(input.resource, pathParameters);
  const stage = input.stage ?? base.requestContext.stage;
  const requestTime = input.requestTime ?? new Date();
  const multiValueHeaders = {
    ...(base.multiValueHeaders as Record<string, string[]>),
    ...asArrays(input.headers ?? {}),
  };
  const body = encodeBody(input, multiValueHeaders);
  const multiValueQuery =
    input.query && Object.keys(input.query).length ? asArrays(input.query) : null;
  const authorizer = input.principal
    ? {
        principalId: input.principal.userId,
        userId: input.principal.userId,
        username: input.principal.username,
        integrationLatency: 0,
      }
    : null;

  return {
    ...base,
    resource: input.resource,
    path,
    httpMethod: input.method.toUpperCase(),
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: multiValueQuery && lastValues(multiValueQuery),
    multiValueQueryStringParameters: multiValueQuery,
    pathParameters: Object.keys(pathParameters).length ? { ...pathParameters } : null,
    stageVariables:
      input.stageVariables === undefined
        ? base.stageVariables
        : input.stageVariables && { ...input.stageVariables },
    body,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      ...base.requestContext,
      authorizer,
      httpMethod: input.method.toUpperCase(),
      path: `/${stage}${path}`,
      requestId: input.requestId ?? randomUUID(),
      requestTime: formatRequestTime(requestTime),
      requestTimeEpoch: requestTime.getTime(),
      resourcePath: input.resource,
      stage,
    },
  };
};
