/**
 * `npm run bench:local -- --system`: figures of the real system on the local runtime — time to
 * ready, each function's cold start (Lambda's `Init Duration`), and p50/p99 of `GET /loc/{userId}`
 * at a steady 50 requests/s (loadtest, open model).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleBody } from '../fixtures/contract-examples';
import { synthSystem } from '../fixtures/system-assembly';
import { startRuntime } from '../src';

type LoadTestFn = (options: Record<string, unknown>) => Promise<{ totalRequests: number; totalErrors: number; percentiles: Record<string, number | false> }>;

const SECONDS = process.argv.includes('--quick') ? 3 : 10;

async function main(): Promise<void> {
  const { loadTest } = (await import('loadtest')) as unknown as { loadTest: LoadTestFn };
  const assemblyDir = synthSystem();
  const stateDir = mkdtempSync(join(tmpdir(), 'local-runtime-system-bench-'));
  const started = performance.now();
  const runtime = await startRuntime({ assemblyDir, port: 0, stateDir, quiet: true, log: () => undefined });
  const readyMs = performance.now() - started;
  try {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
      fetch(`${runtime.origin}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const user: Record<string, unknown> = { ...exampleBody('createUser'), username: `bench_${Date.now().toString(36)}` };
    const { userId } = (await (await post('/users', user)).json()) as { userId: string };
    const { token } = (await (await post('/tokens', { username: user.username, password: user['password'] })).json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    // One call per function: every first call is a cold start.
    await post(`/profile/${userId}`, exampleBody('putProfile'), auth, 'PUT');
    await post(`/loc/${userId}`, exampleBody('putLocation'), auth, 'PUT');
    await fetch(`${runtime.origin}/loc/${userId}/history`, { headers: auth });
    await fetch(`${runtime.origin}/profile/${userId}`, { headers: auth });
    await fetch(`${runtime.origin}/loc/${userId}`, { headers: auth });

    const result = await loadTest({
      url: `${runtime.origin}/loc/${userId}`,
      headers: auth,
      requestsPerSecond: 50,
      maxSeconds: SECONDS,
      concurrency: 1,
      agentKeepAlive: true,
      quiet: true,
    });
    await fetch(`${runtime.origin}/tokens/current`, { method: 'DELETE', headers: auth });
    await runtime.close();

    console.log(`Real system (${runtime.system.functions.length} functions, ${runtime.routes.length} routes): startRuntime ready in ${(readyMs / 1000).toFixed(2)} s (assembly already synthesized)`);
    console.log('');
    console.log('| function (log group) | cold start: Init Duration ms | first invocation ms |');
    console.log('|---|---|---|');
    const logsDir = join(stateDir, '.local', 'logs');
    for (const file of readdirSync(logsDir).sort()) {
      const first = readFileSync(join(logsDir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { message: string }).message)
        .find((message) => message.startsWith('REPORT') && message.includes('Init Duration'));
      if (!first) continue;
      const init = /Init Duration: ([\d.]+) ms/.exec(first)?.[1];
      const duration = /\tDuration: ([\d.]+) ms/.exec(first)?.[1];
      console.log(`| ${file.replace(/\.jsonl$/, '')} | ${init} | ${duration} |`);
    }
    console.log('');
    console.log(
      `GET /loc/{userId} at a steady 50 requests/s for ${SECONDS} s: ${result.totalRequests} requests, ${result.totalErrors} errors, p50 ${result.percentiles['50']} ms, p99 ${result.percentiles['99']} ms`,
    );
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
