/**
 * Runs `tsx <file>.ts <args>` commands (the contracts' generate targets) in a worker thread that
 * keeps their modules loaded: the first run costs what a new process costs, later ones only the
 * work itself (the generator's dependencies take seconds to load). The script must export
 * `main(args)` returning its exit code and must not call `process.exit`; anything else is run as
 * a command. A change to the scripts' own sources needs a fresh worker: `restart()`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const TSX_SCRIPT = /^(?:npx\s+)?tsx\s+(\S+\.ts)((?:\s+[^\s;&|<>$`]+)*)$/;

/** `{ file, args }` when the command runs a TypeScript file with tsx, else undefined. */
export function tsxScript(command: string): { file: string; args: string[] } | undefined {
  const match = TSX_SCRIPT.exec(command.trim());
  if (!match) return undefined;
  return { file: match[1] as string, args: (match[2] ?? '').trim().split(/\s+/).filter(Boolean) };
}

interface Pending {
  resolve: (result: { code: number; output: string }) => void;
  reject: (error: Error) => void;
}

export class ScriptRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly workspaceRoot: string) {}

  /** The last run queued: runs go one at a time (each captures the worker's console). */
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `main(args)` of a workspace file; its exit code and console output. */
  run(file: string, args: string[]): Promise<{ code: number; output: string }> {
    const run = this.tail.then(
      () =>
        new Promise<{ code: number; output: string }>((resolve, reject) => {
          const worker = this.start();
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          worker.postMessage({ id, file: join(this.workspaceRoot, file), args });
        }),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Drops the worker (and its loaded modules): the next run starts a fresh one. */
  async restart(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const loader = pathToFileURL(
      join(this.workspaceRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs'),
    ).href;
    const worker = new Worker(join(__dirname, 'script-thread.cjs'), {
      execArgv: ['--import', loader],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(this.workspaceRoot, 'tsconfig.base.json') },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    // Output outside console calls is not wanted, but must not pile up.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on(
      'message',
      (message: { id: number; code?: number; error?: string; output: string }) => {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.error !== undefined)
          waiting.reject(new Error(`${message.error}\n${message.output}`));
        else waiting.resolve({ code: message.code ?? 0, output: message.output });
      },
    );
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the script worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }
}
