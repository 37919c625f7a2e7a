/**
 * Synthesizes the workspace's CDK app (cdk.json's `app`) into a cloud assembly as `cdk synth` does,
 * without the CDK CLI: the app's TypeScript bundled by esbuild (packages left external, so the
 * same aws-cdk-lib, cdk-nag and constructs load) and run by plain Node with the environment the
 * CLI gives an app (output directory, context, versions, default region). The CLI's own start-up
 * (~1 s of CPU here), npx and tsx's loader go; V8's compile cache (kept under tmp/) makes later
 * syntheses skip compiling aws-cdk-lib. After the app exits, the assembly's error and warning
 * annotations are read as the CLI reads them: errors fail the synthesis, warnings are returned.
 *
 * A cdk.json `app` other than `[npx] tsx [--tsconfig <file>] <entry>.ts` is run through the CDK CLI
 * itself (`cdk synth`), slower but the same result.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { context, type BuildContext, type Message, type Plugin } from 'esbuild';
import { runCommand } from './run-command';

/** The app did not synthesize: its output, or the assembly's error annotations. */
export class SynthError extends Error {
  override readonly name = 'SynthError';
  constructor(
    message: string,
    /** What a developer needs to see: the app's error output, or the annotations. */
    readonly details: string[],
  ) {
    super(message);
  }
}

export interface SynthResult {
  /** Warning annotations (`[Warning at /Prod/SmAuth/…] …`), as the CLI prints them. */
  warnings: string[];
  /** The app's own output (stdout and stderr), for `--verbose`. */
  output: string;
  /** Milliseconds bundling the app took, and running it. */
  bundleMs: number;
  runMs: number;
}

interface CdkJson {
  app?: string;
  output?: string;
  context?: Record<string, unknown>;
}

/** Where the local runtime keeps its build state in a workspace (git-ignored `tmp/`). */
export function stateDir(workspaceRoot: string): string {
  return join(workspaceRoot, 'tmp', 'local-runtime');
}

const TSX_APP = /^(?:npx\s+)?tsx(?:\s+--tsconfig[\s=](\S+))?\s+(\S+\.ts)$/;

/**
 * The workspace's CDK app. `synth(outdir)` may run many times (watch mode): the bundle is rebuilt
 * incrementally, and `inputs()` says which workspace files the app reads (a change to any of them
 * needs a new synthesis).
 */
export class CdkApp {
  private readonly cdkJson: CdkJson;
  private readonly entry: { file: string; tsconfig: string | undefined } | undefined;
  private readonly bundleFile: string;
  private bundler: BuildContext<{ metafile: true }> | undefined;
  /** The bundling in progress: bundles run one after another (start-up warms and prepares at once). */
  private bundling: Promise<void> = Promise.resolve();
  private appInputs: string[] = [];
  /** The packages the app imports (external to its bundle): what a waiting process preloads. */
  private externals: string[] = [];
  /** A process with those packages loaded, waiting for the next synthesis (see `warm`). */
  private standby: Promise<ChildProcess | undefined> | undefined;

  constructor(private readonly workspaceRoot: string) {
    this.cdkJson = JSON.parse(readFileSync(join(workspaceRoot, 'cdk.json'), 'utf8')) as CdkJson;
    const match = TSX_APP.exec((this.cdkJson.app ?? '').trim());
    this.entry = match ? { file: match[2] as string, tsconfig: match[1] } : undefined;
    // Inside the workspace: the app finds the workspace root (nx.json) above its own file.
    this.bundleFile = join(stateDir(workspaceRoot), 'cdk-app', 'app.cjs');
  }

  /** The default output directory (cdk.json `output`). */
  get defaultOutdir(): string {
    return join(this.workspaceRoot, this.cdkJson.output ?? 'cdk.out');
  }

  /** Workspace-relative files the app's code reads, as of the last synthesis (empty through the CLI). */
  inputs(): string[] {
    return this.appInputs;
  }

