import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
 * Create it once per Lambda module (at cold start) and reuse it across invocations.
 */
export const createDocumentClient = (
  options: DocumentClientOptions = {},
): DynamoDBDocumentClient => {
  const base = new DynamoDBClient(
    options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts },
  );
  const client = options.tracer ? options.tracer.captureAWSv3Client(base) : base;
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
};
