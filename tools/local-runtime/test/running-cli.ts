/**
 * `npm start` in its own process, as a developer runs it, for tests and benchmarks that watch its
 * output: started in a workspace, ready when the banner is out, with a way to wait for a line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = resolve(__dirname, '../src/cli.ts');
// tsx's loader by absolute URL: the CLI may run in a scratch copy of the workspace.
const TSX = pathToFileURL(resolve(__dirname, '../../../node_modules/tsx/dist/loader.mjs')).href;

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  origin: string;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first line printed after `from` (an output offset) that matches. */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  stop(): Promise<number | null>;
}

export function startCli(
  cwd: string,
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<RunningCli> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { ...process.env, CI: '' },
  });
  const exited = new Promise<number | null>((resolveExit) =>
    child.on('exit', (code) => resolveExit(code)),
  );
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const waitFor = (pattern: RegExp, { from = 0, timeoutMs = 60_000 } = {}): Promise<string> =>
    new Promise((resolveWait, rejectWait) => {
      const check = () => {
        const line = output
          .slice(from)
          .split('\n')
          .find((candidate) => pattern.test(candidate));
        if (line === undefined) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolveWait(line);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        rejectWait(
          new Error(
            `no line matching ${pattern} within ${timeoutMs} ms; output since:\n${output.slice(from)}`,
          ),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  const exitedEarly = exited.then((code) => {
    throw new Error(`the CLI exited with ${code} before it was ready:\n${output}`);
  });
  return Promise.race([
    waitFor(/^Ctrl-C stops cleanly\.$/, { timeoutMs: options.timeoutMs ?? 120_000 }),
    exitedEarly,
  ])
    .then(() => {
      const origin = /docs {2}(http:\/\/127\.0\.0\.1:\d+)\/docs/.exec(output)?.[1];
      if (!origin) throw new Error(`no docs URL in the banner:\n${output}`);
      return {
        child,
        origin,
        output: () => output,
        waitFor,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      };
    })
    .catch(async (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
}
