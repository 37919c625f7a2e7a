import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { FunctionSamples, WorkerReply, WorkerRequest } from './invoke-worker';

const WORKER_TIMEOUT_MS = 10 * 60_000;

/**
 * Times warm invocations of one service's bundles, and `firstCalls` cold starts of each (fresh
 * process: import, first invocation), in a child process (see invoke-worker.ts) against its own
 * dynalite. Resolves with samples per function; a failed worker resolves with the same error for
 * every function instead of aborting the whole benchmark.
 */
export const measureInvocations = (
  root: string,
  service: string,
  bundles: Readonly<Record<string, string>>,
  firstCalls: number,
): Promise<Record<string, FunctionSamples>> =>
  new Promise((resolve) => {
    const failAll = (error: string) => resolve(Object.fromEntries(Object.keys(bundles).map((name) => [name, { samples: [], error }])));
    const child = fork(join(__dirname, 'invoke-worker.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tools', 'bench', 'tsconfig.json') },
      // The services' JSON logs and EMF metrics go to the worker's stdout: not into the report.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
    let replied = false;
    child.on('message', (reply: WorkerReply) => {
      replied = true;
      clearTimeout(timer);
      if (reply.ok) resolve(reply.results);
      else failAll(reply.error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!replied) failAll(`worker exited (${signal ?? code}) without a result: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    });
    const request: WorkerRequest = { root, service, bundles, firstCalls };
    child.send(request);
  });
