/**
 * `npm run bench:local -- --system [--quick]`: figures of the real system on the local runtime.
 *
 * 1. Time from `npm start` to the ready banner: once with the build/synth stamp current (inputs
 *    unchanged), once with it removed so that the bundles are built and the app synthesized first
 *    (src/build/: esbuild and the app run directly, no Nx or CDK CLI). Both rewrite nothing but the
 *    workspace's `dist/`, `cdk.out` and its stamp; `--in-memory`, so no `.local/` data is touched.
 *    `--no-start` skips this part. (`npm run bench:watch` times a first start from nothing.)
 * 2. Each function's cold start (`Init Duration` of its first REPORT, and the CPU time of its INIT),
 *    without and with V8's compile cache (`--compile-cache`, populated by a run before).
 * 3. p50/p99 of `GET /loc/{userId}` at a steady 50 requests/s (loadtest, open model; authorizer on,
 *    throttling as templated).
 * 4. The gateway's added latency: the same get-location handler called directly through the Lambda
 *    service with the event the gateway builds, and through the runtime over HTTP, interleaved.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exampleBody } from '../fixtures/contract-examples';
import { synthSystem } from '../fixtures/system-assembly';
import { defaultLabel, startRuntime, type RunningRuntime } from '../src';
import { buildProxyEvent, extendedRequestId, readHeaders } from '../src/gateway/proxy-event';

type LoadTestFn = (options: Record<string, unknown>) => Promise<{ totalRequests: number; totalErrors: number; percentiles: Record<string, number | false> }>;

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const LATENCY_SAMPLES = quick ? 100 : 400;
const COLD_ROUNDS = quick ? 1 : 3;
/** One call per 25 ms (40/s): under the location stage's templated 50 requests/s, so no 429. */
const LATENCY_INTERVAL_MS = 25;
const workspaceRoot = resolve(__dirname, '../../..');
const load = () => loadavg().map((n) => n.toFixed(2)).join(', ');

