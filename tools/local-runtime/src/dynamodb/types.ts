import type {
  AttributeDefinition,
  BillingMode,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  ProvisionedThroughput,
} from '@aws-sdk/client-dynamodb';

/**
 * A table as a resolved `AWS::DynamoDB::Table` describes it (CloudFormation uses the API's own
 * property shapes, so the SDK's types fit).
 */
export interface TableSpec {
  /** Unique, e.g. `SmAuth/UsersTable` (stack/logicalId). */
  id: string;
  tableName: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  globalSecondaryIndexes?: GlobalSecondaryIndex[];
  localSecondaryIndexes?: LocalSecondaryIndex[];
  /** @default 'PROVISIONED' (CloudFormation's default) */
  billingMode?: BillingMode | `${BillingMode}`;
  /** Only for PROVISIONED. @default 5 read / 5 write units (the CDK default) */
  provisionedThroughput?: ProvisionedThroughput;
  /** Recorded but not applied: dynalite has no UpdateTimeToLive, items never expire locally. */
  timeToLiveAttribute?: string;
}

export interface LocalDynamoOptions {
  /** Where the data persists (LevelDB) and the owner lock lives. Required unless `inMemory`. */
  dataDir?: string;
  /** Keep everything in memory; nothing is written to disk. @default false */
  inMemory?: boolean;
  /** @default 0 (a free port chosen by the OS) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  port: number;
  /** `undefined` in memory. */
  dataDir: string | undefined;
  /**
   * dynalite's own request handler, for a caller in this process that already holds a request (the
   * DynamoDB proxy): the same code that answers over HTTP, without a second HTTP round trip.
   */
  handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  /** Stops accepting requests, waits for pending writes, closes the store and releases the lock. */
  close(): Promise<void>;
}
