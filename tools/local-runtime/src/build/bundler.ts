/**
 * Builds the bundles of a {@link BundleProject} plan with esbuild, as `nx run <project>:build` would
 * (the output directory emptied, the bundles and source maps, `meta.json`, the copied assets), and
 * rebuilds them incrementally for watch mode: one esbuild context per project, kept from the first
 * build, so a change rebuilds only the projects whose bundles read the changed file and only files
 * whose bytes changed are written. Both paths write the same bytes as the Nx executor.
 */
import {
  context,
  type BuildContext,
  type BuildOptions,
  type Message,
  type Metafile,
} from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { AssetSpec, BundleProject } from './bundle-plan';

/** A build that failed: esbuild's messages, each with file, line and column. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(readonly messages: string[]) {
    super(messages.join('\n'));
  }
}

export interface RebuildResult {
  /** Entries rebuilt (their inputs included a changed file), as `target#entry`. */
  rebuilt: string[];
  /** Output files (workspace-relative) whose bytes changed, copied assets included. */
  changed: string[];
}

/** `file:line:column: text` for each esbuild message. */
function describe(messages: Message[]): string[] {
  return messages.map((message) => {
    const where = message.location
      ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
      : '';
    return `${where}${message.text}`;
  });
}

/** Matches a relative path against `*`, `**` and `?` globs (what the assets option uses). */
function globMatcher(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  } catch {
    return [];
  }
}

/** The files an asset spec copies: `[from, to]`, both workspace-relative. */
function assetFiles(
  root: string,
  project: BundleProject,
  asset: AssetSpec,
): Array<[string, string]> {
  const matcher = globMatcher(asset.glob);
  return listFiles(join(root, asset.input))
    .filter((file) => matcher.test(file))
    .map((file) => [
      `${asset.input}/${file}`,
      join(project.outputPath, asset.output, file).split(sep).join('/'),
    ]);
}