/** Runs `npm start` and resolves with the time to its ready banner and what it printed. */
function timeNpmStart(): Promise<{ ms: number; banner: string; output: string }> {
  const started = performance.now();
  // Its own process group, so that SIGTERM reaches npm, tsx and the runtime together.
  const child = spawn('npm', ['start', '--', '--port', '0', '--in-memory', '--quiet'], {
    cwd: workspaceRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  let output = '';
  return new Promise((resolveStart, rejectStart) => {
    const stop = () => {
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      stop();
      rejectStart(new Error(`npm start: no ready banner within 10 minutes:\n${output}`));
    }, 600_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Ctrl-C stops cleanly.')) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      child.once('exit', () => resolveStart({ ms, banner: /Local runtime ready in [^\n]*/.exec(output)?.[0] ?? '', output }));
      stop();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!output.includes('Ctrl-C stops cleanly.')) rejectStart(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

async function startTimes(): Promise<void> {
  const stamp = join(workspaceRoot, 'cdk.out', '.local-runtime-inputs.json');
  // First a start that brings cdk.out up to date if the inputs changed, then the warm one.
  await timeNpmStart();
  const warm = await timeNpmStart();
  const reused = warm.output.includes('no input changed since the last start');
  rmSync(stamp, { force: true });
  const cold = await timeNpmStart();
  console.log('## Time from `npm start` to ready (`--port 0 --in-memory --quiet`)');
  console.log('');
  console.log('| case | npm start → banner | banner says (since node started) |');
  console.log('|---|---|---|');
  console.log(`| inputs unchanged: build and synth skipped${reused ? '' : ' (NOT: inputs changed while measuring)'} | ${(warm.ms / 1000).toFixed(2)} s | ${warm.banner} |`);
  console.log(`| stamp removed: generated code checked, every bundle built (esbuild), the app synthesized (no Nx, no CDK CLI) | ${(cold.ms / 1000).toFixed(2)} s | ${cold.banner} |`);
  console.log(`(load average after: ${load()})`);
  console.log('');
}

interface Client {
  origin: string;
  userId: string;
  auth: Record<string, string>;
}

/** A user and a token, then one call to every function (each first call is a cold start). */
async function exerciseEveryFunction(runtime: RunningRuntime): Promise<Client> {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
    fetch(`${runtime.origin}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const user: Record<string, unknown> = { ...exampleBody('createUser'), username: `bench_${Date.now().toString(36)}` };
  const { userId } = (await (await post('/users', user)).json()) as { userId: string };
  const signIn = async () => ((await (await post('/tokens', { username: user['username'], password: user['password'] })).json()) as { token: string }).token;
  const auth = { authorization: `Bearer ${await signIn()}` };
  await post(`/profile/${userId}`, exampleBody('putProfile'), auth, 'PUT');
  await post(`/loc/${userId}`, exampleBody('putLocation'), auth, 'PUT');
  await fetch(`${runtime.origin}/loc/${userId}/history`, { headers: auth });
  await fetch(`${runtime.origin}/profile/${userId}`, { headers: auth });
  await fetch(`${runtime.origin}/loc/${userId}`, { headers: auth });
  // A second token to revoke, so that the first one still serves the measurements.
  await fetch(`${runtime.origin}/tokens/current`, { method: 'DELETE', headers: { authorization: `Bearer ${await signIn()}` } });
  return { origin: runtime.origin, userId, auth };
}

interface ColdStart {
  initMs: number;
  cpuMs: number | undefined;
}

/** Starts the system, calls every function once, reads each one's first INIT; then `after` runs. */
async function coldStarts(
  assemblyDir: string,
  stateDir: string,
  compileCache: boolean,
  after?: (runtime: RunningRuntime, client: Client) => Promise<void>,
): Promise<Map<string, ColdStart>> {
  const runtime = await startRuntime({ assemblyDir, port: 0, stateDir, quiet: true, compileCache, log: () => undefined });
  try {
    const client = await exerciseEveryFunction(runtime);
    // The same figure as the `Init Duration` of the function's first REPORT line.
    const result = new Map<string, ColdStart>();
    for (const fn of runtime.system.functions) {
      const stats = runtime.lambda.stats(fn.id);
      if (stats.coldStarts !== 1) throw new Error(`${fn.id}: ${stats.coldStarts} cold starts, expected 1`);
      if (stats.lastInit) result.set(fn.label ?? defaultLabel(fn), { initMs: stats.lastInit.durationMs, cpuMs: stats.lastInit.cpuMs });
    }
    if (after) await after(runtime, client);
    return result;
  } finally {
    await runtime.close();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** p50 and p99 in microseconds of LATENCY_SAMPLES calls of each, in turn, one per LATENCY_INTERVAL_MS. */
async function interleaved<Name extends string>(calls: Record<Name, () => Promise<void>>): Promise<Record<Name, { p50: number; p99: number }>> {
  const names = Object.keys(calls) as Name[];
  const times = new Map<Name, number[]>(names.map((name) => [name, []]));
  const timed = async (name: Name, keep: boolean) => {
    const started = performance.now();
    await calls[name]();
    const elapsed = performance.now() - started;
    if (keep) times.get(name)?.push(elapsed * 1000);
    await sleep(Math.max(0, LATENCY_INTERVAL_MS - elapsed));
  };
  for (let i = 0; i < 20; i++) for (const name of names) await timed(name, false);
  for (let i = 0; i < LATENCY_SAMPLES; i++) for (const name of names) await timed(name, true);
  const result = {} as Record<Name, { p50: number; p99: number }>;
  for (const name of names) {
    const sorted = [...(times.get(name) ?? [])].sort((a, b) => a - b);
    result[name] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
  return result;
}

async function main(): Promise<void> {
  const { loadTest } = (await import('loadtest')) as unknown as { loadTest: LoadTestFn };
  console.log(`bench:local --system${quick ? ' --quick' : ''}: load average at start ${load()} (2 cores, shared)`);
  console.log('');
  if (!process.argv.includes('--no-start')) await startTimes();

  const assemblyDir = synthSystem();
  const readyStarted = performance.now();
  const probe = await startRuntime({ assemblyDir, port: 0, inMemory: true, quiet: true, log: () => undefined });
  const readyMs = performance.now() - readyStarted;
  const functions = probe.system.functions.length;
  const routes = probe.routes.length;
  await probe.close();
  console.log(`Real system: ${functions} functions, ${routes} routes; startRuntime() ready in ${(readyMs / 1000).toFixed(2)} s (assembly already synthesized)`);
  console.log('');

  const stateDirs: string[] = [];
  const stateDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `local-runtime-system-bench-${name}-`));
    stateDirs.push(dir);
    return dir;
  };
  const off = [
    await coldStarts(assemblyDir, stateDir('off'), false, async (runtime, client) => {
      await steadyLoad(loadTest, runtime, client);
      await gatewayLatency(runtime, client);
    }),
  ];
  for (let round = 1; round < COLD_ROUNDS; round++) off.push(await coldStarts(assemblyDir, stateDir('off'), false));
  const cacheState = stateDir('cache');
  await coldStarts(assemblyDir, cacheState, true); // fills .local/compile-cache
  const on: Map<string, ColdStart>[] = [];
  for (let round = 0; round < COLD_ROUNDS; round++) on.push(await coldStarts(assemblyDir, cacheState, true));

  const median = (rounds: Map<string, ColdStart>[], label: string, key: keyof ColdStart) => {
    const values = rounds.map((round) => round.get(label)?.[key]).filter((value): value is number => value !== undefined).sort((a, b) => a - b);
    return values.length === 0 ? '–' : (values[Math.floor(values.length / 2)] as number).toFixed(0);
  };
  console.log(`## Cold start per function (first call after a start, one INIT at a time; median of ${COLD_ROUNDS} starts)`);
  console.log('');
  console.log('| function | Init Duration ms | INIT CPU ms | with --compile-cache: Init Duration ms | INIT CPU ms |');
  console.log('|---|---|---|---|---|');
  for (const label of [...(off[0] as Map<string, ColdStart>).keys()].sort()) {
    console.log(`| ${label} | ${median(off, label, 'initMs')} | ${median(off, label, 'cpuMs')} | ${median(on, label, 'initMs')} | ${median(on, label, 'cpuMs')} |`);
  }
  console.log(`(load average after: ${load()})`);
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
}

/** GET /loc/{userId} at a steady 50 requests/s, open model. */
async function steadyLoad(loadTest: LoadTestFn, runtime: RunningRuntime, client: Client): Promise<void> {
  const getLocation = runtime.system.functions.find((fn) => fn.handler.startsWith('get-location.'));
  const authorize = runtime.system.functions.find((fn) => fn.handler.startsWith('authorize.'));
  const before = [getLocation, authorize].map((fn) => (fn ? runtime.lambda.stats(fn.id).coldStarts : 0));
  const statuses = new Map<number, number>();
  const result = await loadTest({
    url: `${client.origin}/loc/${client.userId}`,
    headers: client.auth,
    requestsPerSecond: 50,
    maxSeconds: SECONDS,
    concurrency: 1,
    agentKeepAlive: true,
    quiet: true,
    statusCallback: (_error: unknown, reply: { statusCode?: number } | undefined) => {
      const status = reply?.statusCode ?? 0;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    },
  });
  const after = [getLocation, authorize].map((fn) => (fn ? runtime.lambda.stats(fn.id).coldStarts : 0));
  console.log('## GET /loc/{userId} at a steady 50 requests/s (authorizer on, throttling as templated)');
  console.log('');
  console.log(
    `${SECONDS} s: ${result.totalRequests} requests, ${result.totalErrors} errors, statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; ` +
      `p50 ${result.percentiles['50']} ms, p99 ${result.percentiles['99']} ms; cold starts during the run: get-location ${(after[0] ?? 0) - (before[0] ?? 0)}, authorizer ${(after[1] ?? 0) - (before[1] ?? 0)} (load average ${load()})`,
  );
  console.log('');
}

/** The same get-location handler, called directly through the Lambda service and through the runtime. */
async function gatewayLatency(runtime: RunningRuntime, client: Client): Promise<void> {
  const fn = runtime.system.functions.find((candidate) => candidate.handler.startsWith('get-location.'));
  const api = runtime.system.apis.find((candidate) => candidate.methods.some((m) => m.resourcePath === '/loc/{userId}' && m.httpMethod === 'GET'));
  const method = api?.methods.find((m) => m.resourcePath === '/loc/{userId}' && m.httpMethod === 'GET');
  if (!fn || !api || !method) throw new Error('no GET /loc/{userId} in the assembly');
  const host = new URL(client.origin).host;
  const agent = new Agent({ keepAlive: true });
  const viaGateway = () =>
    new Promise<void>((resolveCall, rejectCall) => {
      const req = request(`${client.origin}/loc/${client.userId}`, { agent, headers: client.auth }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolveCall() : rejectCall(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', rejectCall);
      req.end();
    });
  // The event the gateway builds for that request (authorizer context as the cached verdict gives it).
  const requestId = '6f1b7a4e-0c1d-4d7e-9a55-1c2b3d4e5f60';
  const event = buildProxyEvent({
    resourcePath: method.resourcePath,
    resourceId: method.resourceId,
    path: `/loc/${client.userId}`,
    httpMethod: 'GET',
    headers: readHeaders(['Host', host, 'Connection', 'keep-alive', 'authorization', client.auth['authorization'] as string, 'X-Forwarded-For', '127.0.0.1', 'X-Forwarded-Port', host.split(':')[1] ?? '', 'X-Forwarded-Proto', 'http']),
    query: { single: null, multi: null },
    pathParameters: { userId: client.userId },
    stageVariables: api.stageVariables,
    accountId: api.accountId,
    apiId: api.apiId,
    stage: api.stageName,
    domainName: '127.0.0.1',
    requestId,
    extendedRequestId: extendedRequestId(requestId),
    requestTimeEpoch: Date.now(),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    authorizer: { principalId: client.userId, userId: client.userId, integrationLatency: 0 },
    body: null,
  });
  const direct = async () => {
    const result = await runtime.lambda.invoke(fn.id, event);
    if (result.kind !== 'ok' || (result.payload as { statusCode?: number }).statusCode !== 200) throw new Error(`direct invoke: ${JSON.stringify(result)}`);
  };
  // The HTTP hop alone: a bare node:http server in this process invoking the same function.
  const plain = createServer((req, res) => {
    req.resume();
    void runtime.lambda.invoke(fn.id, event).then((result) => {
      const payload = result.kind === 'ok' ? (result.payload as { statusCode: number; body: string }) : { statusCode: 502, body: '' };
      res.writeHead(payload.statusCode, { 'content-type': 'application/json' }).end(payload.body);
    });
  });
  await new Promise<void>((resolveListen) => plain.listen(0, '127.0.0.1', () => resolveListen()));
  const plainOrigin = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const viaPlainHttp = () =>
    new Promise<void>((resolveCall, rejectCall) => {
      const req = request(`${plainOrigin}/loc/${client.userId}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolveCall() : rejectCall(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', rejectCall);
      req.end();
    });
  const latency = await interleaved({ direct, plainHttp: viaPlainHttp, gateway: viaGateway });
  agent.destroy();
  plain.close();
  const us = (value: number) => `${(value / 1000).toFixed(2)} ms`;
  console.log(`## The gateway’s added latency (get-location, warm, one call every ${LATENCY_INTERVAL_MS} ms, the three paths in turn)`);
  console.log('');
  console.log('| path | p50 | p99 |');
  console.log('|---|---|---|');
  console.log(`| LambdaService.invoke() with the gateway's event | ${us(latency.direct.p50)} | ${us(latency.direct.p99)} |`);
  console.log(`| HTTP to a bare node:http server that makes that invoke | ${us(latency.plainHttp.p50)} | ${us(latency.plainHttp.p99)} |`);
  console.log(`| HTTP through the runtime (routing, throttle buckets, cached authorizer, event, response) | ${us(latency.gateway.p50)} | ${us(latency.gateway.p99)} |`);
  console.log(`| added by the gateway over a direct invoke (HTTP hop included) | ${us(latency.gateway.p50 - latency.direct.p50)} | ${us(latency.gateway.p99 - latency.direct.p99)} |`);
  console.log(`| added by the gateway's own work (over the bare HTTP server) | ${us(latency.gateway.p50 - latency.plainHttp.p50)} | ${us(latency.gateway.p99 - latency.plainHttp.p99)} |`);
  console.log(`(${LATENCY_SAMPLES} calls each, client in this process; load average ${load()})`);
  console.log('');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
