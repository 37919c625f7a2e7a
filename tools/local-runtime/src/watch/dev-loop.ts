/**
 * Watch mode (`npm start -- --watch`): the edit → answer loop while the runtime keeps serving.
 *
 * - A change to code in a bundle (apps/, libs/, generated contract code): the bundles that import
 *   it are rebuilt, and each function whose bundle changed runs the new code from its next cold
 *   start (`RunningRuntime.updateFunctionCode`: calls in flight finish on the old code). A few
 *   seconds later, when no other change came, cdk.out is re-synthesized in the background so it
 *   matches the sources again; the functions keep their warm environments (same bytes).
 * - A change to a contract: its code is regenerated, the bundles using it rebuilt, the CDK app
 *   re-synthesized, and the new assembly swapped in (`RunningRuntime.reload`): routes, models,
 *   authorizers, limits, tables. A change to anything the CDK app reads (stacks, limits, cdk.json):
 *   re-synthesized and swapped in the same way.
 * - A change that does not compile, generate or synthesize: the running system stays as it was,
 *   the error is printed once with its file and line, and the next good save goes through.
 *
 * One console line per reload: what changed, what was rebuilt, how long it took.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defaultLabel, type FunctionSpec } from '../lambda';
import { describeReload } from '../reload';
import type { RunningRuntime } from '../runtime';
import { inputsFingerprint, writeStamp } from '../freshness';
import { publishAssembly } from '../build/assembly-files';
import { keepPreviousAssembly } from '../build/previous-assembly';
import { BundleError } from '../build/bundler';
import {
  contractsReading,
  generate,
  GenerateError,
  type ContractProject,
} from '../build/contracts';
import { ScriptRunner, tsxScript } from '../build/script-runner';
import { countStacks, generationHashes, stampFile, type DevWorkspace } from '../build/prepare';
import type { Progress } from '../build/progress';
import { SynthError, stateDir } from '../build/synth';
import { FileWatcher } from './file-watcher';

export interface DevLoopOptions {
  workspace: DevWorkspace;
  runtime: RunningRuntime;
  /** The assembly `npm start` keeps current (`cdk.out`). */
  assemblyDir: string;
  progress: Progress;
  /** Where rebuilt functions' code is staged. */
  codeDir: string;
  /**
   * Where the assembly a re-synthesis replaces is kept, as the previous build for `--canary`
   * (`.local/assemblies/previous`, as the start's build keeps it); undefined: not kept.
   */
  keepPreviousIn?: string;
  /** Quiet time after a code-only reload before cdk.out is re-synthesized. @default 3000 */
  catchUpAfterMs?: number;
  /** Told after each reload (tests and the benchmark wait on it). */
  onReload?: (event: ReloadEvent) => void;
}

export interface ReloadEvent {
  ok: boolean;
  /** The changed files that started it (empty for the background catch-up). */
  files: string[];
  /** The console line. */
  line: string;
  ms: number;
  /** Functions now running new code (code swaps and reloads). */
  functions: string[];
  resynthesized: boolean;
}

/** Files at the root whose change means the CDK app must run again. */
const APP_CONFIG = ['cdk.json', 'cdk.context.json'];
/** Files at the root whose change the loop cannot apply: a restart is needed. */
const RESTART = ['package.json', 'package-lock.json', 'tsconfig.base.json', 'nx.json'];

export class DevLoop {
  private readonly watcher: FileWatcher;
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  /** Resolves once every bundle's inputs are known (after the first build or the warm-up). */
  private readonly ready: Promise<void>;
  private catchUp: NodeJS.Timeout | undefined;
  private catchUpDue = false;
  /** cdk.out lags behind the running code (a code-only reload since the last synthesis). */
  private assemblyStale = false;
  private lastError: string | undefined;
  /** Content hash of each file as last reloaded: a save that changes nothing is not a change. */
  private readonly handled = new Map<string, string | undefined>();
  private assemblies = 0;
  private codeVersions = 0;
  private closed = false;
  /** Each function's code directories staged by `swapCode`, oldest first. */
  private readonly staged = new Map<string, string[]>();
  /** Runs the contracts' generators with their modules kept loaded. */
  private readonly scripts: ScriptRunner;

  constructor(private readonly options: DevLoopOptions) {
    const { workspace } = options;
    this.scripts = new ScriptRunner(workspace.root);
    this.ready = this.warmUp();
    this.watcher = new FileWatcher({
      root: workspace.root,
      // tools/: the contract generator, and whatever else the CDK app imports (the release steps).
      dirs: ['apps', 'libs', 'contracts', 'tools'],
      files: [...APP_CONFIG, ...RESTART],
      onChanges: (files) => this.changed(files),
    });
  }

