import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs inside a brand-new Node process, as a Lambda cold start does: times the require() of the
// bundle, then its first invocation. The result goes to file descriptor 3, so the function's own
// logs (stdout) never mix with it. The context's deadline starts when the invocation does.
const PROBE = [
  "const fs = require('node:fs');",
  "const { performance } = require('node:perf_hooks');",
  "const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));",
  'const report = (outcome, times) => { fs.writeSync(3, JSON.stringify({ ...outcome, ...times })); process.exit(0); };',
  'const start = performance.now();',
  'const { handler } = require(process.argv[1]);',
  'const imported = performance.now();',
  'const deadline = Date.now() + input.timeoutMs;',
  'const context = { ...input.context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), done() {}, fail() {}, succeed() {} };',
  'Promise.resolve()',
  '  .then(() => handler(input.event, context))',
  '  .then(',
  '    (result) => ({ result }),',
  '    (error) => ({ error: String((error && error.stack) || error).split("\\n").slice(0, 3).join(" | ") }),',
  '  )',
  '  .then((outcome) => { const done = performance.now(); report(outcome, { importMs: imported - start, firstCallMs: done - imported }); });',
].join('\n');

/** One cold start: the import and the first invocation, in one fresh process. */
export interface FirstCallSample {
  /** Wall-clock milliseconds of `require(bundle)`. */
  readonly importMs: number;
  /** Wall-clock milliseconds of the first `handler(event, context)`, until its promise settles. */
  readonly firstCallMs: number;
  /** What the handler returned (checked by the scenario), or why it threw. */
  readonly result?: unknown;
  readonly error?: string;
}

export interface FirstCallInput {
  readonly bundlePath: string;
  readonly event: unknown;
  /** The Lambda context's data fields; the probe adds `getRemainingTimeInMillis` and friends. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  /** The function's environment (tables, endpoint, credentials, Powertools settings). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Starts a fresh Node process that imports the bundle and invokes its handler once. Asynchronous
 * on purpose: the caller's process serves dynalite and stubs the function talks to.
 */
export const firstCallOnce = (input: FirstCallInput): Promise<FirstCallSample> => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-first-call-'));
  const inputPath = join(dir, 'input.json');
  writeFileSync(
    inputPath,
    JSON.stringify({ event: input.event, context: input.context, timeoutMs: input.timeoutMs }),
  );
  return new Promise<FirstCallSample>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PROBE, input.bundlePath, inputPath], {
      env: input.env,
      // The function's logs and metrics (stdout) are discarded, as in the warm runs.
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      timeout: input.timeoutMs + 30_000,
    });
    let stderr = '';
    let report = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      report += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      try {
        resolve(JSON.parse(report) as FirstCallSample);
      } catch {
        // Node prints the uncaught error's first line among the stack trace: that says why.
        const lines = stderr.trim().split('\n');
        const why = lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.slice(-3).join(' | ');
        reject(
          new Error(
            `first call of ${input.bundlePath} gave no result (${signal ?? `exit ${code}`}): ${why}`,
          ),
        );
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
};

/**
 * The environment a fresh function process gets: the worker's (tables, dynalite endpoint, local
 * credentials, stubs' URLs) without what would change how the bundle loads or runs. Tracing stays
 * off (no `AWS_EXECUTION_ENV`), as in the import measurement.
 */
export const functionEnvironment = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const {
    NODE_OPTIONS: _nodeOptions,
    TSX_TSCONFIG_PATH: _tsconfig,
    AWS_EXECUTION_ENV: _executionEnv,
    _X_AMZN_TRACE_ID: _traceId,
    JEST_WORKER_ID: _jest,
    ...rest
  } = env;
  return rest;
};
