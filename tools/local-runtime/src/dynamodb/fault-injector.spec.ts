/**
 * The fault injector as a layer of the real DynamoDB proxy, in front of dynalite, called with the
 * real SDK: what the SDK sees for each injected fault (the error it throws, after its own retries),
 * that a failed call never reaches the store, that latency, scope and the outage window hold, and
 * that metrics (outside the injector) count what the functions saw.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { dynamoMetricsLayer, MetricStore } from '../metrics';
import { createFaultInjector, type FaultInjector } from './fault-injector';
import { parseFaultSpec } from './fault-spec';
import { ensureTables } from './ensure-tables';
import { startLocalDynamo } from './local-dynamo';
import { startDynamoProxy, type DynamoProxy } from './proxy';
import type { LocalDynamo, TableSpec } from './types';

jest.setTimeout(20_000);

const table = (name: string): TableSpec => ({
  id: `Fx/${name}`,
  tableName: name,
  keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  billingMode: 'PAY_PER_REQUEST',
});
const tables = [table('Sm-Locations'), table('Sm-Tokens')];

let dynamo: LocalDynamo;
let proxy: DynamoProxy;
let store: MetricStore;
let injector: FaultInjector;
let clock = 0;
/** One attempt per call: what one request of a function meets, before any retry. */
let once: DynamoDBClient;
/** The SDK's retries (3 attempts, its own choice of what to retry), with 10 ms waits to keep the test short. */
let retrying: DynamoDBClient;

const client = (maxAttempts: number) =>
  new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 10),
  });

beforeAll(async () => {
  dynamo = await startLocalDynamo({ inMemory: true });
  await ensureTables(dynamo.endpoint, tables);
  store = new MetricStore();
  proxy = await startDynamoProxy({
    target: dynamo.endpoint,
    inProcess: dynamo.handle,
    layers: [dynamoMetricsLayer(store, tables)],
  });
  injector = createFaultInjector(undefined, { now: () => clock });
  proxy.use(injector);
  once = client(1);
  retrying = client(3);
});

afterAll(async () => {
  once?.destroy();
  retrying?.destroy();
  store?.close();
  await proxy?.close();
  await dynamo?.close();
});

beforeEach(() => injector.set(undefined));

const put = (c: DynamoDBClient, pk: string, tableName = 'Sm-Locations') =>
  c.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk } } }));
const stored = async (pk: string, tableName = 'Sm-Locations') =>
  (
    await once.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
    )
  ).Item !== undefined;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { name: string; $metadata?: { attempts?: number; httpStatusCode?: number } }) => error,
  );

describe('what the SDK sees', () => {
  it.each([
    ['throttle=100%', 'ThrottlingException', 400],
    ['capacity=100%', 'ProvisionedThroughputExceededException', 400],
    ['error=100%', 'InternalServerError', 500],
  ])(
    '%s: every attempt fails with %s (retried by the SDK), and nothing is written',
    async (spec, name, status) => {
      injector.set(parseFaultSpec(spec));
      const error = await failure(put(retrying, `k-${name}`));
      expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status, attempts: 3 } });
      injector.set(undefined);
      expect(await stored(`k-${name}`)).toBe(false);
    },
  );

  it('reset=100%: the connection is cut, a network error the SDK retries; nothing is written', async () => {
    injector.set(parseFaultSpec('reset=100%'));
    const error = await failure(put(retrying, 'k-reset'));
    expect(error).toBeDefined();
    // Three attempts reached the proxy: the SDK took the cut connection for a transient failure.
    expect(injector.counts().reset).toBe(3);
    injector.set(undefined);
    expect(await stored('k-reset')).toBe(false);
  });

  it('a share fails about that share of calls, drawn reproducibly from the seed', async () => {
    const run = async () => {
      injector.set(parseFaultSpec('throttle=30%,seed=7'));
      const outcomes = [];
      for (let i = 0; i < 60; i++)
        outcomes.push((await failure(put(once, `share-${i}`)))?.name ?? 'ok');
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const throttled = first.filter((o) => o === 'ThrottlingException').length;
    expect(throttled).toBeGreaterThanOrEqual(8);
    expect(throttled).toBeLessThanOrEqual(30);
    expect(first.filter((o) => o === 'ok')).toHaveLength(60 - throttled);
    injector.set(undefined);
    // Every call that succeeded was written; every throttled one was not.
    const written = await Promise.all(first.map((_, i) => stored(`share-${i}`)));
    expect(written).toEqual(first.map((o) => o === 'ok'));
  });
});

it('adds latency to the calls in scope only (tables, operations)', async () => {
  injector.set(parseFaultSpec('latency=300ms,tables=Locations,ops=PutItem'));
  let started = performance.now();
  await put(once, 'slow');
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  started = performance.now();
  await put(once, 'fast', 'Sm-Tokens');
  await stored('slow');
  expect(performance.now() - started).toBeLessThan(250);
  expect(injector.counts()).toMatchObject({ inScope: 1, delayed: 1 });
});

it('fails every call in scope during the outage window, counted from when the spec is applied', async () => {
  clock = 1_000;
  injector.set(parseFaultSpec('outage=2s+5s,tables=Locations'));
  expect(injector.outageEndsAt).toBe(8_000);
  await put(once, 'before');
  clock = 3_000;
  expect(await failure(put(once, 'during'))).toMatchObject({ name: 'InternalServerError' });
  expect(await failure(put(once, 'other', 'Sm-Tokens'))).toBeUndefined();
  clock = 7_999;
  expect(await failure(put(once, 'still'))).toMatchObject({ name: 'InternalServerError' });
  clock = 8_000;
  await put(once, 'after');
  expect(await Promise.all(['before', 'during', 'still', 'after'].map((pk) => stored(pk)))).toEqual(
    [true, false, false, true],
  );
  expect(injector.counts()).toMatchObject({ outage: 2, error: 2 });
});

it('is seen by the metrics layer outside it: injected throttles are ThrottledRequests', async () => {
  const count = () =>
    store
      .find({
        namespace: 'AWS/DynamoDB',
        name: 'ThrottledRequests',
        dimensions: { TableName: 'Sm-Locations', Operation: 'PutItem' },
      })
      ?.aggregate(0, Date.now() + 60_000)?.sum ?? 0;
  const before = count();
  injector.set(parseFaultSpec('throttle=100%'));
  await failure(put(once, 'metered'));
  expect(count() - before).toBe(1);
});
