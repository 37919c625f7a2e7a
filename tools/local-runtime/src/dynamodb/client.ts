import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A real SDK client for the local endpoint. dynalite checks that requests are signed, not by
 * whom, so any credentials do; a real profile from the environment is never used.
 */
export function localDynamoClient(endpoint: string, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}
