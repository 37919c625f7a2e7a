/**
 * The DynamoDB proxy between the functions and dynalite, over real HTTP with the real SDK: what it
 * forwards, what its metrics layer records (capacity units as DynamoDB bills them), and that the
 * functions get exactly the answer they asked for.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { dynamoMetricsLayer, MetricStore } from '../metrics';
import { localDynamoClient } from './client';
import { ensureTables } from './ensure-tables';
import { startLocalDynamo } from './local-dynamo';
import { startDynamoProxy, type DynamoProxy } from './proxy';
import type { DynamoProxyLayer } from './proxy-types';
import type { LocalDynamo, TableSpec } from './types';

jest.setTimeout(20_000);

const notes: TableSpec = {
  id: 'Fx/Notes',
  tableName: 'Notes',
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'owner', AttributeType: 'S' },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'byOwner',
      KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  billingMode: 'PAY_PER_REQUEST',
};

let dynamo: LocalDynamo;
let proxy: DynamoProxy;
let store: MetricStore;
let client: DynamoDBClient;
/** A layer that answers with DynamoDB's own throttling error or a 500 when told to: faults the real store cannot produce. */
let fault: 'throttle' | 'system' | undefined;
const faults: DynamoProxyLayer = {
  name: 'test-faults',
  async handle(call, next) {
    if (!fault) return next(call);
    const [status, type] =
      fault === 'throttle'
        ? [400, 'com.amazonaws.dynamodb.v20120810#ThrottlingException']
        : [500, 'com.amazonaws.dynamodb.v20120810#InternalServerError'];
    return {
      kind: 'response',
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: Buffer.from(JSON.stringify({ __type: type, message: 'injected by the test' })),
    };
  },
};

beforeAll(async () => {
  dynamo = await startLocalDynamo({ inMemory: true });
  await ensureTables(dynamo.endpoint, [notes]);
  store = new MetricStore();
  proxy = await startDynamoProxy({
    target: dynamo.endpoint,
    layers: [dynamoMetricsLayer(store, [notes])],
  });
  proxy.use(faults);
  client = localDynamoClient(proxy.endpoint);
});

afterAll(async () => {
  client?.destroy();
  store?.close();
  await proxy?.close();
  await dynamo?.close();
});

beforeEach(() => {
  fault = undefined;
});

/** Sum recorded for a metric since the test began. */
function sum(name: string, dimensions: Record<string, string>): number {
  return (
    store.find({ namespace: 'AWS/DynamoDB', name, dimensions })?.aggregate(0, Date.now() + 60_000)
      ?.sum ?? 0
  );
}

/** The units one call adds to a metric. */
async function delta(
  name: string,
  dimensions: Record<string, string>,
  act: () => Promise<unknown>,
): Promise<number> {
  const before = sum(name, dimensions);
  await act();
  return sum(name, dimensions) - before;
}

const text = (bytes: number) => 'x'.repeat(bytes);
const table = { TableName: 'Notes' };