/** Writes `bytes` to `file` unless it already holds them; true when written. */
function writeIfChanged(file: string, bytes: Uint8Array): boolean {
  try {
    if (Buffer.from(bytes).equals(readFileSync(file))) return false;
  } catch {
    // Not there yet.
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return true;
}

/** The executor writes meta.json with Nx's writeJsonFile: two-space JSON, no final newline. */
function metaJson(metafile: Metafile): string {
  return JSON.stringify(metafile, null, 2);
}

/**
 * The bundles of a plan. `buildAll` builds everything from scratch, one esbuild build per project
 * as the executor does (what `npm start` does when an input changed). `rebuild` rebuilds what a
 * set of changed files reaches (what watch mode does): with one esbuild context per entry once
 * `warmEntries` has made them (a handler change then re-links one bundle, not its project's
 * three or four: about half the time), with the project's context until then.
 */
export class Bundles {
  private readonly projectContexts = new Map<string, BundleContext>();
  private readonly entryContexts = new Map<
    string,
    { context: BundleContext; metafile?: Metafile }
  >();
  /** Input file (workspace-relative) → the entries (`target#entry`) whose bundles contain it. */
  private readonly readers = new Map<string, Set<string>>();
  private disposed = false;

  constructor(
    private readonly workspaceRoot: string,
    readonly plan: BundleProject[],
  ) {}

  /** Entries (`target#entry`) whose bundles contain this workspace-relative file. */
  readersOf(file: string): string[] {
    return [...(this.readers.get(file) ?? [])];
  }

  /** Whether every bundle has been built once, so `readersOf` knows every input. */
  inputsKnown(): boolean {
    return this.plan.every((project) =>
      project.entries.every((entry) =>
        [...this.readers.values()].some((set) => set.has(entryKey(project, entry))),
      ),
    );
  }

  /** Every input file of every bundle built so far. */
  inputs(): string[] {
    return [...this.readers.keys()];
  }

  /**
   * Builds every project as the executor would (output directory emptied, bundles, meta.json,
   * assets), dependencies first and independent ones at once. Throws a {@link BundleError}.
   */
  async buildAll(): Promise<void> {
    const done = new Map<string, Promise<void>>();
    const build = (project: BundleProject): Promise<void> => {
      let running = done.get(project.name);
      if (!running) {
        running = Promise.all(
          project.dependsOn.map((name) =>
            build(this.plan.find((p) => p.name === name) as BundleProject),
          ),
        ).then(() => this.buildProject(project));
        done.set(project.name, running);
      }
      return running;
    };
    const results = await Promise.allSettled(this.plan.map(build));
    const failed = results.flatMap((result) =>
      result.status === 'rejected'
        ? result.reason instanceof BundleError
          ? result.reason.messages
          : [String(result.reason)]
        : [],
    );
    if (failed.length > 0) throw new BundleError([...new Set(failed)]);
  }

  /**
   * Makes one esbuild context per entry, one at a time (it runs beside a serving runtime), and
   * drops each project's own context once all its entries have theirs. Stops when disposed.
   */
  async warmEntries(): Promise<void> {
    for (const project of this.plan) {
      for (const entry of project.entries) {
        if (this.disposed) return;
        if (this.entryContexts.has(entryKey(project, entry))) continue;
        try {
          await this.compileEntry(project, entry);
        } catch {
          // A broken source: the entry is warmed by its next successful rebuild.
        }
      }
      if (this.entriesWarm(project)) {
        await this.projectContexts.get(project.name)?.dispose();
        this.projectContexts.delete(project.name);
      }
    }
  }

  /**
   * Rebuilds the bundles containing any of `files` (workspace-relative), writes the outputs whose
   * bytes changed (meta.json included), and copies changed outputs other projects take as assets.
   * Throws a {@link BundleError}: the files on disk then stay as they were.
   */
  async rebuild(files: string[]): Promise<RebuildResult> {
    const affected = new Set(files.flatMap((file) => this.readersOf(file)));
    const projects = this.plan.filter((project) =>
      project.entries.some((entry) => affected.has(entryKey(project, entry))),
    );
    const settled = await Promise.allSettled(
      projects.map((project) =>
        this.entriesWarm(project)
          ? this.compileEntries(
              project,
              project.entries.filter((entry) => affected.has(entryKey(project, entry))),
            )
          : this.compileProject(project),
      ),
    );
    const errors = settled.flatMap((result) =>
      result.status === 'rejected'
        ? result.reason instanceof BundleError
          ? result.reason.messages
          : [String(result.reason)]
        : [],
    );
    if (errors.length > 0) throw new BundleError([...new Set(errors)]);
    const changed: string[] = [];
    for (const project of this.plan) {
      const index = projects.indexOf(project);
      if (index !== -1) {
        const built = (settled[index] as PromiseFulfilledResult<Map<string, Uint8Array>>).value;
        for (const [path, bytes] of built) {
          if (writeIfChanged(join(this.workspaceRoot, path), bytes)) changed.push(path);
        }
      }
      // Assets copied from a project rebuilt above (dependency order: its files are current).
      for (const asset of project.assets) {
        for (const [from, to] of assetFiles(this.workspaceRoot, project, asset)) {
          if (!changed.includes(from)) continue;
          const bytes = readFileSync(join(this.workspaceRoot, from));
          if (writeIfChanged(join(this.workspaceRoot, to), bytes)) changed.push(to);
        }
      }
    }
    return { rebuilt: [...affected].sort(), changed };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const contexts = [
      ...this.projectContexts.values(),
      ...[...this.entryContexts.values()].map((e) => e.context),
    ];
    this.projectContexts.clear();
    this.entryContexts.clear();
    await Promise.all(contexts.map((context) => context.dispose()));
  }

  private entriesWarm(project: BundleProject): boolean {
    return project.entries.every(
      (entry) => this.entryContexts.get(entryKey(project, entry))?.metafile,
    );
  }

  private async buildProject(project: BundleProject): Promise<void> {
    const root = this.workspaceRoot;
    const built = await this.compileProject(project);
    if (project.deleteOutputPath)
      rmSync(join(root, project.outputPath), { recursive: true, force: true });
    for (const [path, bytes] of built) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    for (const asset of project.assets) {
      for (const [from, to] of assetFiles(root, project, asset)) {
        mkdirSync(dirname(join(root, to)), { recursive: true });
        copyFileSync(join(root, from), join(root, to));
      }
    }
  }

  /** Builds (or rebuilds) a whole project in memory, as one build of all its entries. */
  private async compileProject(project: BundleProject): Promise<Map<string, Uint8Array>> {
    let built = this.projectContexts.get(project.name);
    if (!built) {
      built = await this.createContext(project, project.entries, project.output);
      this.projectContexts.set(project.name, built);
    }
    const { metafile, files } = await this.run(built, project, project.entries);
    if (project.metafile)
      files.set(`${project.outputPath}/meta.json`, Buffer.from(metaJson(metafile)));
    return files;
  }

  /** Rebuilds some entries of a project whose entries all have contexts; meta.json from all of them. */
  private async compileEntries(
    project: BundleProject,
    entries: string[],
  ): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    const built = await Promise.all(entries.map((entry) => this.compileEntry(project, entry)));
    for (const outputs of built) for (const [path, bytes] of outputs) files.set(path, bytes);
    if (project.metafile) {
      // One build of all entries writes their metafiles merged in entry order: the same JSON.
      const merged: Metafile = { inputs: {}, outputs: {} };
      for (const entry of project.entries) {
        const metafile = this.entryContexts.get(entryKey(project, entry))?.metafile as Metafile;
        Object.assign(merged.inputs, metafile.inputs);
        Object.assign(merged.outputs, metafile.outputs);
      }
      files.set(`${project.outputPath}/meta.json`, Buffer.from(metaJson(merged)));
    }
    return files;
  }

  private async compileEntry(
    project: BundleProject,
    entry: string,
  ): Promise<Map<string, Uint8Array>> {
    const id = entryKey(project, entry);
    let state = this.entryContexts.get(id);
    if (!state) {
      // With the project's outbase: a single entry's default would be its own directory.
      state = { context: await this.createContext(project, [entry], project.output) };
      this.entryContexts.set(id, state);
    }
    const { metafile, files } = await this.run(state.context, project, [entry]);
    state.metafile = metafile;
    return files;
  }

  private createContext(
    project: BundleProject,
    entries: string[],
    output: BundleProject['output'],
  ): Promise<BundleContext> {
    return context({
      ...project.esbuild,
      ...output,
      entryPoints: entries,
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
  }

  /** Rebuilds a context: its metafile and output files (workspace-relative); records who reads what. */
  private async run(
    built: BundleContext,
    project: BundleProject,
    entries: string[],
  ): Promise<{ metafile: Metafile; files: Map<string, Uint8Array> }> {
    let result;
    try {
      result = await built.rebuild();
    } catch (error) {
      const failure = error as { errors?: Message[] };
      throw new BundleError(failure.errors ? describe(failure.errors) : [String(error)]);
    }
    for (const readers of this.readers.values()) {
      for (const entry of entries) readers.delete(entryKey(project, entry));
    }
    for (const output of Object.values(result.metafile.outputs)) {
      if (!output.entryPoint) continue;
      for (const input of Object.keys(output.inputs)) {
        let readers = this.readers.get(input);
        if (!readers) this.readers.set(input, (readers = new Set()));
        readers.add(entryKey(project, output.entryPoint));
      }
    }
    const files = new Map<string, Uint8Array>(
      result.outputFiles.map((file) => [
        relative(this.workspaceRoot, file.path).split(sep).join('/'),
        file.contents,
      ]),
    );
    return { metafile: result.metafile, files };
  }
}

type BundleContext = BuildContext<BuildOptions & { write: false; metafile: true }>;

/** `location#apps/location/src/handlers/get-location.ts`: a plan target's entry. */
function entryKey(project: BundleProject, entry: string): string {
  return `${project.name}#${entry}`;
}
