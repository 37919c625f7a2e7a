/**
 * Micro-benchmark of the Lambda emulation alone: `invoke()` of a warm echo handler with an API
 * Gateway-sized proxy event, at concurrency 1 and 10, with and without log files.
 *
 *   npx tsx tools/local-runtime/bench/lambda-invoke.ts [--seconds 3]
 *
 * Prints invocations/s and p50/p99 latency of invoke() as seen by the caller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLambdaService, type FunctionSpec } from '../src/lambda';
import { createLogSink } from '../src/logs';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const fixtures = join(__dirname, '..', 'src', 'lambda', '__fixtures__');

/** The shape and size of a REST API proxy event (about 1.5 KB). */
const event = {
  resource: '/items/{id}',
  path: '/items/42',
  httpMethod: 'GET',
  headers: {
    Accept: '*/*',
    Host: '127.0.0.1:3000',
    'User-Agent': 'bench',
    'X-Forwarded-For': '127.0.0.1',
  },
  multiValueHeaders: {
    Accept: ['*/*'],
    Host: ['127.0.0.1:3000'],
    'User-Agent': ['bench'],
    'X-Forwarded-For': ['127.0.0.1'],
  },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: { id: '42' },
  stageVariables: null,
  requestContext: {
    resourceId: 'abc123',
    resourcePath: '/items/{id}',
    httpMethod: 'GET',
    extendedRequestId: 'c2VjcmV0LWlkPQ==',
    requestTime: '27/Nov/2026:19:00:00 +0000',
    path: '/prod/items/42',
    accountId: '123456789012',
    protocol: 'HTTP/1.1',
    stage: 'prod',
    domainPrefix: '127',
    requestTimeEpoch: 1795800000000,
    requestId: '5d2a1f3e-1111-2222-3333-444455556666',
    identity: {
      sourceIp: '127.0.0.1',
      userAgent: 'bench',
      accountId: null,
      caller: null,
      user: null,
      userArn: null,
    },
    domainName: '127.0.0.1',
    apiId: 'local12345',
  },
  body: null,
  isBase64Encoded: false,
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(
  invoke: () => Promise<unknown>,
  concurrency: number,
): Promise<{ rate: number; p50: number; p99: number; count: number }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await invoke();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rate: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    count: latencies.length,
  };
}

async function run(label: string, withLogFiles: boolean): Promise<void> {
  const logsDir = withLogFiles ? mkdtempSync(join(tmpdir(), 'lambda-bench-logs-')) : undefined;
  const logSink = withLogFiles ? createLogSink({ logsDir, quiet: true }) : undefined;
  const lambda = createLambdaService({ logSink });
  const spec: FunctionSpec = {
    id: 'SmBench/EchoFunction',
    functionName: 'SmBench-Echo',
    codeDir: fixtures,
    handler: 'echo.handler',
    runtime: 'nodejs22.x',
    environment: {},
    timeoutSeconds: 3,
    memorySizeMB: 128,
    logGroupName: '/aws/lambda/SmBench-Echo',
  };
  lambda.register(spec);
  const invoke = async (): Promise<void> => {
    const result = await lambda.invoke(spec.id, event);
    if (result.kind !== 'ok') throw new Error(`invoke failed: ${JSON.stringify(result)}`);
  };
  try {
    // Warm ten environments so concurrency 10 measures warm invokes, as a steady load would.
    await Promise.all(Array.from({ length: 10 }, invoke));
    for (let i = 0; i < 500; i++) await invoke();
    for (const concurrency of [1, 10]) {
      const r = await measure(invoke, concurrency);
      console.log(
        `${label.padEnd(22)} concurrency ${String(concurrency).padStart(2)}: ${r.rate.toFixed(0).padStart(6)} invocations/s  ` +
          `p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  (${r.count} invocations in ${seconds} s)`,
      );
    }
    const stats = lambda.stats(spec.id);
    console.log(
      `${label.padEnd(22)} environments: ${stats.warm} warm, ${stats.coldStarts} cold starts`,
    );
  } finally {
    await lambda.close();
    await logSink?.close();
    if (logsDir) rmSync(logsDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `Lambda invoke() micro-benchmark, echo handler, ${seconds} s per case, Node ${process.version}`,
  );
  await run('no log sink', false);
  await run('log files (quiet)', true);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
