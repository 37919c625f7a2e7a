import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  addInvocationDeadline,
  DeadlineHttpHandler,
  DeadlineRetryStrategy,
} from './deadline-client-config';

/** The SDK's standard retry mode: the first attempt and two retries. */
const DEFAULT_MAX_ATTEMPTS = 3;

/** Anything that can instrument an AWS SDK v3 client, e.g. a Powertools `Tracer`. */
export interface AwsClientTracer {
  captureAWSv3Client<T>(client: T): T;
}

/** Options of {@link createDocumentClient}. */
export interface DocumentClientOptions {
  /** Traces every DynamoDB call as an X-Ray subsegment. @default no tracing */
  readonly tracer?: AwsClientTracer;
  /** Total attempts per request, retries included. @default the SDK's standard retry mode (3) */
  readonly maxAttempts?: number;
}

/**
 * A DynamoDB document client (native JavaScript values in and out, `undefined` members dropped).
 *
 * Region, credentials and endpoint come only from the SDK's standard configuration chain:
 * in AWS the Lambda environment; locally `AWS_ENDPOINT_URL_DYNAMODB` (dynalite) plus the fake
 * credentials `@sm/testing`'s `useLocalAwsEnv` sets. Nothing here takes an endpoint by hand, so
 * the code that deploys is the code that runs locally.
 *
 * Every call is bounded by the invocation's budget for waiting on dependencies (`@sm/deadline`,
 * set per invocation by `@sm/http-lambda` or `withInvocationDeadline` from `SM_DEADLINE_MS`): a
 * call's deadline is what is left of the budget when it starts; each attempt is aborted at it, and
 * a retry (standard mode: 3 attempts, exponential backoff with jitter, the retry quota) is made
 * only when it can still finish by then. A throttled, failing or slow store therefore costs an
 * invocation at most its budget, and the error that ends it (`ThrottlingException`, a 5xx, an
 * `AbortError`) is what `@sm/http-lambda` answers with 503 + `Retry-After`. Outside an invocation
 * (scripts, tests without a budget) the client is the SDK's standard one.
 *
 * Create it once per Lambda module (at cold start) and reuse it across invocations.
 */
export const createDocumentClient = (
  options: DocumentClientOptions = {},
): DynamoDBDocumentClient => {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const base = new DynamoDBClient({
    maxAttempts,
    retryStrategy: new DeadlineRetryStrategy(maxAttempts),
    requestHandler: new DeadlineHttpHandler(),
  });
  addInvocationDeadline(base.middlewareStack);
  const client = options.tracer ? options.tracer.captureAWSv3Client(base) : base;
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
};
