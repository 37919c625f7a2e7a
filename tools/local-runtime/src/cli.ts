/**
 * `npm start`: builds what changed, synthesizes the CDK app, runs the cloud assembly on this
 * machine, and (in a terminal) watches the sources. See tools/local-runtime/README.md.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  openWorkspace,
  prepareAssembly,
  PrepareError,
  type DevWorkspace,
  type PreparedPath,
} from './build/prepare';
import { consoleProgress } from './build/progress';
import { previousAssemblyDir } from './build/previous-assembly';
import { findContractSpecs } from './docs/docs';
import { assertSupportedNode } from './node-requirements';
import { describeFaultSpec, parseFaultSpec, type FaultSpec } from './dynamodb/fault-spec';
import { startRuntime, type RunningRuntime } from './runtime';
import { DevLoop } from './watch/dev-loop';

const USAGE = `Usage: npm start -- [options]

  --port N          port of the local API origin (default 3000)
  --stage NAME      deployment stage to run, e.g. staging (default prod)
  --in-memory       keep nothing on disk: data in memory, logs on the console only
  --assembly DIR    cloud assembly to run (default cdk.out; with it, build and synth are skipped)
  --no-build        do not build or synthesize; run the assembly as it is
  --watch           rebuild and reload on every save (default when stdout is a terminal, not in CI)
  --no-watch        run what was built at start, nothing more
  --verbose         print the tools' own output (code generation, build, synthesis)
  --quiet           no function logs on the console (they still go to .local/logs)
  --compile-cache   keep V8's code cache of the bundles between cold starts (faster INIT than AWS's)
  --alarm-period-scale F   multiply every alarm period (and the metrics' 10 s resolution) by F, 0 < F ≤ 1
                    (0.01: a 5-minute period lasts 3 s); for tests and short runs
  --no-metrics      no CloudWatch metrics, alarms or dashboards (/_local/)
  --no-dynamodb-proxy  functions talk to dynalite directly (no DynamoDB metrics); to measure the proxy's cost
  --no-waf             do not apply the stages' AWS WAF rate-based rules (per source IP); for a fuzzer or load
                       generator that must reach the functions from one address
  --faults SPEC      make the store slow, throttling, failing or away (off by default), e.g.
                    latency=200ms,throttle=5%,error=1%  or  outage=30s+5s,tables=Locations
                    terms: latency=MS|MIN-MAXms, throttle=P%, capacity=P%, error=P%, reset=P%,
                    outage=START+DURATION, outage-as=error|reset|throttle, tables=A|B, ops=X|Y, seed=N
                    (README, "Store faults")
  --canary FN[=PERCENT]  replay a deployment of function FN (bundle name, e.g. get-location): the previous
                    build serves as version 1, this one as version 2, and FN's live alias shifts to it as
                    its CodeDeploy deployment group says (or PERCENT % for the group's first interval, then
                    all), rolled back when one of the group's alarms fires ("would roll back")
  --previous-assembly DIR  the previous build for --canary (default .local/assemblies/previous, which
                    each build keeps)
  -h, --help        this text`;

interface CliOptions {
  port: number;
  stage?: string;
  inMemory: boolean;
  assemblyDir?: string;
  build: boolean;
  /** undefined: decided by the terminal. */
  watch: boolean | undefined;
  verbose: boolean;
  quiet: boolean;
  compileCache: boolean;
  alarmPeriodScale: number;
  metrics: boolean;
  dynamoProxy: boolean;
  webAcl: boolean;
  faults?: FaultSpec;
  canary?: { function: string; percent?: number };
  previousAssemblyDir?: string;
}