  /**
   * Synthesizes into `outdir` (emptied first). Throws a {@link SynthError} with what the app printed
   * when it fails, or with the assembly's error annotations.
   */
  async synth(outdir: string): Promise<SynthResult> {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    const started = performance.now();
    let code: number | null;
    let output: string;
    let bundleMs = 0;
    if (this.entry) {
      await this.bundle();
      bundleMs = performance.now() - started;
      const standby = await (this.standby ?? this.spawnStandby());
      this.standby = undefined;
      ({ code, output } = standby
        ? await runStandby(standby, this.bundleFile, this.environment(outdir))
        : { code: 1, output: 'the CDK app process did not start' });
    } else {
      const cdk = join(this.workspaceRoot, 'node_modules', 'aws-cdk', 'bin', 'cdk');
      const command = [
        process.execPath,
        cdk,
        'synth',
        '--quiet',
        '--no-notices',
        '--output',
        outdir,
      ];
      ({ code, output } = await runCommand(command, {
        cwd: this.workspaceRoot,
        env: this.environment(outdir),
      }));
    }
    const runMs = performance.now() - started - bundleMs;
    if (code !== 0) {
      throw new SynthError(
        `the CDK app exited with ${code}`,
        trimStack(output, this.workspaceRoot),
      );
    }
    const { errors, warnings } = readAnnotations(outdir);
    if (errors.length > 0) throw new SynthError(`${errors.length} error annotation(s)`, errors);
    return { warnings, output, bundleMs, runMs };
  }

  /**
   * Bundles the app without running it, so `inputs()` is known before the first synthesis (the
   * start found cdk.out current). Throws a {@link SynthError} when the app does not compile.
   */
  async prepare(): Promise<void> {
    if (this.entry) await this.bundle();
  }

  /**
   * Starts the process of the next synthesis now, so it loads aws-cdk-lib and the app's other
   * packages while other work goes on (the bundles building on a first start; nothing, between
   * saves): about a second of every synthesis. No-op when one is waiting already.
   */
  async warm(): Promise<void> {
    if (!this.entry || this.standby) return;
    await this.bundle().catch(() => undefined);
    this.standby ??= this.spawnStandby();
  }

  async dispose(): Promise<void> {
    const standby = await this.standby;
    this.standby = undefined;
    standby?.kill();
    await this.bundling;
    await this.bundler?.dispose();
    this.bundler = undefined;
  }