  /** Stops watching and waits for a reload under way. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.catchUp);
    this.watcher.close();
    await this.running;
    await this.scripts.restart();
  }

  /**
   * Removes the code and assemblies it staged (the next start runs `cdk.out`, published from the
   * last of them). Only once the runtime has stopped: its functions may run from them until then.
   */
  removeStaged(): void {
    rmSync(this.options.codeDir, { recursive: true, force: true });
    const assemblies = join(stateDir(this.options.workspace.root), 'assemblies');
    for (let n = 1; n <= this.assemblies; n++) {
      rmSync(join(assemblies, `${process.pid}-${n}`), { recursive: true, force: true });
    }
  }

  /** Resolves when the loop has nothing to do (no reload running or queued). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Resolves once a change can be placed: the CDK app's inputs known (bundling it takes ~0.2 s) and
   * every bundle's inputs (known after a build; else after the warm-up). The warm-up, one esbuild
   * context per bundle made one after another, goes on in the background otherwise.
   */
  private async warmUp(): Promise<void> {
    const { bundles, app } = this.options.workspace;
    const started = performance.now();
    await app.prepare().catch(() => undefined);
    const entries = bundles?.warmEntries() ?? Promise.resolve();
    void entries
      .then(() => this.primeGenerator())
      .then(() => {
        if (this.closed) return;
        const count = bundles?.plan.reduce((sum, project) => sum + project.entries.length, 0) ?? 0;
        this.options.progress.phase(
          'watch',
          `warm: ${count} incremental bundles, contract generator, synthesis process`,
          performance.now() - started,
        );
      });
    if (bundles && !bundles.inputsKnown()) await entries;
  }

  /**
   * Loads a contract generator's modules in the script worker (a dry run: `--check` writes
   * nothing), so the first contract save does not wait seconds for them.
   */
  private async primeGenerator(): Promise<void> {
    const script = this.options.workspace.contracts
      .map((contract) => tsxScript(contract.command))
      .find(Boolean);
    if (!script || this.closed) return;
    await this.scripts.run(script.file, [...script.args, '--check']).catch(() => undefined);
    // And a process for the next synthesis, its packages loaded.
    if (!this.closed) await this.options.workspace.app.warm();
  }

  private changed(files: string[]): void {
    if (this.closed) return;
    for (const file of files) this.pending.add(file);
    clearTimeout(this.catchUp);
    this.catchUpDue = false;
    this.kick();
  }