describe('consumed capacity, as DynamoDB bills it', () => {
  it('charges a write by the item size in 1 KB units, and an overwrite by the larger of old and new', async () => {
    // pk(2)+1, sk(2)+1, body(4)+1500 = 1510 bytes → 2 write units.
    const big = { pk: { S: 'a' }, sk: { S: '1' }, body: { S: text(1500) } };
    expect(
      await delta('ConsumedWriteCapacityUnits', table, () =>
        client.send(new PutItemCommand({ TableName: 'Notes', Item: big })),
      ),
    ).toBe(2);
    // A 10-byte item replacing the 1.5 KB one still pays for the old one: 2.
    expect(
      await delta('ConsumedWriteCapacityUnits', table, () =>
        client.send(
          new PutItemCommand({ TableName: 'Notes', Item: { pk: { S: 'a' }, sk: { S: '1' } } }),
        ),
      ),
    ).toBe(2);
  });

  it('charges a read in 4 KB units, half for an eventually consistent one', async () => {
    await client.send(
      new PutItemCommand({
        TableName: 'Notes',
        Item: { pk: { S: 'r' }, sk: { S: '1' }, body: { S: text(5000) } },
      }),
    );
    const key = { pk: { S: 'r' }, sk: { S: '1' } };
    expect(
      await delta('ConsumedReadCapacityUnits', table, () =>
        client.send(new GetItemCommand({ TableName: 'Notes', Key: key, ConsistentRead: true })),
      ),
    ).toBe(2);
    expect(
      await delta('ConsumedReadCapacityUnits', table, () =>
        client.send(new GetItemCommand({ TableName: 'Notes', Key: key })),
      ),
    ).toBe(1);
  });

  it("sums a query's items before rounding up to 4 KB", async () => {
    for (let i = 0; i < 4; i++)
      await client.send(
        new PutItemCommand({
          TableName: 'Notes',
          Item: { pk: { S: 'q' }, sk: { S: String(i) }, body: { S: text(900) } },
        }),
      );
    // 4 × ~908 bytes = ~3.6 KB: one strongly consistent read unit for the whole page, not four.
    const units = await delta('ConsumedReadCapacityUnits', table, () =>
      client.send(
        new QueryCommand({
          TableName: 'Notes',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'q' } },
          ConsistentRead: true,
        }),
      ),
    );
    expect(units).toBe(1);
    expect(
      sum('ReturnedItemCount', { Operation: 'Query', TableName: 'Notes' }),
    ).toBeGreaterThanOrEqual(4);
  });

  it('charges a failed conditional write one unit and counts it apart from user errors', async () => {
    await client.send(
      new PutItemCommand({ TableName: 'Notes', Item: { pk: { S: 'c' }, sk: { S: '1' } } }),
    );
    const userErrors = sum('UserErrors', {});
    const units = await delta('ConsumedWriteCapacityUnits', table, () =>
      expect(
        client.send(
          new PutItemCommand({
            TableName: 'Notes',
            Item: { pk: { S: 'c' }, sk: { S: '1' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ).rejects.toBeInstanceOf(ConditionalCheckFailedException),
    );
    expect(units).toBe(1);
    expect(sum('ConditionalCheckFailedRequests', table)).toBeGreaterThanOrEqual(1);
    expect(sum('UserErrors', {})).toBe(userErrors);
  });

  it('adds the writes of a global secondary index: entering it, changing its key (2), leaving it', async () => {
    const index = { GlobalSecondaryIndexName: 'byOwner', TableName: 'Notes' };
    const key = { pk: { S: 'g' }, sk: { S: '1' } };
    expect(
      await delta('ConsumedWriteCapacityUnits', index, () =>
        client.send(
          new PutItemCommand({ TableName: 'Notes', Item: { ...key, owner: { S: 'ann' } } }),
        ),
      ),
    ).toBe(1);
    expect(
      await delta('ConsumedWriteCapacityUnits', index, () =>
        client.send(
          new PutItemCommand({ TableName: 'Notes', Item: { ...key, owner: { S: 'bob' } } }),
        ),
      ),
    ).toBe(2);
    expect(
      await delta('ConsumedWriteCapacityUnits', index, () =>
        client.send(
          new UpdateItemCommand({
            TableName: 'Notes',
            Key: key,
            UpdateExpression: 'SET body = :b',
            ExpressionAttributeValues: { ':b': { S: 'hi' } },
          }),
        ),
      ),
    ).toBe(1);
    expect(
      await delta('ConsumedWriteCapacityUnits', index, () =>
        client.send(new DeleteItemCommand({ TableName: 'Notes', Key: key })),
      ),
    ).toBe(1);
    expect(
      await delta('ConsumedWriteCapacityUnits', index, () =>
        client.send(
          new PutItemCommand({ TableName: 'Notes', Item: { pk: { S: 'g' }, sk: { S: '2' } } }),
        ),
      ),
    ).toBe(0);
  });
});

describe('what the functions get back', () => {
  it('is the answer to what they asked: no ConsumedCapacity or Attributes they did not ask for', async () => {
    const put = await client.send(
      new PutItemCommand({
        TableName: 'Notes',
        Item: { pk: { S: 'w' }, sk: { S: '1' }, owner: { S: 'ann' } },
      }),
    );
    expect(put.ConsumedCapacity).toBeUndefined();
    expect(put.Attributes).toBeUndefined();
    const got = await client.send(
      new GetItemCommand({
        TableName: 'Notes',
        Key: { pk: { S: 'w' }, sk: { S: '1' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(got.Item).toEqual({ pk: { S: 'w' }, sk: { S: '1' }, owner: { S: 'ann' } });
    expect(got.ConsumedCapacity).toEqual({ TableName: 'Notes', CapacityUnits: 0.5 });
    const old = await client.send(
      new PutItemCommand({
        TableName: 'Notes',
        Item: { pk: { S: 'w' }, sk: { S: '1' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(old.Attributes).toEqual({ pk: { S: 'w' }, sk: { S: '1' }, owner: { S: 'ann' } });
  });
});

describe('errors', () => {
  it('counts throttling errors as ThrottledRequests and 500s as SystemErrors, per table and operation', async () => {
    const dims = { Operation: 'GetItem', TableName: 'Notes' };
    const throttled = sum('ThrottledRequests', dims);
    fault = 'throttle';
    const quick = localDynamoClient(proxy.endpoint);
    try {
      await expect(
        quick.send(
          new GetItemCommand({ TableName: 'Notes', Key: { pk: { S: 'x' }, sk: { S: '1' } } }),
        ),
      ).rejects.toThrow(/injected/);
      // The SDK retried (standard mode: 3 attempts): each attempt is a throttled request, as in AWS.
      expect(sum('ThrottledRequests', dims) - throttled).toBe(3);
      expect(sum('ReadThrottleEvents', { TableName: 'Notes' })).toBeGreaterThanOrEqual(3);
      fault = 'system';
      const systemErrors = sum('SystemErrors', dims);
      await expect(
        quick.send(
          new GetItemCommand({ TableName: 'Notes', Key: { pk: { S: 'x' }, sk: { S: '1' } } }),
        ),
      ).rejects.toThrow();
      expect(sum('SystemErrors', dims) - systemErrors).toBe(3);
    } finally {
      quick.destroy();
    }
  });

  it('counts a malformed request as a user error', async () => {
    const before = sum('UserErrors', {});
    await expect(
      client.send(new GetItemCommand({ TableName: 'NoSuchTable', Key: { pk: { S: 'x' } } })),
    ).rejects.toThrow(/not found|non-existent/i);
    expect(sum('UserErrors', {}) - before).toBe(1);
  });
});
