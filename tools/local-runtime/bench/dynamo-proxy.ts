/**
 * `npx tsx tools/local-runtime/bench/dynamo-proxy.ts`: what the DynamoDB proxy (with its metrics
 * layer) adds to a store call: the same PutItem/GetItem mix through the real SDK, straight to
 * dynalite and through the proxy, sequentially and 50 at a time, in alternating rounds. Prints
 * calls/s and p50/p99 per path, and the CPU this process used per call.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../src/dynamodb/client';
import { ensureTables } from '../src/dynamodb/ensure-tables';
import { startLocalDynamo } from '../src/dynamodb/local-dynamo';
import { startDynamoProxy } from '../src/dynamodb/proxy';
import { dynamoMetricsLayer, MetricStore } from '../src/metrics';

const CALLS = 2_000;
const table = { id: 'Bench/Table', tableName: 'Bench', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }], billingMode: 'PAY_PER_REQUEST' as const };

async function run(client: DynamoDBClient, concurrency: number): Promise<{ rate: number; p50: number; p99: number; cpuUs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < CALLS) {
        const i = next++;
        const t = performance.now();
        const key = { pk: { S: `k${i % 500}` } };
        if (i % 2 === 0) await client.send(new PutItemCommand({ TableName: 'Bench', Item: { ...key, body: { S: 'x'.repeat(200) } } }));
        else await client.send(new GetItemCommand({ TableName: 'Bench', Key: key }));
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return { rate: (CALLS / elapsed) * 1000, p50: latencies[Math.floor(CALLS * 0.5)]!, p99: latencies[Math.floor(CALLS * 0.99)]!, cpuUs: (used.user + used.system) / CALLS };
}

async function main(): Promise<void> {
  const dynamo = await startLocalDynamo({ inMemory: true });
  await ensureTables(dynamo.endpoint, [table]);
  const store = new MetricStore();
  const proxy = await startDynamoProxy({ target: dynamo.endpoint, layers: [dynamoMetricsLayer(store, [table])] });
  const inProcessProxy = await startDynamoProxy({ target: dynamo.endpoint, inProcess: dynamo.handle, layers: [dynamoMetricsLayer(store, [table])] });
  const direct = localDynamoClient(dynamo.endpoint);
  const proxied = localDynamoClient(proxy.endpoint);
  const inProcess = localDynamoClient(inProcessProxy.endpoint);
  try {
    for (const concurrency of [1, 50]) {
      for (let round = 0; round < 3; round++) {
        for (const [name, client] of [['direct', direct], ['proxy, two HTTP hops', proxied], ['proxy, dynalite in process (the runtime)', inProcess]] as const) {
          const r = await run(client, concurrency);
          if (round > 0) console.log(`${String(concurrency).padStart(2)} at a time, ${name.padEnd(40)}: ${r.rate.toFixed(0).padStart(5)} calls/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  CPU ${r.cpuUs.toFixed(0)} µs/call (client, proxy and dynalite in this process)`);
        }
      }
    }
  } finally {
    direct.destroy();
    proxied.destroy();
    inProcess.destroy();
    await inProcessProxy.close();
    store.close();
    await proxy.close();
    await dynamo.close();
  }
}

void main();
