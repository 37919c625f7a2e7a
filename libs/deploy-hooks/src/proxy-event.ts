/** Replaced by a fresh random token (32 bytes, base64url, as the auth service issues them) at every run. */
export const SMOKE_TOKEN = '{{smoke-token}}';
/** Replaced by a fresh request id at every run. */
export const SMOKE_REQUEST_ID = '{{smoke-request-id}}';
/** The principal smoke requests act as: a UUID v4 no registration ever returns (its random bits are all zero). */
export const SMOKE_PRINCIPAL = {
  userId: '00000000-0000-4000-8000-000000000000',
  username: 'smoke-test',
} as const;

/** What a smoke request says; everything else is what API Gateway's REST proxy integration sends. */
export interface ProxyEventInput {
  readonly method: string;
  /** The path template, as the contract and API Gateway's `resource` spell it. */
  readonly resource: string;
  readonly pathParameters: { readonly [name: string]: string };
  readonly query: { readonly [name: string]: string };
  readonly headers: { readonly [name: string]: string };
  /** JSON-encoded when given. */
  readonly body?: unknown;
  /** @default 'application/json' when there is a body */
  readonly contentType?: string;
  /** Adds the bearer token header and the authorizer's context for {@link SMOKE_PRINCIPAL}. */
  readonly secured: boolean;
}

const singleAndMulti = (values: { readonly [name: string]: string }) =>
  Object.keys(values).length === 0
    ? { single: null, multi: null }
    : {
        single: { ...values },
        multi: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [v]])),
      };

/**
 * A complete API Gateway REST (v1) proxy event for a smoke request: the fields a handler reads
 * are all there (path and query parameters in both shapes, headers in both shapes, the request
 * context with the authorizer's principal), as API Gateway sends them after its own validation.
 */
export function proxyEvent(input: ProxyEventInput): Record<string, unknown> {
  const path = input.resource.replace(/\{([^}+]+)\+?\}/g, (placeholder, name: string) => {
    const value = input.pathParameters[name] ?? '';
    return placeholder.endsWith('+}') ? value : encodeURIComponent(value);
  });
  const body = input.body === undefined || input.body === null ? null : JSON.stringify(input.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': 'sm-deployment-smoke-hook',
    'X-Correlation-Id': SMOKE_REQUEST_ID,
    ...(body === null ? {} : { 'Content-Type': input.contentType ?? 'application/json' }),
    ...(input.secured ? { Authorization: `Bearer ${SMOKE_TOKEN}` } : {}),
    ...input.headers,
  };
  const query = singleAndMulti(input.query);
  const header = singleAndMulti(headers);
  const pathParameters =
    Object.keys(input.pathParameters).length === 0 ? null : { ...input.pathParameters };
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers: header.single,
    multiValueHeaders: header.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters,
    stageVariables: null,
    requestContext: {
      resourceId: 'smoke0',
      resourcePath: input.resource,
      httpMethod: input.method,
      path,
      stage: 'smoke',
      requestId: SMOKE_REQUEST_ID,
      extendedRequestId: SMOKE_REQUEST_ID,
      requestTimeEpoch: 0,
      protocol: 'HTTP/1.1',
      accountId: '123456789012',
      apiId: 'smoketest00',
      domainName: 'smoke.invalid',
      identity: { sourceIp: '127.0.0.1', userAgent: 'sm-deployment-smoke-hook' },
      authorizer: input.secured
        ? {
            principalId: SMOKE_PRINCIPAL.userId,
            userId: SMOKE_PRINCIPAL.userId,
            username: SMOKE_PRINCIPAL.username,
            integrationLatency: 0,
          }
        : null,
    },
    body,
    isBase64Encoded: false,
  };
}