function parseCli(argv: string[]): CliOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      stage: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      assembly: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      watch: { type: 'boolean' },
      'no-watch': { type: 'boolean' },
      verbose: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'compile-cache': { type: 'boolean', default: false },
      'alarm-period-scale': { type: 'string' },
      'no-metrics': { type: 'boolean', default: false },
      'no-dynamodb-proxy': { type: 'boolean', default: false },
      'no-waf': { type: 'boolean', default: false },
      faults: { type: 'string' },
      canary: { type: 'string' },
      'previous-assembly': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const port = values.port === undefined ? 3000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got ${values.port}`);
  if (values.watch && values['no-watch'])
    throw new Error('--watch and --no-watch contradict each other');
  const alarmPeriodScale =
    values['alarm-period-scale'] === undefined ? 1 : Number(values['alarm-period-scale']);
  if (!(alarmPeriodScale > 0 && alarmPeriodScale <= 1))
    throw new Error(
      `--alarm-period-scale must be a number in (0, 1], got ${values['alarm-period-scale']}`,
    );
  let canary: CliOptions['canary'];
  if (values.canary !== undefined) {
    const [name = '', share] = values.canary.split('=');
    const percent = share === undefined ? undefined : Number(share);
    if (!name || (percent !== undefined && !(percent > 0 && percent < 100))) {
      throw new Error(
        `--canary must be FN or FN=PERCENT with 0 < PERCENT < 100 (e.g. get-location=10), got ${values.canary}`,
      );
    }
    canary = { function: name, percent };
  }
  let faults: FaultSpec | undefined;
  if (values.faults !== undefined) {
    try {
      faults = parseFaultSpec(values.faults);
    } catch (error) {
      throw new Error(`--faults: ${(error as Error).message}`);
    }
    if (values['no-dynamodb-proxy']) throw new Error('--faults acts through the DynamoDB proxy: drop --no-dynamodb-proxy');
  }
  if (values['previous-assembly'] !== undefined && !canary)
    throw new Error('--previous-assembly goes with --canary');
  return {
    canary,
    previousAssemblyDir: values['previous-assembly'],
    port,
    stage: values.stage,
    inMemory: values['in-memory'],
    assemblyDir: values.assembly,
    build: !values['no-build'],
    watch: values.watch ? true : values['no-watch'] ? false : undefined,
    verbose: values.verbose,
    quiet: values.quiet,
    compileCache: values['compile-cache'],
    alarmPeriodScale,
    metrics: !values['no-metrics'],
    dynamoProxy: !values['no-dynamodb-proxy'],
    webAcl: !values['no-waf'],
    faults,
  };
}

/** The path the start took, for the banner. */
function pathTaken(prepared: PreparedPath | undefined): string {
  if (!prepared) return 'the given assembly, as it is';
  if (prepared.kind === 'unchanged')
    return 'no input changed since the last start: build and synth skipped';
  const phases = prepared.phases
    .map((phase) => `${phase.name} ${(phase.ms / 1000).toFixed(1)} s`)
    .join(', ');
  return `${prepared.reason}: ${phases}`;
}

function banner(
  runtime: RunningRuntime,
  readyMs: number,
  workspaceRoot: string,
  path: string,
  watching: boolean,
): string {
  const rel = (dir: string | undefined) => (dir ? relative(workspaceRoot, dir) || '.' : undefined);
  const width = Math.max(...runtime.routes.map((route) => route.method.length));
  const serviceWidth = Math.max(0, ...runtime.apis.map((api) => api.service.length));
  const lines = [
    '',
    `Local runtime ready in ${(readyMs / 1000).toFixed(2)} s — ${runtime.system.stage ? `stage ${runtime.system.stage}, ` : ''}${runtime.system.functions.length} functions, ${runtime.system.tables.length} tables, ${runtime.system.apis.length} APIs`,
    `  (${path})`,
    '',
    ...runtime.routes.map(
      (route) =>
        `  ${route.method.padEnd(width)}  ${route.url}${route.secured ? '  (authorizer)' : ''}${route.mockStatus === undefined ? '' : `  (API Gateway answers ${route.mockStatus})`}`,
    ),
    '',
    // The same routes under each API's own base URL, shaped like a deployed stage's (what
    // `npm run load -- --api <service>=<url>` and a deployed function's published URL look like).
    'Each API at its own base URL, as deployed:',
    ...runtime.apis.map(
      (api) =>
        `  ${api.service.padEnd(serviceWidth)}  ${api.baseUrl}  (${api.stackName}, stage ${api.stage})`,
    ),
    '',
    ...(runtime.system.skipped.length > 0
      ? [
          `  not run (no API uses them): ${runtime.system.skipped.map((fn) => fn.id).join(', ')}`,
          '',
        ]
      : []),
    `  docs  ${runtime.docsUrl}`,
    ...(runtime.alarms
      ? [
          `  dashboards  ${runtime.origin}/_local/dashboards  (${runtime.system.monitoring.dashboards.length})`,
          `  alarms      ${runtime.origin}/_local/alarms  (${runtime.system.monitoring.alarms.length}${runtime.alarms.timeScale === 1 ? '' : `, periods ×${runtime.alarms.timeScale}`})`,
        ]
      : []),
    ...(runtime.faults?.spec ? [`  faults      ${describeFaultSpec(runtime.faults.spec)}`] : []),
    ...(runtime.canary
      ? [
          `  canary      ${runtime.canary.plan.label}: version ${runtime.canary.plan.oldVersion} (previous build) → ${runtime.canary.plan.newVersion} (this build) on alias ${runtime.canary.plan.alias}; the verdict follows on the console`,
        ]
      : []),
    `  data  ${rel(runtime.dataDir) ?? 'in memory (nothing on disk)'}`,
    `  logs  ${rel(runtime.logsDir) ?? 'console only (--in-memory)'}`,
    ...(watching
      ? ['  watch apps/, libs/, contracts/: every save rebuilds and reloads (--no-watch: off)']
      : []),
    '',
    'Ctrl-C stops cleanly.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  // Before build and synth: a Node without module hooks cannot emulate Lambda faithfully.
  assertSupportedNode();
  const workspaceRoot = process.cwd();
  const assemblyDir = resolve(workspaceRoot, options.assemblyDir ?? 'cdk.out');
  const log = (line: string) => console.error(`local-runtime: ${line}`);
  const progress = consoleProgress({ verbose: options.verbose });
  // An explicit assembly is run as given; the default one is rebuilt when its inputs changed.
  const workspaceMode = options.build && !options.assemblyDir;
  const watch = options.watch ?? (process.stdout.isTTY === true && !process.env['CI']);
  if (options.watch && !workspaceMode)
    log('--watch needs the workspace build (no --assembly, no --no-build): not watching');
  const previous = options.canary
    ? resolve(workspaceRoot, options.previousAssemblyDir ?? previousAssemblyDir(workspaceRoot))
    : undefined;

  let workspace: DevWorkspace | undefined;
  let prepared: PreparedPath | undefined;
  if (workspaceMode) {
    workspace = openWorkspace(workspaceRoot);
    try {
      // What ran until now becomes the previous build, for `--canary` (not with --in-memory: no .local/).
      prepared = await prepareAssembly(workspace, assemblyDir, progress, {
        keepPreviousIn: options.inMemory ? undefined : previousAssemblyDir(workspaceRoot),
      });
    } catch (error) {
      await workspace.dispose();
      if (error instanceof PrepareError) process.exit(1);
      throw error;
    }
    // Without watch mode nothing rebuilds: the esbuild contexts can go.
    if (!watch) await workspace.dispose();
  }
  if (previous && !existsSync(join(previous, 'manifest.json'))) {
    await workspace?.dispose();
    throw new Error(
      `--canary needs the previous build's cloud assembly and ${relative(workspaceRoot, previous)} has none: it is kept each time npm start rebuilds (change something and start again), or pass --previous-assembly DIR`,
    );
  }

  const startedAt = performance.now();
  const runtime = await startRuntime({
    assemblyDir,
    stage: options.stage,
    port: options.port,
    inMemory: options.inMemory,
    quiet: options.quiet,
    compileCache: options.compileCache,
    alarmPeriodScale: options.alarmPeriodScale,
    metrics: options.metrics,
    dynamoProxy: options.dynamoProxy,
    webAcl: options.webAcl,
    faults: options.faults,
    canary:
      options.canary && previous ? { ...options.canary, previousAssemblyDir: previous } : undefined,
    stateDir: workspaceRoot,
    docs: findContractSpecs(workspaceRoot),
  });
  const { system } = runtime;
  progress.phase(
    'start',
    `store with ${system.tables.length} tables, ${system.functions.length} functions, ${system.apis.length} APIs`,
    performance.now() - startedAt,
  );
  const watching = watch && workspace !== undefined;
  // performance.now() counts from process start, so this includes loading the CLI itself.
  console.log(banner(runtime, performance.now(), workspaceRoot, pathTaken(prepared), watching));

  const loop =
    watching && workspace
      ? new DevLoop({
          workspace,
          runtime,
          assemblyDir,
          progress,
          codeDir: options.inMemory
            ? join(tmpdir(), `local-runtime-code-${process.pid}`)
            : join(workspaceRoot, '.local', 'code'),
          keepPreviousIn: options.inMemory ? undefined : previousAssemblyDir(workspaceRoot),
        })
      : undefined;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: draining requests, stopping functions, flushing data`);
    (async () => {
      await loop?.close();
      await workspace?.dispose();
      await runtime.close();
      loop?.removeStaged();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`local-runtime: ${(error as Error).message}`);
  process.exit(1);
});
