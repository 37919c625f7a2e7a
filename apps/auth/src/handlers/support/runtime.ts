import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@sm/dynamo';
import { createObservability, type Observability } from '@sm/observability';
import { loadConfig, type AuthConfig } from '../../config';

/** What every auth function sets up once, at cold start. */
export interface AuthRuntime {
  readonly config: AuthConfig;
  readonly observability: Observability;
  readonly documentClient: DynamoDBDocumentClient;
}

/**
 * Parses the configuration (failing fast, naming the missing variable), creates the Powertools
 * trio and one DynamoDB client, traced when tracing is on. Call once at module scope of a handler.
 */
export const createRuntime = (): AuthRuntime => {
  const config = loadConfig();
  const observability = createObservability();
  // The observability object instruments the client only when tracing is on, so the X-Ray SDK
  // (tens of ms of cold start) is not even loaded otherwise.
  return { config, observability, documentClient: createDocumentClient({ tracer: observability }) };
};
