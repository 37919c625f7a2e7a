import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition } from '@sm/dynamo';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws';

/** Options of {@link createTables}. */
export interface CreateTablesOptions {
  /** Physical name of each table. @default the definition's `id` */
  readonly tableName?: (definition: TableDefinition) => string;
}

const keySchema = (partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
];

const attributeDefinitions = (definition: TableDefinition): AttributeDefinition[] => {
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...(definition.globalSecondaryIndexes ?? []).flatMap((index) => [
      index.partitionKey,
      index.sortKey,
    ]),
  ].filter((key): key is KeyAttribute => key !== undefined);
  const byName = new Map(keys.map((key) => [key.name, key.type]));
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

const WAIT_ATTEMPTS = 50;
const WAIT_INTERVAL_MS = 20;

const waitUntilActive = async (client: DynamoDBClient, TableName: string): Promise<void> => {
  for (let attempt = 0; attempt < WAIT_ATTEMPTS; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, WAIT_INTERVAL_MS));
  }
  throw new Error(
    `table ${TableName} did not become ACTIVE within ${WAIT_ATTEMPTS * WAIT_INTERVAL_MS} ms`,
  );
};

/**
 * Creates the tables a service describes in `tables.ts` in a local DynamoDB (dynalite), with the
 * real SDK, and waits until they are ACTIVE. TTL is not applied: dynalite has no
 * UpdateTimeToLive, and the services enforce expiry in code anyway. Returns the physical table
 * name of each definition, by `id`.
 */
export const createTables = async (
  endpoint: string,
  definitions: readonly TableDefinition[],
  options: CreateTablesOptions = {},
): Promise<Record<string, string>> => {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const names: Record<string, string> = {};
  try {
    for (const definition of definitions) {
      const TableName = options.tableName?.(definition) ?? definition.id;
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keySchema(definition.partitionKey, definition.sortKey),
          AttributeDefinitions: attributeDefinitions(definition),
          ...(definition.globalSecondaryIndexes?.length
            ? {
                GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
                  IndexName: index.indexName,
                  KeySchema: keySchema(index.partitionKey, index.sortKey),
                  Projection: { ProjectionType: 'ALL' },
                })),
              }
            : {}),
        }),
      );
      await waitUntilActive(client, TableName);
      names[definition.id] = TableName;
    }
  } finally {
    client.destroy();
  }
  return names;
};
