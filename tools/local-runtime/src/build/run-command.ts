import { spawn } from 'node:child_process';

export interface CommandRun {
  /** The exit code; `null` when a signal ended the process. */
  code: number | null;
  /** stdout and stderr together, in the order they arrived. */
  output: string;
}

/**
 * Runs a command to its end, collecting stdout and stderr together; rejects only when it cannot be
 * started. `shell`: `command` is one command line for the shell (a project's own `generate` command).
 */
export function runCommand(
  command: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; shell?: boolean },
): Promise<CommandRun> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: options.cwd,
      env: options.env,
      shell: options.shell ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', rejectRun);
    child.on('close', (code) => resolveRun({ code, output }));
  });
}
