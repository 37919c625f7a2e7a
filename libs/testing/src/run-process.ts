import { spawn } from 'node:child_process';

export interface ProcessRun {
  /** The exit code; `null` when a signal ended it (the timeout's SIGKILL included). */
  code: number | null;
  /** stdout and stderr interleaved as they arrived, as a user at a terminal would read them. */
  output: string;
}

export interface RunProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed with SIGKILL after this long, so a hung command fails its test instead of stalling it. */
  timeoutMs: number;
}

/** Runs a command to its end, as a user would from a shell, and resolves with what it printed. */
export function runProcess(
  command: string,
  args: readonly string[],
  { cwd, env, timeoutMs }: RunProcessOptions,
): Promise<ProcessRun> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      rejectRun(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}
