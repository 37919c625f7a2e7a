import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
  type ProvisionedThroughput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { localDynamoClient } from './client';
import type { TableSpec } from './types';

/** CDK's default for a PROVISIONED table or index without explicit capacity. */
const DEFAULT_THROUGHPUT: ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
const ACTIVE_WAIT_MS = 5000;

/** A table kept from an earlier run no longer matches its template. */
export class TableSchemaMismatchError extends Error {
  constructor(
    readonly tableName: string,
    readonly differences: string[],
  ) {
    super(
      `Table ${tableName} in the local store differs from its template: ${differences.join('; ')}. ` +
        'DynamoDB cannot change this in place (CloudFormation would replace the table). ' +
        'Delete the local data directory (or run with --in-memory) to recreate it.',
    );
    this.name = 'TableSchemaMismatchError';
  }
}

export interface EnsureTablesResult {
  created: string[];
  existing: string[];
  /** Tables whose TTL attribute was not applied (dynalite has no UpdateTimeToLive). */
  ttlNotApplied: string[];
}

function throughput(value: ProvisionedThroughput | undefined): ProvisionedThroughput {
  const t = value ?? DEFAULT_THROUGHPUT;
  return {
    ReadCapacityUnits: Number(t.ReadCapacityUnits),
    WriteCapacityUnits: Number(t.WriteCapacityUnits),
  };
}

/** The CreateTable request for a spec; only the properties DynamoDB's data plane needs locally. */
export function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const onDemand = spec.billingMode === 'PAY_PER_REQUEST';
  return {
    TableName: spec.tableName,
    KeySchema: spec.keySchema,
    AttributeDefinitions: spec.attributeDefinitions,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ProvisionedThroughput: onDemand ? undefined : throughput(spec.provisionedThroughput),
    GlobalSecondaryIndexes: spec.globalSecondaryIndexes?.length
      ? spec.globalSecondaryIndexes.map((gsi) => ({
          IndexName: gsi.IndexName,
          KeySchema: gsi.KeySchema,
          Projection: gsi.Projection,
          ProvisionedThroughput: onDemand ? undefined : throughput(gsi.ProvisionedThroughput),
        }))
      : undefined,
    LocalSecondaryIndexes: spec.localSecondaryIndexes?.length
      ? spec.localSecondaryIndexes.map((lsi) => ({
          IndexName: lsi.IndexName,
          KeySchema: lsi.KeySchema,
          Projection: lsi.Projection,
        }))
      : undefined,
  };
}

function keys(schema: KeySchemaElement[] | undefined): string {
  return (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
}

/** What a persisted table lacks or has differently compared with its spec. */
export function schemaDifferences(spec: TableSpec, table: TableDescription): string[] {
  const differences: string[] = [];
  if (keys(spec.keySchema) !== keys(table.KeySchema)) {
    differences.push(
      `key schema is ${keys(table.KeySchema)}, template says ${keys(spec.keySchema)}`,
    );
  }
  const indexes = [
    ['global', spec.globalSecondaryIndexes ?? [], table.GlobalSecondaryIndexes ?? []],
    ['local', spec.localSecondaryIndexes ?? [], table.LocalSecondaryIndexes ?? []],
  ] as const;
  for (const [kind, wanted, actual] of indexes) {
    for (const index of wanted) {
      const found = actual.find((a) => a.IndexName === index.IndexName);
      if (!found) differences.push(`${kind} index ${index.IndexName} is missing`);
      else if (keys(found.KeySchema) !== keys(index.KeySchema)) {
        differences.push(
          `${kind} index ${index.IndexName} has key schema ${keys(found.KeySchema)}, template says ${keys(index.KeySchema)}`,
        );
      }
    }
    for (const index of actual) {
      if (!wanted.some((w) => w.IndexName === index.IndexName)) {
        differences.push(`${kind} index ${index.IndexName} is not in the template`);
      }
    }
  }
  return differences;
}

async function describe(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_WAIT_MS;
  for (;;) {
    const table = await describe(client, tableName);
    if (table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new Error(`Table ${tableName} did not become ACTIVE within ${ACTIVE_WAIT_MS} ms`);
    await sleep(10);
  }
}

async function ensureTable(
  client: DynamoDBClient,
  spec: TableSpec,
): Promise<'created' | 'existing'> {
  const existing = await describe(client, spec.tableName);
  if (existing) {
    const differences = schemaDifferences(spec, existing);
    if (differences.length > 0) throw new TableSchemaMismatchError(spec.tableName, differences);
    return 'existing';
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(spec)));
  } catch (error) {
    throw new Error(
      `Creating table ${spec.tableName} (${spec.id}) failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  await waitUntilActive(client, spec.tableName);
  return 'created';
}

/**
 * Creates each table (with its indexes) that the store does not have yet, through the real SDK;
 * a table already there is checked against its spec. Safe to call on every start.
 */
export async function ensureTables(
  endpoint: string,
  tables: TableSpec[],
): Promise<EnsureTablesResult> {
  const names = new Map<string, string>();
  for (const t of tables) {
    const other = names.get(t.tableName);
    if (other) throw new Error(`Tables ${other} and ${t.id} are both named ${t.tableName}`);
    names.set(t.tableName, t.id);
  }
  const client = localDynamoClient(endpoint);
  try {
    const outcomes = await Promise.all(tables.map((spec) => ensureTable(client, spec)));
    return {
      created: tables.filter((_, i) => outcomes[i] === 'created').map((t) => t.tableName),
      existing: tables.filter((_, i) => outcomes[i] === 'existing').map((t) => t.tableName),
      ttlNotApplied: tables.filter((t) => t.timeToLiveAttribute).map((t) => t.tableName),
    };
  } finally {
    client.destroy();
  }
}
