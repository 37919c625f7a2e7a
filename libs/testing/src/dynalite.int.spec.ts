import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, isConditionalCheckFailed, type TableDefinition } from '@sm/dynamo';
import { createTables } from './create-tables';
import { LOCAL_CREDENTIALS, LOCAL_REGION, useLocalAwsEnv } from './local-aws';
import { startDynalite, type Dynalite } from './start-dynalite';

const users = {
  id: 'Users',
  partitionKey: { name: 'username', type: 'S' },
} as const satisfies TableDefinition;
const history = {
  id: 'History',
  partitionKey: { name: 'userId', type: 'S' },
  sortKey: { name: 'at', type: 'N' },
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      indexName: 'byPlace',
      partitionKey: { name: 'place', type: 'S' },
      sortKey: { name: 'at', type: 'N' },
    },
  ],
} as const satisfies TableDefinition;

describe('dynalite with the real SDK', () => {
  let dynalite: Dynalite;
  let restoreEnv: () => void;
  let tableNames: Record<string, string>;

  beforeAll(async () => {
    dynalite = await startDynalite();
    restoreEnv = useLocalAwsEnv(dynalite.endpoint);
    tableNames = await createTables(dynalite.endpoint, [users, history], {
      tableName: (table) => `test-${table.id}`,
    });
  });
  afterAll(async () => {
    restoreEnv();
    await dynalite.stop();
  });

  it('listens over HTTP on 127.0.0.1 on a port the OS chose', () => {
    expect(dynalite.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dynalite.endpoint).not.toMatch(/:0$/);
  });

  it('creates each table from its definition, ACTIVE, with its keys and indexes, and returns the names', async () => {
    // Prepare
    const client = new DynamoDBClient({
      endpoint: dynalite.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });

    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'test-History' }));
    client.destroy();

    // Assess
    expect(tableNames).toEqual({ Users: 'test-Users', History: 'test-History' });
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'userId', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byPlace',
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it('lets createDocumentClient find the endpoint through AWS_ENDPOINT_URL_DYNAMODB alone and drop undefined members', async () => {
    // Prepare
    const db = createDocumentClient();

    // Act
    await db.send(
      new PutCommand({
        TableName: 'test-Users',
        Item: { username: 'ada', displayName: undefined, n: 1 },
      }),
    );
    const { Item } = await db.send(
      new GetCommand({ TableName: 'test-Users', Key: { username: 'ada' } }),
    );
    db.destroy();

    // Assess
    expect(Item).toEqual({ username: 'ada', n: 1 });
  });

  it('reports a failed attribute_not_exists condition so that isConditionalCheckFailed recognises it', async () => {
    // Prepare
    const db = createDocumentClient();
    const put = () =>
      db.send(
        new PutCommand({
          TableName: 'test-Users',
          Item: { username: 'grace' },
          ConditionExpression: 'attribute_not_exists(username)',
        }),
      );
    await put();

    // Act
    const error = await put().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    db.destroy();

    // Assess
    expect(isConditionalCheckFailed(error)).toBe(true);
  });

  it('restores the previous environment when asked', () => {
    // Prepare
    const before = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    const restore = useLocalAwsEnv('http://127.0.0.1:1');

    // Act
    const during = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    restore();

    // Assess
    expect(during).toBe('http://127.0.0.1:1');
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(before);
    expect(process.env.AWS_REGION).toBe(LOCAL_REGION);
  });
});

describe('startDynalite', () => {
  it('gives each server its own port and data, and stops serving after stop()', async () => {
    // Prepare
    const first = await startDynalite();
    const second = await startDynalite();
    await createTables(first.endpoint, [users]);

    // Act
    const secondTables = await createTables(second.endpoint, [users]);
    await first.stop();
    const client = new DynamoDBClient({
      endpoint: first.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const afterStop = await client.send(new DescribeTableCommand({ TableName: 'Users' })).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    client.destroy();
    await second.stop();

    // Assess
    expect(first.endpoint).not.toBe(second.endpoint);
    expect(secondTables).toEqual({ Users: 'Users' });
    expect(afterStop).not.toBe('answered');
  });
});