  /** Makes sure one drain runs; after it, another if changes came in, else a catch-up is scheduled. */
  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.closed) return;
      if (this.pending.size > 0 || this.catchUpDue) this.kick();
      else if (this.assemblyStale) {
        this.catchUp = setTimeout(() => {
          this.catchUpDue = true;
          this.kick();
        }, this.options.catchUpAfterMs ?? 3000).unref();
      }
    });
  }

  /** Reloads one batch of changes after another, one at a time; then the catch-up, if due. */
  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.closed) {
      const root = this.options.workspace.root;
      // Files the loop wrote itself (generated code) or saved again unchanged are no change.
      const batch = [...this.pending].filter(
        (file) => this.handled.get(file) !== hashOf(join(root, file)),
      );
      this.pending.clear();
      if (batch.length > 0) await this.process(batch, false);
    }
    if (this.catchUpDue && this.assemblyStale && !this.closed) {
      this.catchUpDue = false;
      await this.process([], true);
    }
    this.catchUpDue = false;
  }

  /** One reload: `files` changed (none: the background catch-up of cdk.out). */
  private async process(files: string[], catchUp: boolean): Promise<void> {
    const { workspace, progress } = this.options;
    const started = performance.now();
    for (const file of files) this.handled.set(file, hashOf(join(workspace.root, file)));
    let stepStarted = started;
    /** Milliseconds since the last step ended. */
    const step = () => {
      const now = performance.now();
      const ms = now - stepStarted;
      stepStarted = now;
      return ms;
    };
    const what = catchUp ? 'cdk.out caught up with the sources' : describeFiles(files);
    const done: string[] = [];
    const functions: string[] = [];
    let resynthesized = false;
    try {
      const restart = files.filter((file) => RESTART.includes(file));
      if (restart.length > 0) {
        progress.warn(`${restart.join(', ')} changed: stop and run npm start again to apply it`);
      }
      // Until the warm-up knows every bundle's inputs, a change cannot be placed.
      await this.ready;
      step();

      // 1. Contracts: regenerate; the generated files then count as changed code and infrastructure.
      const contracts = contractsReading(workspace.contracts, files);
      let generated: string[] = [];
      if (contracts.length > 0) {
        const before = snapshot(
          workspace.root,
          contracts.flatMap((contract) => contract.outputs),
        );
        await this.regenerate(contracts, files);
        const after = snapshot(
          workspace.root,
          contracts.flatMap((contract) => contract.outputs),
        );
        generated = [...after.keys()].filter((file) => before.get(file) !== after.get(file));
        for (const [file, hash] of after) this.handled.set(file, hash);
        done.push(
          `regenerated ${contracts.map((contract) => contract.name).join(', ')} (${secs(step())})`,
        );
      }
      const changed = [...files, ...generated];

      // 2. Bundles that read a changed file.
      let outputs: string[] = [];
      if (workspace.bundles && changed.some((file) => workspace.bundles?.readersOf(file).length)) {
        const rebuilt = await workspace.bundles.rebuild(changed);
        outputs = rebuilt.changed;
        done.push(`rebuilt ${rebuilt.rebuilt.map(shortEntry).join(', ')} (${secs(step())})`);
      }

      // 3. The CDK app, when it reads a changed file, or to catch cdk.out up.
      const appInputs = new Set(workspace.app.inputs());
      const infra =
        catchUp || changed.some((file) => appInputs.has(file) || APP_CONFIG.includes(file));
      if (infra) {
        const summary = await this.resynthesize(done);
        functions.push(...summary.functions.updated, ...summary.functions.added);
        resynthesized = true;
      } else if (outputs.length > 0) {
        const swapped = this.swapCode(outputs);
        functions.push(...swapped);
        if (swapped.length > 0) {
          done.push(
            `${swapped.length} function${swapped.length === 1 ? '' : 's'} updated (${swapped.map((id) => this.label(id)).join(', ')})`,
          );
          this.markAssemblyStale();
        } else {
          done.push('no function runs a changed bundle');
        }
      }
      if (done.length === 0) return; // Nothing reads these files (tests, docs, a new file not imported yet).
      const ms = performance.now() - started;
      const line = `reload: ${what} → ${done.join('; ')}`;
      progress.phase('reload', line.slice('reload: '.length), ms);
      this.lastError = undefined;
      this.options.onReload?.({ ok: true, files, line, ms, functions, resynthesized });
    } catch (error) {
      const ms = performance.now() - started;
      const details = failureDetails(error);
      const key = details.join('\n');
      // Printed once: the same failure again (another save that does not fix it) is one short line.
      if (key === this.lastError)
        progress.fail(
          `reload failed again (same error): ${what}; the running system is unchanged`,
          [],
        );
      else progress.fail(`reload failed: ${what}; the running system is unchanged:`, details);
      this.lastError = key;
      this.options.onReload?.({
        ok: false,
        files,
        line: details[0] ?? String(error),
        ms,
        functions: [],
        resynthesized,
      });
    }
  }

  /**
   * Runs the contracts' generate commands one after another: in the script worker when the command
   * is a tsx script (its modules stay loaded between saves), else as a command. A change to the
   * generator's own sources gets a fresh worker.
   */
  private async regenerate(contracts: ContractProject[], files: string[]): Promise<void> {
    const { root } = this.options.workspace;
    for (const contract of contracts) {
      const script = tsxScript(contract.command);
      if (!script) {
        await generate(root, contract);
        continue;
      }
      const scriptRoot = dirname(dirname(script.file));
      if (files.some((file) => file.startsWith(`${scriptRoot}/`))) await this.scripts.restart();
      const { code, output } = await this.scripts.run(script.file, script.args);
      if (code !== 0) {
        throw new GenerateError(
          `generating ${contract.name} failed (\`${contract.command}\` returned ${code})`,
          output
            .split('\n')
            .filter((line) => line.trim() !== '')
            .slice(-30),
        );
      }
    }
  }

  /** Synthesizes into a new directory, swaps it into the runtime, then publishes it as cdk.out. */
  private async resynthesize(done: string[]) {
    const { workspace, runtime, assemblyDir } = this.options;
    await workspace.app.prepare();
    const appInputs = workspace.app.inputs();
    const fingerprint = inputsFingerprint(workspace.root, appInputs);
    const generated = generationHashes(workspace);
    const staging = join(
      stateDir(workspace.root),
      'assemblies',
      `${process.pid}-${++this.assemblies}`,
    );
    const synthStarted = performance.now();
    let synthMs: number;
    let summary: Awaited<ReturnType<typeof runtime.reload>>;
    try {
      const result = await workspace.app.synth(staging);
      synthMs = performance.now() - synthStarted;
      for (const warning of result.warnings) this.options.progress.warn(warning);
      summary = await runtime.reload(staging);
    } catch (error) {
      // The runtime still runs the previous one: this one is of no use.
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    // What cdk.out held until now becomes the previous build, as after a start's build.
    if (this.options.keepPreviousIn) keepPreviousAssembly(assemblyDir, this.options.keepPreviousIn);
    publishAssembly(staging, assemblyDir);
    // The next synthesis's process loads its packages while the developer reads the answer.
    void workspace.app.warm();
    writeStamp(stampFile(assemblyDir), { fingerprint, generated, appInputs });
    this.assemblyStale = false;
    // The runtime now runs from this one: the previous staging directory is no longer needed.
    const previous = join(
      stateDir(workspace.root),
      'assemblies',
      `${process.pid}-${this.assemblies - 1}`,
    );
    setTimeout(() => rmSync(previous, { recursive: true, force: true }), 10_000).unref();
    done.push(
      `re-synthesized ${countStacks(staging)} stacks (${secs(synthMs)}); ${describeReload(summary)}`,
    );
    return summary;
  }

  /**
   * Runs rebuilt bundles: each function whose code directory holds a file that changed in the
   * build output gets a new directory with the same file names, taken from the build output.
   */
  private swapCode(outputs: string[]): string[] {
    const { runtime, workspace, codeDir } = this.options;
    const changed = new Set(outputs);
    const swapped: string[] = [];
    for (const fn of runtime.system.functions) {
      const source = this.bundleDirOf(fn);
      if (!source) continue;
      const files = readdirSync(fn.codeDir);
      if (!files.some((file) => changed.has(`${source}/${file}`))) continue;
      const dir = join(codeDir, `${fn.functionName}-${++this.codeVersions}`);
      mkdirSync(dir, { recursive: true });
      for (const file of files) {
        // A file the build did not write (a copied asset of a workspace whose dist was cleaned) is
        // taken from the code the function runs now.
        const built = join(workspace.root, source, file);
        copyFileSync(existsSync(built) ? built : join(fn.codeDir, file), join(dir, file));
      }
      if (runtime.updateFunctionCode(fn.id, dir)) swapped.push(fn.id);
      this.forgetOldCode(fn.id, dir);
    }
    return swapped;
  }

  /**
   * Keeps a function's last two staged code directories (an environment of the previous one may
   * still be in INIT) and removes older ones, a little later.
   */
  private forgetOldCode(functionId: string, dir: string): void {
    const dirs = [...(this.staged.get(functionId) ?? []), dir];
    for (const old of dirs.splice(0, Math.max(0, dirs.length - 2))) {
      setTimeout(() => rmSync(old, { recursive: true, force: true }), 10_000).unref();
    }
    this.staged.set(functionId, dirs);
  }

  /**
   * The build output directory (workspace-relative) a function's code was staged from: the bundle
   * project whose output holds the function's handler file, byte for byte as last built.
   */
  private bundleDirOf(fn: FunctionSpec): string | undefined {
    const { bundles, root } = this.options.workspace;
    const file = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`;
    const candidates = (bundles?.plan ?? [])
      .map((project) => project.outputPath)
      .filter((dir) => {
        try {
          readFileSync(join(root, dir, file));
          return true;
        } catch {
          return false;
        }
      });
    if (candidates.length <= 1) return candidates[0];
    // Several services with a bundle of that name: the one whose last build the function runs.
    const running = hashOf(join(fn.codeDir, file));
    return candidates.find((dir) => hashOf(join(root, dir, file)) === running);
  }

  private label(functionId: string): string {
    const fn = this.options.runtime.system.functions.find(
      (candidate) => candidate.id === functionId,
    );
    return fn ? (fn.label ?? defaultLabel(fn)) : functionId;
  }

  /** cdk.out no longer matches the sources: a restart must build again, and a catch-up is due. */
  private markAssemblyStale(): void {
    this.assemblyStale = true;
    try {
      unlinkSync(stampFile(this.options.assemblyDir));
    } catch {
      // Already gone.
    }
  }
}

/** `apps/location/src/handlers/get-location.ts` or `3 files (…)`. */
function describeFiles(files: string[]): string {
  if (files.length <= 2) return files.join(', ');
  return `${files.length} files (${files.slice(0, 2).join(', ')}, …)`;
}

/** `location#apps/location/src/handlers/get-location.ts` → `location/get-location`. */
function shortEntry(entry: string): string {
  const [target, file] = entry.split('#') as [string, string];
  return `${target}/${basename(file).replace(/\.[cm]?tsx?$/, '')}`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function hashOf(file: string): string | undefined {
  try {
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Every file under the directories, with its content hash. */
function snapshot(root: string, dirs: string[]): Map<string, string | undefined> {
  const files = new Map<string, string | undefined>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const name of names) {
      const file = `${dir}/${name.split('\\').join('/')}`;
      const hash = hashOf(join(root, file));
      if (hash) files.set(file, hash);
    }
  }
  return files;
}

function failureDetails(error: unknown): string[] {
  if (error instanceof BundleError) return ['build failed:', ...error.messages];
  if (error instanceof SynthError) return [`synthesis failed: ${error.message}`, ...error.details];
  if (error instanceof GenerateError) return [error.message, ...error.details];
  return [(error as Error).message ?? String(error)];
}
