import { spawnSync } from 'node:child_process';

/** A command that exited with a non-zero status (or could not start): the step must fail. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly outcome: string,
    cause?: unknown,
  ) {
    super(`command failed (${outcome}): ${command}`, { cause });
    this.name = 'CommandFailedError';
  }
}

/** How the release tool runs a command; injectable so the planning logic can be unit-tested. */
export type Exec = (
  command: string,
  args: readonly string[],
  options?: { capture?: boolean },
) => string;

/**
 * Runs a command to completion in the workspace. Its output streams to this process's (stderr for
 * stdout too, so a caller's stdout carries only what it prints itself), or is returned with
 * `capture`. Any non-zero exit throws: there is no way to ignore a failure here.
 */
export function execInWorkspace(cwd: string): Exec {
  return (command, args, options = {}) => {
    const rendered = [command, ...args].join(' ');
    const result = spawnSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', options.capture ? 'pipe' : 2, 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw new CommandFailedError(rendered, 'did not run', result.error);
    if (result.signal) throw new CommandFailedError(rendered, `killed by ${result.signal}`);
    if (result.status !== 0) throw new CommandFailedError(rendered, `exit ${result.status}`);
    return options.capture ? result.stdout : '';
  };
}
