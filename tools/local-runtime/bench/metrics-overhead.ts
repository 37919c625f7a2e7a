/**
 * `npx tsx tools/local-runtime/bench/metrics-overhead.ts`: the CPU one request's CloudWatch metrics
 * cost the runtime's thread — the gateway's API Gateway metrics (3 dimension sets × 5 series, as
 * with detailed metrics on) and the Lambda service wrapper's 6 series — measured in process with
 * `process.cpuUsage()`, so a busy machine slows it less than an end-to-end rate comparison (which
 * `npm run bench:local -- --quick [--no-metrics]` gives when the machine is quiet). Compare with
 * the ~190 µs of CPU per request the runtime spends in all (README, Benchmark).
 */
import type { ApiModel } from '../src/assembly';
import type { FunctionSpec, FunctionStats, InvokeResult, LambdaService } from '../src/lambda/types';
import type { LogRecord, LogSink } from '../src/logs/types';
import { gatewayMetrics, MetricStore, observeLambda, observeLogs } from '../src/metrics';

const REQUESTS = 1_000_000;
const api = {
  name: 'sm-bench',
  stageName: 'prod',
  metricsEnabled: { stageDefault: true, perMethod: new Map() },
  methods: [{ httpMethod: 'GET', resourcePath: '/items/{id}' }],
} as unknown as ApiModel;
const fn = { id: 'Bench/Fn', functionName: 'Bench-Fn', memorySizeMB: 512 } as FunctionSpec;
const ok: InvokeResult = { kind: 'ok', payload: {}, durationMs: 1.234, coldStart: false };
const service: LambdaService = {
  register: () => undefined,
  update: () => false,
  relocate: () => undefined,
  remove: () => undefined,
  invoke: () => Promise.resolve(ok),
  stats: () => ({ warm: 1, busy: 0, waiting: 0, initializing: 0, coldStarts: 0 }) as FunctionStats,
  checkInvariants: () => [],
  close: () => Promise.resolve(),
};

async function main(): Promise<void> {
  const store = new MetricStore();
  const gateway = gatewayMetrics(store, [api]);
  const lambda = observeLambda(service, store);
  lambda.register(fn);
  const method = api.methods[0]!;
  // Latencies spread over two decades, as a loaded runtime's are: the histogram fills many buckets.
  const latency = (i: number) => 0.5 + ((i * 7919) % 10_000) / 100;

  for (let round = 0; round < 2; round++) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      gateway.requestDone(api, method, i % 100 === 0 ? 429 : 200, latency(i), latency(i) - 0.3);
      if (i % 1000 === 999) await lambda.invoke(fn.id, {});
      else void lambda.invoke(fn.id, {});
    }
    await new Promise((resolve) => setImmediate(resolve));
    const used = process.cpuUsage(cpu);
    const cpuUs = (used.user + used.system) / REQUESTS;
    console.log(`${round === 0 ? 'warm-up' : 'measured'}: ${REQUESTS.toLocaleString()} requests, ${cpuUs.toFixed(2)} µs of CPU per request for its metrics (wall ${(((performance.now() - wall) * 1000) / REQUESTS).toFixed(2)} µs), ${store.list().length} series`);
  }
  // Log lines: a Powertools JSON line (one metric filter on its group, as each function has) and an EMF line.
  const sink: LogSink = { active: false, write: () => undefined, flush: () => Promise.resolve(), close: () => Promise.resolve() };
  const logs = observeLogs(sink, store, [{ id: 'Bench/Filter', logGroupName: '/aws/lambda/Bench-Fn', filterPattern: '{ $.level = "ERROR" }', transformations: [{ metricNamespace: 'Bench/Logs', metricName: 'error-lines', metricValue: '1' }] }], () => undefined);
  const line = (message: string): LogRecord => ({ timestamp: Date.now(), logGroup: '/aws/lambda/Bench-Fn', logStream: 's', requestId: 'r', message, source: 'bench' });
  const json = line(JSON.stringify({ level: 'INFO', message: 'Location read', timestamp: new Date().toISOString(), service: 'location', cold_start: false, function_name: 'Bench-Fn', function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678', correlation_id: 'abc', userId: 'u1' }));
  const emf = line(JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'ServerlessMicroservices', Dimensions: [['service']], Metrics: [{ Name: 'LocationRead', Unit: 'Count' }] }] }, service: 'location', LocationRead: 1 }));
  for (const [name, record] of [['Powertools JSON line (metric filter)', json], ['EMF line', emf]] as const) {
    const lines = 200_000;
    const cpu = process.cpuUsage();
    for (let i = 0; i < lines; i++) logs.write(record);
    const used = process.cpuUsage(cpu);
    console.log(`${name}: ${((used.user + used.system) / lines).toFixed(2)} µs of CPU per line`);
  }
  store.close();
}

void main();
