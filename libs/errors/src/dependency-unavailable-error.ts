import type { AppErrorOptions } from './app-error';
import { ServiceUnavailableError } from './service-unavailable-error';

/** Why a dependency could not serve a call for now. Each is worth a retry later, so each is a 503. */
export type TransientFailureKind =
  /** the dependency refused the call for its rate (DynamoDB `ThrottlingException`, `ProvisionedThroughputExceededException`, HTTP 429) */
  | 'throttled'
  /** the dependency failed or could not be reached (a 5xx, a connection refused or reset) */
  | 'unavailable'
  /** the call did not finish within the invocation's deadline (or a request timeout) */
  | 'timeout';

/**
 * The seconds a client is asked to wait before retrying (`Retry-After`). A floor, not a promise:
 * clients back off exponentially with jitter on repeated 503s (AWS's retry guidance), and the
 * store's own recovery is what the resilience tests time.
 */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 1;

// The names AWS SDKs treat as throttling (the SDK's own list, less the ones about other services).
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'BandwidthLimitExceeded',
]);
const TIMEOUT_NAMES = new Set([
  'DeadlineExceededError',
  'AbortError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
// Node's codes for a peer that is gone or unreachable; the SDK retries these too.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly attempts?: unknown };
}

/**
 * Classifies an error a dependency call threw: an AWS SDK v3 service error (by its `name`, its
 * `$fault` and HTTP status), a Node network error (by `code`, also on its `cause`), or a call cut
 * at the deadline or by a timeout. Read by shape, never `instanceof`: the SDK in a bundle is
 * another copy than a test's. Anything else (a `ConditionalCheckFailedException`, a validation
 * error, a bug) is not transient: `undefined`.
 */
export const transientFailureOf = (error: unknown, depth = 0): TransientFailureKind | undefined => {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { name, code, cause, $fault, $metadata } = error as ErrorShape;
  const status =
    typeof $metadata?.httpStatusCode === 'number' ? $metadata.httpStatusCode : undefined;
  if (typeof name === 'string' && THROTTLING_NAMES.has(name)) return 'throttled';
  if (status === 429) return 'throttled';
  if (typeof name === 'string' && TIMEOUT_NAMES.has(name)) return 'timeout';
  if ($fault === 'server' || (status !== undefined && status >= 500)) return 'unavailable';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unavailable';
  return transientFailureOf(cause, depth + 1);
};

const DETAILS: Readonly<Record<TransientFailureKind, string>> = {
  throttled: 'a dependency throttled the call',
  unavailable: 'a dependency failed or could not be reached',
  timeout: "a dependency did not answer within the invocation's deadline",
};

/**
 * 503 with `Retry-After`: a dependency (the service's DynamoDB table, another service) is throttling,
 * failing or too slow for now, after the SDK's retries within the invocation's deadline. Its detail
 * (kind, error name, attempts) is logged; the client sees the fixed 503 detail and the header.
 */
export class DependencyUnavailableError extends ServiceUnavailableError {
  public constructor(
    public readonly kind: TransientFailureKind,
    options: Pick<AppErrorOptions, 'cause'> = {},
  ) {
    super(`${DETAILS[kind]}${describeCause(options.cause)}`, {
      cause: options.cause,
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    });
  }

  /** The error as a 503 when it is a transient dependency failure, else `undefined`. */
  public static from(error: unknown): DependencyUnavailableError | undefined {
    const kind = transientFailureOf(error);
    return kind === undefined ? undefined : new DependencyUnavailableError(kind, { cause: error });
  }
}

/** ` (ThrottlingException after 3 attempts)`: what an operator needs, nothing from the request. */
const describeCause = (cause: unknown): string => {
  if (typeof cause !== 'object' || cause === null) return '';
  const { name, code, $metadata } = cause as ErrorShape;
  const what = [name, code].filter((part) => typeof part === 'string').join(' ');
  const attempts =
    typeof $metadata?.attempts === 'number'
      ? ` after ${$metadata.attempts} attempt${$metadata.attempts === 1 ? '' : 's'}`
      : '';
  return what || attempts ? ` (${what}${attempts})` : '';
};
