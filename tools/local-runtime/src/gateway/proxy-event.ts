import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Request headers read once from `rawHeaders`: as sent (for the event) and lower-cased (for lookups). */
export interface RequestHeaders {
  single: Record<string, string>;
  multi: Record<string, string[]>;
  lower: Record<string, string | undefined>;
}

export function readHeaders(rawHeaders: string[]): RequestHeaders {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const lower: Record<string, string | undefined> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    single[name] = value;
    (multi[name] ??= []).push(value);
    lower[name.toLowerCase()] = value;
  }
  return { single, multi, lower };
}

/** `queryStringParameters` keeps the last value of a repeated key, as API Gateway's v1 event does. */
export function readQuery(query: URLSearchParams): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  let single: Record<string, string> | null = null;
  let multi: Record<string, string[]> | null = null;
  for (const [key, value] of query) {
    single ??= {};
    multi ??= {};
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return { single, multi };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let cachedSecond = -1;
let cachedTime = '';

/** `$context.requestTime`: CLF format, `15/May/2020:06:01:09 +0000`; cached per second for the hot path. */
export function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    cachedTime = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    cachedSecond = second;
  }
  return cachedTime;
}

/**
 * API Gateway's extended request id: 16 characters of base64, e.g. `BQGojGjmoAMF_qQ=`. Derived from
 * the (random) request id: a second random draw per request costs measurable time on the hot path.
 */
export function extendedRequestId(requestId: string): string {
  // The last 11 bytes of the UUID's 16: 15 base64 characters and one '=' of padding.
  return Buffer.from(requestId.replace(/-/g, '').slice(10), 'hex').toString('base64').replace(/\//g, '_');
}

export interface ProxyEventInput {
  resourcePath: string;
  resourceId: string;
  path: string;
  httpMethod: string;
  headers: RequestHeaders;
  query: { single: Record<string, string> | null; multi: Record<string, string[]> | null };
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  accountId: string;
  apiId: string;
  stage: string;
  domainName: string;
  requestId: string;
  extendedRequestId: string;
  requestTimeEpoch: number;
  sourceIp: string;
  protocol: string;
  authorizer?: Record<string, unknown>;
  body: string | null;
}

/** The REST (v1) proxy event, with every field API Gateway sends. */
export function buildProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const userAgent = input.headers.lower['user-agent'] ?? null;
  return {
    resource: input.resourcePath,
    path: input.path,
    httpMethod: input.httpMethod,
    headers: input.headers.single,
    multiValueHeaders: input.headers.multi,
    queryStringParameters: input.query.single,
    multiValueQueryStringParameters: input.query.multi,
    pathParameters: input.pathParameters,
    stageVariables: input.stageVariables,
    requestContext: {
      resourceId: input.resourceId,
      resourcePath: input.resourcePath,
      httpMethod: input.httpMethod,
      extendedRequestId: input.extendedRequestId,
      requestTime: requestTime(input.requestTimeEpoch),
      path: `/${input.stage}${input.path}`,
      accountId: input.accountId,
      protocol: input.protocol,
      stage: input.stage,
      domainPrefix: input.domainName.split('.')[0]!,
      requestTimeEpoch: input.requestTimeEpoch,
      requestId: input.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: input.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent,
        user: null,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      },
      domainName: input.domainName,
      apiId: input.apiId,
      ...(input.authorizer ? { authorizer: input.authorizer } : {}),
    } as APIGatewayProxyEvent['requestContext'],
    body: input.body,
    isBase64Encoded: false,
  };
}

/** The fields a proxy integration's result may have; anything else is "Malformed Lambda proxy response". */
const PROXY_RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

export interface ProxyResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

/** Reads a function's result as API Gateway does; `undefined` when it is malformed (→ 502). */
export function readProxyResult(payload: unknown): ProxyResult | undefined {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const result = payload as Record<string, unknown>;
  for (const key in result) if (!PROXY_RESULT_KEYS.has(key)) return undefined;
  const status = Number(result['statusCode']);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string | string[]> = {};
  const single = result['headers'];
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object' || Array.isArray(single)) return undefined;
    for (const [name, value] of Object.entries(single)) {
      if (value === null || typeof value === 'object') return undefined;
      headers[name.toLowerCase()] = String(value);
    }
  }
  const multi = result['multiValueHeaders'];
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) return undefined;
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) return undefined;
      // Where both name a header, API Gateway keeps multiValueHeaders' values.
      headers[name.toLowerCase()] = values.map(String);
    }
  }
  const body = result['body'];
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const text = body ?? '';
  return { status, headers, body: result['isBase64Encoded'] === true ? Buffer.from(text, 'base64') : text };
}