  /**
   * A process for the next synthesis (synth-child.cjs): Node with source maps on and V8's compile
   * cache, loading the app's packages, then waiting for a synthesis's environment. Resolves when
   * it is ready, undefined when it could not start.
   */
  private spawnStandby(): Promise<ChildProcess | undefined> {
    const child = fork(join(__dirname, 'synth-child.cjs'), [], {
      cwd: this.workspaceRoot,
      execArgv: ['--enable-source-maps'],
      env: {
        ...process.env,
        NODE_COMPILE_CACHE: join(stateDir(this.workspaceRoot), 'compile-cache'),
        LOCAL_RUNTIME_SYNTH_PRELOAD: JSON.stringify(this.externals),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Its output before a synthesis (a package warning) is not the synthesis's.
    let early = '';
    const collect = (chunk: Buffer) => (early += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return new Promise((resolveReady) => {
      child.once('message', () => {
        child.stdout?.off('data', collect);
        child.stderr?.off('data', collect);
        resolveReady(child);
      });
      child.once('exit', () => resolveReady(undefined));
      child.once('error', () => resolveReady(undefined));
    });
  }

  /**
   * Bundles the app's TypeScript (incrementally after the first time); throws a SynthError. Calls
   * queue behind each other: one esbuild context, each call seeing the files as of its own turn.
   */
  private bundle(): Promise<void> {
    const turn = this.bundling.then(() => this.bundleNow());
    this.bundling = turn.catch(() => undefined);
    return turn;
  }

  private async bundleNow(): Promise<void> {
    const entry = this.entry as { file: string; tsconfig: string | undefined };
    this.bundler ??= await context({
      absWorkingDir: this.workspaceRoot,
      entryPoints: [entry.file],
      outfile: this.bundleFile,
      bundle: true,
      // aws-cdk-lib, constructs, cdk-nag…: the installed packages, as tsx would load them.
      packages: 'external',
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      tsconfig: entry.tsconfig ? join(this.workspaceRoot, entry.tsconfig) : undefined,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      plugins: [ownDirname],
    });
    try {
      const result = await this.bundler.rebuild();
      this.appInputs = Object.keys(result.metafile.inputs).filter(
        (file) => !file.startsWith('node_modules/'),
      );
      this.externals = [
        ...new Set(
          Object.values(result.metafile.inputs).flatMap((input) =>
            input.imports
              .filter((imported) => imported.external && !imported.path.startsWith('node:'))
              .map((imported) => imported.path),
          ),
        ),
      ].sort();
    } catch (error) {
      const messages = (error as { errors?: Message[] }).errors ?? [];
      throw new SynthError(
        'the CDK app does not compile',
        messages.length > 0
          ? messages.map(
              (m) =>
                `${m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : ''}${m.text}`,
            )
          : [String(error)],
      );
    }
  }

  /** What the CDK CLI puts in an app's environment (toolkit-lib's exec.ts, CLI 2.1148). */
  private environment(outdir: string): Record<string, string> {
    const readJson = (file: string): Record<string, unknown> => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    // Precedence as the CLI's: cdk.json's context over cdk.context.json over ~/.cdk.json's.
    const context = {
      ...((readJson(join(homedir(), '.cdk.json'))['context'] as
        Record<string, unknown> | undefined) ?? {}),
      ...readJson(join(this.workspaceRoot, 'cdk.context.json')),
      ...(this.cdkJson.context ?? {}),
      // The CLI's defaults (contextFromSettings).
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:version-reporting': true,
      'aws:cdk:bundling-stacks': ['**'],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    };
    const modules = join(this.workspaceRoot, 'node_modules');
    const schema = readJson(
      join(modules, '@aws-cdk', 'cloud-assembly-schema', 'schema', 'version.json'),
    );
    const cli = readJson(join(modules, 'aws-cdk', 'package.json'));
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_CLI_ASM_VERSION: `${String(schema['revision'])}.0.0`,
      CDK_CLI_VERSION: String(cli['version']),
      // The CLI's default region when nothing is configured; no account without credentials.
      CDK_DEFAULT_REGION:
        process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      NODE_COMPILE_CACHE: join(stateDir(this.workspaceRoot), 'compile-cache'),
    };
    return env;
  }
}

/**
 * Each workspace module keeps its own `__dirname` and `__filename`, as under tsx (the app may read
 * files beside its sources: a custom resource's handler code): declared on the module's first line,
 * so line numbers and source maps stay as they are; esbuild renames them apart between modules.
 */
const ownDirname: Plugin = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const names = `const __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
      const loader = args.path.endsWith('ts') ? 'ts' : 'js';
      return { contents: `${names}${source}`, loader };
    });
  },
};

/** Starts the app in a waiting process with a synthesis's environment; its exit code and output. */
function runStandby(
  child: ChildProcess,
  bundle: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => resolveRun({ code, output }));
    child.send({ bundle, env });
  });
}

/**
 * The app's error output, paths relative to the workspace, without the stack frames of Node itself
 * or of installed packages (the frames in the workspace's own files say where the error is).
 */
function trimStack(output: string, workspaceRoot: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^Node\.js v\d/.test(line.trim()))
    .filter(
      (line) => !/^\s+at .*(node:internal|[/\\]node_modules[/\\]|^\s+at <anonymous>$)/.test(line),
    )
    .map((line) => line.split(`${workspaceRoot}${sep}`).join(''))
    .slice(0, 40);
}

interface Annotations {
  errors: string[];
  warnings: string[];
}

/** The `aws:cdk:error` and `aws:cdk:warning` entries of every stack, nested assemblies included. */
export function readAnnotations(assemblyDir: string): Annotations {
  const found: Annotations = { errors: [], warnings: [] };
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<
      string,
      {
        type: string;
        metadata?: Record<string, Entry[]>;
        additionalMetadataFile?: string;
        properties?: { directoryName?: string };
      }
    >;
  };
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      const nested = readAnnotations(join(assemblyDir, artifact.properties.directoryName));
      found.errors.push(...nested.errors);
      found.warnings.push(...nested.warnings);
      continue;
    }
    const metadata = { ...(artifact.metadata ?? {}) };
    if (
      artifact.additionalMetadataFile &&
      existsSync(join(assemblyDir, artifact.additionalMetadataFile))
    ) {
      Object.assign(
        metadata,
        JSON.parse(readFileSync(join(assemblyDir, artifact.additionalMetadataFile), 'utf8')),
      );
    }
    for (const [path, entries] of Object.entries(metadata)) {
      for (const entry of entries) {
        if (entry.type === 'aws:cdk:error')
          found.errors.push(`[Error at ${path}] ${String(entry.data)}`);
        if (entry.type === 'aws:cdk:warning')
          found.warnings.push(`[Warning at ${path}] ${String(entry.data)}`);
      }
    }
  }
  return found;
}

interface Entry {
  type: string;
  data?: unknown;
}
