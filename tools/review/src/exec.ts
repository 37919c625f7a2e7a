import { spawn, spawnSync } from 'node:child_process';

/** The environment every child process of the review gets: no Nx Cloud, no daemon, no telemetry. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NX_NO_CLOUD: 'true',
    NX_DAEMON: 'false',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    // Plain output: it ends up in a Markdown code block, not a terminal.
    FORCE_COLOR: '0',
    NX_TUI: 'false',
    ...extra,
  };
}

export interface Run {
  readonly code: number;
  /** stdout and stderr, interleaved as far as the pipe allows, ANSI codes removed. */
  readonly output: string;
  readonly stdout: string;
  readonly ms: number;
}

/** Runs a command to completion and returns its exit code and output; never throws on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Run {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? childEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 15 * 60_000,
  });
  if (result.error)
    throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`, {
      cause: result.error,
    });
  const stdout = stripAnsi(result.stdout ?? '');
  return {
    code: result.status ?? 1,
    output: stripAnsi(`${result.stdout ?? ''}${result.stderr ?? ''}`),
    stdout,
    ms: Date.now() - started,
  };
}

/** {@link run} without blocking: the review runs its synths and the consumer checks side by side. */
export function runAsync(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 15 * 60_000,
    });
    let stdout = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error) =>
      reject(new Error(`${command} ${args.join(' ')}: ${error.message}`, { cause: error })),
    );
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        output: stripAnsi(output),
        stdout: stripAnsi(stdout),
        ms: Date.now() - started,
      }),
    );
  });
}

/** {@link runAsync}, and a non-zero exit is an error that carries the command's last lines. */
export async function runOrThrowAsync(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  const result = await runAsync(command, args, options);
  if (result.code !== 0) throw failure(command, args, options.cwd, result);
  return result;
}

function failure(command: string, args: readonly string[], cwd: string, result: Run): Error {
  return new Error(
    `\`${[command, ...args].join(' ')}\` failed (exit ${result.code}) in ${cwd}:\n${tail(result.output, 40)}`,
  );
}

/** Like {@link run}, but a non-zero exit is an error that carries the command's last lines. */
export function runOrThrow(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Run {
  const result = run(command, args, options);
  if (result.code !== 0) throw failure(command, args, options.cwd, result);
  return result;
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape character is the point
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** The last `lines` lines of `text`, trimmed. */
export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
