/**
 * How every error API Gateway itself produces is rendered: an `application/problem+json` body in
 * the contract's Problem shape (RFC 9457), so a client sees one error format whether the gateway or
 * a handler refused the request.
 *
 * Gateway response templates are not VTL: API Gateway only substitutes `$context` variables in the
 * text. So the template must stay valid JSON for every value:
 * - `detail` uses `$context.error.messageString`, which API Gateway renders as a quoted and escaped
 *   JSON string (`"Invalid request body"`), never `$context.error.message` inside quotes;
 * - `$context.error.validationErrorString` is left out: it carries the validator's raw text with
 *   unescaped double quotes (`[object has missing required properties (["password"])]`), which
 *   would break the JSON. The Lambda-side validators report per-field errors instead.
 * - `$context.path` and `$context.requestId` are substituted inside quotes: a request id is a
 *   UUID and the path is the request path as sent (clients percent-encode quotes in URLs).
 */

/** Every gateway response type API Gateway (REST) defines. */
export const GATEWAY_RESPONSE_TYPES = [
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'MISSING_AUTHENTICATION_TOKEN',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'AUTHORIZER_FAILURE',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'EXPIRED_TOKEN',
  'INVALID_SIGNATURE',
  'INVALID_API_KEY',
  'WAF_FILTERED',
  'API_CONFIGURATION_ERROR',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
] as const;

export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

/** The problem a gateway response renders. */
export interface GatewayProblem {
  /**
   * The status the gateway response sets. Undefined keeps the status API Gateway chose, and the body
   * then leaves `status` out, since a template cannot know it (see DEFAULT_5XX).
   */
  readonly status?: number;
  /** The slug of `urn:problem-type:<slug>`, from the shared contract's problem types. */
  readonly slug: string;
  readonly title: string;
  /**
   * A fixed `detail`, where API Gateway's own message would mislead.
   * @default - API Gateway's message (`$context.error.messageString`)
   */
  readonly detail?: string;
}

const VALIDATION: GatewayProblem = { status: 400, slug: 'validation-error', title: 'Request Validation Failed' };
const UNAUTHORIZED: GatewayProblem = { status: 401, slug: 'unauthorized', title: 'Unauthorized' };
const FORBIDDEN: GatewayProblem = { status: 403, slug: 'forbidden', title: 'Forbidden' };
// An unknown path: API Gateway says 403 "Missing Authentication Token", which sends a client looking
// for a credential problem. A 404 that says the path does not exist, in words of its own. (An
// undeclared method of a declared path never gets here: ContractRestApi answers it with 405.)
const ROUTE_NOT_FOUND: GatewayProblem = {
  status: 404,
  slug: 'route-not-found',
  title: 'Not Found',
  detail: 'No resource exists at this path.',
};
const THROTTLED: GatewayProblem = { status: 429, slug: 'throttled', title: 'Too Many Requests' };
const INTERNAL: GatewayProblem = { status: 500, slug: 'internal-error', title: 'Internal Server Error' };
/**
 * The authorizer could not decide: its function failed (it fails closed when the token store is
 * throttling, failing or too slow — no access, nothing cached) or could not be invoked (throttled,
 * unreachable). API Gateway answers AUTHORIZER_CONFIGURATION_ERROR, 500 by default; the caller's
 * token may well be valid, so the answer is the one a dependency outage gets everywhere else:
 * 503 with `Retry-After`. (A malformed authorizer result is AUTHORIZER_FAILURE: a bug, still 500.)
 */
const AUTHORIZER_UNAVAILABLE: GatewayProblem = { status: 503, slug: 'service-unavailable', title: 'Service Unavailable' };

/**
 * A 5xx that no more specific type covers. Behind a Lambda proxy integration that is a Lambda
 * throttle (API Gateway answers 500: an outage, not back-pressure) or a function error or malformed
 * proxy response (502). A `StatusCode` on DEFAULT_5XX would replace the status of every such answer,
 * so it has none: the client keeps the real status, and the body carries no `status` member.
 */
const SERVER_ERROR: GatewayProblem = { slug: 'server-error', title: 'Server Error' };

/**
 * Status, problem type and title of every gateway response type. DEFAULT_4XX only catches types added
 * to API Gateway later; it gets a fixed status so the body's `status` is true.
 */
export const GATEWAY_PROBLEMS: { readonly [T in GatewayResponseType]: GatewayProblem } = {
  BAD_REQUEST_BODY: VALIDATION,
  BAD_REQUEST_PARAMETERS: VALIDATION,
  UNAUTHORIZED,
  ACCESS_DENIED: FORBIDDEN,
  MISSING_AUTHENTICATION_TOKEN: ROUTE_NOT_FOUND,
  RESOURCE_NOT_FOUND: ROUTE_NOT_FOUND,
  THROTTLED,
  QUOTA_EXCEEDED: THROTTLED,
  REQUEST_TOO_LARGE: { status: 413, slug: 'payload-too-large', title: 'Payload Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, slug: 'unsupported-media-type', title: 'Unsupported Media Type' },
  INTEGRATION_FAILURE: { status: 502, slug: 'bad-gateway', title: 'Bad Gateway' },
  INTEGRATION_TIMEOUT: { status: 504, slug: 'gateway-timeout', title: 'Gateway Timeout' },
  AUTHORIZER_FAILURE: INTERNAL,
  AUTHORIZER_CONFIGURATION_ERROR: AUTHORIZER_UNAVAILABLE,
  EXPIRED_TOKEN: FORBIDDEN,
  INVALID_SIGNATURE: FORBIDDEN,
  INVALID_API_KEY: FORBIDDEN,
  WAF_FILTERED: FORBIDDEN,
  API_CONFIGURATION_ERROR: INTERNAL,
  DEFAULT_4XX: { status: 400, slug: 'validation-error', title: 'Bad Request' },
  DEFAULT_5XX: SERVER_ERROR,
};

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The headers every answer of a JSON API carries (OWASP REST Security Cheat Sheet), as API Gateway
 * static values for gateway responses and the 405 methods: the same values `@sm/http-lambda` sets
 * on the functions' answers. Every one of those answers is an error, so each is `no-store`.
 */
export const SECURITY_HEADERS: { readonly [header: string]: string } = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

/** A header value as API Gateway's static mapping expression: the value in single quotes. */
export const staticValue = (value: string): string => `'${value}'`;

/**
 * The gateway response body template of a problem. Every member but `detail`, `instance` and
 * `requestId` is a literal; those three are API Gateway substitutions (see the module comment).
 */
export function problemTemplate(problem: GatewayProblem): string {
  return [
    '{',
    `"type":${JSON.stringify(`urn:problem-type:${problem.slug}`)},`,
    `"title":${JSON.stringify(problem.title)},`,
    problem.status === undefined ? '' : `"status":${problem.status},`,
    problem.detail === undefined ? '"detail":$context.error.messageString,' : `"detail":${JSON.stringify(problem.detail)},`,
    '"instance":"$context.path",',
    '"requestId":"$context.requestId"',
    '}',
  ].join('');
}
