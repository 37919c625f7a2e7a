import {
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDynamoClient } from './client';
import { DataDirLockedError, LOCK_FILE_NAME } from './data-dir-lock';
import { ensureTables, TableSchemaMismatchError } from './ensure-tables';
import { startLocalDynamo } from './local-dynamo';
import type { LocalDynamo, TableSpec } from './types';

jest.setTimeout(20_000);

const users: TableSpec = {
  id: 'SmAuth/UsersTable',
  tableName: 'SmAuth-Users',
  keySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
  attributeDefinitions: [
    { AttributeName: 'username', AttributeType: 'S' },
    { AttributeName: 'userId', AttributeType: 'S' },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'byUserId',
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'expiresAt',
};

const history: TableSpec = {
  id: 'SmLocation/HistoryTable',
  tableName: 'SmLocation-History',
  keySchema: [
    { AttributeName: 'userId', KeyType: 'HASH' },
    { AttributeName: 'at', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'userId', AttributeType: 'S' },
    { AttributeName: 'at', AttributeType: 'N' },
  ],
};

let dir: string;
const started: LocalDynamo[] = [];
async function start(options: Parameters<typeof startLocalDynamo>[0]): Promise<LocalDynamo> {
  const dynamo = await startLocalDynamo(options);
  started.push(dynamo);
  return dynamo;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-dynamo-'));
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((d) => d.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('startLocalDynamo', () => {
  it('serves DynamoDB over HTTP and keeps the data across close and reopen', async () => {
    const dataDir = join(dir, 'data');
    const first = await start({ dataDir });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await ensureTables(first.endpoint, [users, history])).toEqual({
      created: ['SmAuth-Users', 'SmLocation-History'],
      existing: [],
      ttlNotApplied: ['SmAuth-Users'],
    });
    const client = localDynamoClient(first.endpoint);
    await client.send(
      new PutItemCommand({
        TableName: 'SmAuth-Users',
        Item: { username: { S: 'ada' }, userId: { S: 'u-1' } },
      }),
    );
    client.destroy();
    await first.close();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);

    const second = await start({ dataDir });
    expect(await ensureTables(second.endpoint, [users, history])).toMatchObject({
      created: [],
      existing: ['SmAuth-Users', 'SmLocation-History'],
    });
    const again = localDynamoClient(second.endpoint);
    const item = await again.send(
      new GetItemCommand({ TableName: 'SmAuth-Users', Key: { username: { S: 'ada' } } }),
    );
    const byIndex = await again.send(
      new QueryCommand({
        TableName: 'SmAuth-Users',
        IndexName: 'byUserId',
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': { S: 'u-1' } },
      }),
    );
    again.destroy();
    expect(item.Item).toEqual({ username: { S: 'ada' }, userId: { S: 'u-1' } });
    expect(byIndex.Items).toHaveLength(1);
  });

  it('refuses a second owner of the data directory while the first runs', async () => {
    const dataDir = join(dir, 'data');
    await start({ dataDir });

    const attempt = startLocalDynamo({ dataDir });

    await expect(attempt).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(attempt).rejects.toThrow(`pid ${process.pid}`);
    await expect(attempt).rejects.toThrow('--in-memory');
  });

  it('refuses a data directory held by another live process', async () => {
    const dataDir = join(dir, 'data');
    await start({ dataDir: join(dir, 'other') });
    // The lock content another runtime (here: this test's parent, alive for sure) would leave.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, LOCK_FILE_NAME),
      JSON.stringify({ pid: process.ppid, hostname: hostname(), startedAt: 'then' }),
    );

    await expect(startLocalDynamo({ dataDir })).rejects.toThrow(
      `in use by another local runtime (pid ${process.ppid}, started then)`,
    );
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = join(dir, 'data');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, LOCK_FILE_NAME),
      JSON.stringify({ pid: Number(gone.stdout), hostname: hostname() }),
    );

    await start({ dataDir });

    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
  });

  it('in memory, writes nothing to disk', async () => {
    const dataDir = join(dir, 'never-created');
    const dynamo = await start({ dataDir, inMemory: true });
    await ensureTables(dynamo.endpoint, [users]);
    const client = localDynamoClient(dynamo.endpoint);
    await client.send(
      new PutItemCommand({
        TableName: 'SmAuth-Users',
        Item: { username: { S: 'ada' }, userId: { S: 'u' } },
      }),
    );
    client.destroy();
    await dynamo.close();

    expect(dynamo.dataDir).toBeUndefined();
    expect(existsSync(dataDir)).toBe(false);
    // Two in-memory stores are independent.
    const other = await start({ inMemory: true });
    expect(await ensureTables(other.endpoint, [users])).toMatchObject({
      created: ['SmAuth-Users'],
    });
  });

  it('asks for a dataDir unless in memory', async () => {
    await expect(startLocalDynamo({})).rejects.toThrow(
      'needs a dataDir to persist data, or inMemory: true',
    );
  });
});

describe('ensureTables', () => {
  it('creates a provisioned table with CDK default capacity', async () => {
    const dynamo = await start({ inMemory: true });
    await ensureTables(dynamo.endpoint, [history]);
    const client = localDynamoClient(dynamo.endpoint);
    const { Table } = await client.send(
      new DescribeTableCommand({ TableName: 'SmLocation-History' }),
    );
    client.destroy();
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: history.keySchema,
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
  });

  it('names the table and the difference when a kept table no longer matches its template', async () => {
    const dynamo = await start({ inMemory: true });
    const withoutIndex: TableSpec = {
      ...users,
      attributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
      globalSecondaryIndexes: undefined,
    };
    await ensureTables(dynamo.endpoint, [withoutIndex]);

    const attempt = ensureTables(dynamo.endpoint, [users]);

    await expect(attempt).rejects.toBeInstanceOf(TableSchemaMismatchError);
    await expect(attempt).rejects.toThrow(
      'Table SmAuth-Users in the local store differs from its template: global index byUserId is missing',
    );
  });

  it('refuses two specs with one table name', async () => {
    await expect(
      ensureTables('http://127.0.0.1:9', [users, { ...users, id: 'SmOther/Users' }]),
    ).rejects.toThrow('Tables SmAuth/UsersTable and SmOther/Users are both named SmAuth-Users');
  });
});
