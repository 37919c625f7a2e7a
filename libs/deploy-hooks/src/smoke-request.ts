import { proxyEvent, SMOKE_PRINCIPAL, SMOKE_TOKEN } from './proxy-event';

/** What the new version must answer a smoke request with. */
export type SmokeExpectation =
  /** An API Gateway proxy result (`{ statusCode, … }`) with one of these statuses. */
  | { readonly kind: 'proxy'; readonly statuses: readonly number[] }
  /** The TOKEN authorizer's refusal: the function error `Unauthorized`, never a policy. */
  | { readonly kind: 'unauthorized' };

/** One request a smoke hook sends to a new version, and what must come back. */
export interface SmokeRequest {
  /** What it checks, for people reading the hook's log: `getLocation: the contract's example`. */
  readonly name: string;
  /**
   * The event, as API Gateway would send it. `{{smoke-token}}` and `{{smoke-request-id}}` are
   * replaced by a fresh random token and request id at every run.
   */
  readonly event: unknown;
  readonly expect: SmokeExpectation;
}

/** An operation of a contract, as the generated `operationManifest` describes it. */
export interface SmokeOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly secured: boolean;
  readonly requestBody: { readonly contentType: string } | null;
  /** Media type by declared status: the statuses the operation may answer. */
  readonly responses: { readonly [status: string]: string | null };
}

/** The request the contract's own examples make (the generated `operationExamples`). */
export interface SmokeExample {
  readonly pathParameters: { readonly [name: string]: string };
  readonly queryStringParameters: { readonly [name: string]: string };
  readonly headers: { readonly [name: string]: string };
  readonly body: unknown;
  readonly missing: readonly string[];
}

/** A smoke request cannot be built from the contract as it is; the message says what to add. */
export class SmokeRequestError extends Error {
  override readonly name = 'SmokeRequestError';
}

/** Methods that change nothing by definition (RFC 9110 §9.2.1). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The smoke request for one operation, built from the contract's own example so that it changes
 * no data, whatever the deployed version does with it:
 *
 * - a safe method (GET, HEAD, OPTIONS) is sent as the example is; any status the contract declares
 *   below 500 passes (a 404 for a user nobody created proves the function loaded, validated,
 *   reached its table and mapped the answer);
 * - an unsafe method with a body is sent with the body's required properties left out: the
 *   function's own contract validation must refuse it with 400, before any domain code runs;
 * - an unsafe method without a body (signing out) is sent with a token nobody was issued, for a
 *   principal nobody is: it must be refused with one of its declared 4xx statuses.
 *
 * Secured operations carry the authorizer's context for {@link SMOKE_PRINCIPAL}, as API Gateway
 * would after an Allow. Throws {@link SmokeRequestError} when the contract lacks an example or
 * the operation offers no refusal to aim at.
 *
 * @param bodyRequired the required properties of the operation's body model
 */
export function operationSmokeRequest(
  operation: SmokeOperation,
  example: SmokeExample,
  bodyRequired: readonly string[] = [],
): SmokeRequest {
  const { operationId } = operation;
  if (example.missing.length > 0) {
    throw new SmokeRequestError(
      `${operationId}: the contract gives no example for ${example.missing.join(', ')}; add one (\`example\` on the parameter, its schema or the body's media type) so its deployment can be smoke-tested`,
    );
  }
  const declared = Object.keys(operation.responses).map(Number);
  const method = operation.method.toUpperCase();
  const base = {
    method,
    resource: operation.path,
    secured: operation.secured,
    pathParameters: example.pathParameters,
    query: example.queryStringParameters,
    headers: example.headers,
  };

  if (SAFE_METHODS.has(method)) {
    const statuses = declared.filter((status) => status < 500);
    return {
      name: `${operationId}: the contract's example`,
      event: proxyEvent({
        ...base,
        body: example.body ?? undefined,
        contentType: operation.requestBody?.contentType,
      }),
      expect: { kind: 'proxy', statuses: statuses.length > 0 ? statuses : [200] },
    };
  }

  if (operation.requestBody) {
    const body = example.body;
    if (
      bodyRequired.length === 0 ||
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body)
    ) {
      throw new SmokeRequestError(
        `${operationId}: its body has no required property to leave out, so no smoke request is sure to be refused before it writes; give the body model a required property or smoke-test it another way`,
      );
    }
    const refused = Object.fromEntries(
      Object.entries(body).filter(([name]) => !bodyRequired.includes(name)),
    );
    return {
      name: `${operationId}: the contract's example without ${bodyRequired.join(', ')} (refused by validation, nothing written)`,
      event: proxyEvent({ ...base, body: refused, contentType: operation.requestBody.contentType }),
      expect: { kind: 'proxy', statuses: [400] },
    };
  }

  const refusals = declared.filter((status) => status >= 400 && status < 500 && status !== 429);
  if (refusals.length === 0) {
    throw new SmokeRequestError(
      `${operationId}: a ${method} without a body that declares no 4xx refusal cannot be smoke-tested without changing data`,
    );
  }
  return {
    name: `${operationId}: the contract's example with a token nobody was issued (refused, nothing changed)`,
    event: proxyEvent(base),
    expect: { kind: 'proxy', statuses: refusals },
  };
}

/**
 * The TOKEN authorizer's smoke request: a well-formed token nobody was issued must be refused
 * with `Unauthorized` (API Gateway's 401), never allowed, never an error of another kind.
 */
export function authorizerSmokeRequest(): SmokeRequest {
  return {
    name: 'authorizer: a token nobody was issued',
    event: {
      type: 'TOKEN',
      authorizationToken: `Bearer ${SMOKE_TOKEN}`,
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:smoketest00/smoke/GET/smoke',
    },
    expect: { kind: 'unauthorized' },
  };
}

export { SMOKE_PRINCIPAL, SMOKE_TOKEN };
