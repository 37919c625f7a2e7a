/**
 * `npm run bench:bundles`: per Lambda function of every service, the bundle size, the time to
 * import the bundle in a fresh Node process (median of N, beside an empty-handler bundle and a
 * bare DynamoDB DocumentClient bundle built with the same esbuild options, in the same run), the
 * first invocation in a fresh process (import, then one call: the cold start) and p50/p99 of a
 * warm invocation of the real bundle against dynalite.
 *
 * Options: --skip-build (use dist/ as it is), --runs <n> (imports per bundle, default 10),
 * --first-calls <n> (cold starts per function, default 10), --only <service> (repeatable),
 * --no-invoke (sizes and imports only).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureImports } from './import-time';
import { measureInvocations } from './invoke';
import { buildReferenceBundles } from './reference-bundles';
import { formatReport, type ReportRow } from './report';
import { scenarios } from './scenarios';
import { median, percentile } from './stats';
import { loadTables, tableEnvName } from './tables';
import { discoverServices, readBuildOptions, type FunctionBundle, type ServiceBuildOptions } from './workspace';

/** The issue's target: every bundle imports within this much of the bare DynamoDB-client bundle. */
const IMPORT_BUDGET_MS = 10;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** How a group of services' build options differ from esbuild's defaults, for reference labels. */
const describeOptions = (options: ServiceBuildOptions): string =>
  [`${options.format} ${options.target}`, options.minify ? 'minified' : 'not minified', options.mainFields ? `mainFields ${options.mainFields.join(',')}` : 'default mainFields'].join(', ');

const buildService = (root: string, service: string): string | undefined => {
  const started = Date.now();
  const result = spawnSync('npx', ['nx', 'run', `${service}:build`, '--outputStyle=static'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
    timeout: 10 * 60_000,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    log(`  built ${service} (${seconds} s)`);
    return undefined;
  }
  log(`  build of ${service} FAILED (${seconds} s)`);
  return `build failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`;
};

/** Environment the bundles see at import: what Lambda would set, with placeholder table names. */
const importEnvironment = async (root: string, services: readonly string[]): Promise<NodeJS.ProcessEnv> => {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'bench',
    POWERTOOLS_METRICS_NAMESPACE: 'bench',
  };
  for (const service of services) {
    for (const table of await loadTables(root, service).catch(() => [])) env[tableEnvName(table.id)] = `bench-${table.id}`;
    Object.assign(env, scenarios[service]?.importEnv);
  }
  return env;
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      'skip-build': { type: 'boolean', default: false },
      'no-invoke': { type: 'boolean', default: false },
      runs: { type: 'string', default: '10' },
      'first-calls': { type: 'string', default: '10' },
      only: { type: 'string', multiple: true },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs must be a whole number from 1 to 100, got '${values.runs}'`);
  const firstCalls = Number(values['first-calls']);
  if (!Number.isInteger(firstCalls) || firstCalls < 0 || firstCalls > 100)
    throw new Error(`--first-calls must be a whole number from 0 to 100, got '${values['first-calls']}'`);
  const root = resolve(__dirname, '..', '..', '..');

  const discovered = discoverServices(root);
  const services = [...discovered.keys()].filter((service) => !values.only?.length || values.only.includes(service));
  if (services.length === 0) throw new Error(`no service with handlers found${values.only ? ` among ${values.only.join(', ')}` : ''}`);
  const functions: FunctionBundle[] = services.flatMap((service) => discovered.get(service) ?? []);

  const notes = new Map<string, string>();
  if (!values['skip-build']) {
    log('building the services…');
    for (const service of services) {
      const failure = buildService(root, service);
      if (failure !== undefined) for (const fn of discovered.get(service) ?? []) notes.set(`${service}/${fn.name}`, failure);
    }
  }

  const referenceDir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
  try {
    // References are built with each service's own esbuild options; services that share options
    // share references. Each function is compared with the bare client built like itself.
    log('building the reference bundles…');
    const groups = new Map<string, { options: ServiceBuildOptions; services: string[] }>();
    for (const service of services) {
      const options = readBuildOptions(root, service);
      const key = JSON.stringify(options);
      const group = groups.get(key) ?? { options, services: [] };
      group.services.push(service);
      groups.set(key, group);
    }
    const bundles = new Map<string, string>();
    const baselineKeyOf = new Map<string, string>();
    let index = 0;
    for (const { options, services: members } of groups.values()) {
      const suffix = groups.size === 1 ? '' : ` [${members.join(', ')}: ${describeOptions(options)}]`;
      const dir = join(referenceDir, String((index += 1)));
      const references = await buildReferenceBundles(root, dir, options);
      const ddbKey = `reference: ${references.dynamodb.label}${suffix}`;
      bundles.set(`reference: ${references.empty.label}${suffix}`, references.empty.bundlePath);
      bundles.set(ddbKey, references.dynamodb.bundlePath);
      const powertoolsKey = `reference: ${references.powertools.label}${suffix}`;
      bundles.set(powertoolsKey, references.powertools.bundlePath);
      baselineKeyOf.set(`reference: ${references.empty.label}${suffix}`, ddbKey);
      baselineKeyOf.set(powertoolsKey, ddbKey);
      baselineKeyOf.set(ddbKey, ddbKey);
      for (const service of members) baselineKeyOf.set(service, ddbKey);
    }
    // Measure copies: others working in the same tree may rebuild dist/ (which deletes it first)
    // while this runs. A bundle is one self-contained file, so a copy behaves like the original.
    const snapshotDir = join(referenceDir, 'bundles');
    for (const fn of functions) {
      const key = `${fn.service}/${fn.name}`;
      if (!existsSync(fn.bundlePath)) {
        if (!notes.has(key)) notes.set(key, `no bundle at ${fn.bundlePath}`);
        continue;
      }
      const copy = join(snapshotDir, fn.service, `${fn.name}.js`);
      mkdirSync(dirname(copy), { recursive: true });
      copyFileSync(fn.bundlePath, copy);
      if (existsSync(`${fn.bundlePath}.map`)) copyFileSync(`${fn.bundlePath}.map`, `${copy}.map`);
      bundles.set(key, copy);
    }
    const sizes = new Map([...bundles].map(([key, path]) => [key, statSync(path).size]));

    log(`importing each of ${bundles.size} bundles ${runs} times in fresh Node processes (round-robin)…`);
    const imports = measureImports(bundles, await importEnvironment(root, services), runs);
    for (const [key, timing] of imports) if (timing.error !== undefined) notes.set(key, timing.error.split('\n').slice(0, 2).join(' | '));

    const warm = new Map<string, { p50: number; p99: number; n: number }>();
    const cold = new Map<string, { firstCallMs: number; coldMs: number }>();
    if (!values['no-invoke']) {
      for (const service of services) {
        const available = (discovered.get(service) ?? []).filter((fn) => bundles.has(`${service}/${fn.name}`));
        if (available.length === 0) continue;
        if (scenarios[service] === undefined) {
          for (const fn of available) notes.set(`${service}/${fn.name}`, 'no warm-invocation scenario (tools/bench/src/scenarios)');
          continue;
        }
        log(`invoking ${service} warm, then ${firstCalls} cold start(s) per function, against dynalite…`);
        const results = await measureInvocations(
          root,
          service,
          Object.fromEntries(available.map((fn) => [fn.name, bundles.get(`${service}/${fn.name}`) as string])),
          firstCalls,
        );
        for (const fn of available) {
          const key = `${service}/${fn.name}`;
          const result = results[fn.name];
          if (result === undefined) notes.set(key, notes.get(key) ?? 'no warm-invocation scenario (tools/bench/src/scenarios)');
          else if (result.error !== undefined) notes.set(key, `warm invocation failed: ${result.error}`);
          else warm.set(key, { p50: percentile(result.samples, 50), p99: percentile(result.samples, 99), n: result.samples.length });
          const starts = result?.error === undefined ? (result?.firstCalls ?? []) : [];
          if (starts.length > 0)
            cold.set(key, {
              firstCallMs: median(starts.map((start) => start.firstCallMs)),
              coldMs: median(starts.map((start) => start.importMs + start.firstCallMs)),
            });
        }
      }
    }

    const rows: ReportRow[] = [...bundles.keys(), ...functions.map((fn) => `${fn.service}/${fn.name}`).filter((key) => !bundles.has(key))].map(
      (key) => {
        const figures = warm.get(key);
        const coldStart = cold.get(key);
        const timing = imports.get(key);
        const baselineKey = baselineKeyOf.get(key) ?? baselineKeyOf.get(key.split('/')[0] as string);
        const baseline = baselineKey === undefined ? undefined : imports.get(baselineKey);
        return {
          label: key,
          ...(baseline === undefined ? {} : { baselineImportMs: baseline.median, baselineCpuMs: baseline.cpuMedian }),
          sizeBytes: sizes.get(key),
          ...(timing === undefined ? {} : { importMs: timing.median, importMinMs: timing.min, importCpuMs: timing.cpuMedian }),
          reference: key.startsWith('reference: '),
          ...(figures === undefined ? {} : { warmP50Ms: figures.p50, warmP99Ms: figures.p99, warmCount: figures.n }),
          ...(coldStart === undefined ? {} : coldStart),
          ...(notes.has(key) ? { note: notes.get(key) } : {}),
        };
      },
    );

    const [load1, load5] = loadavg();
    process.stdout.write(
      [
        `Lambda bundle benchmark — node ${process.version}, ${cpus().length} CPUs, load average ${load1?.toFixed(1)} / ${load5?.toFixed(1)} (1 / 5 min)`,
        `import ms: median (and min) wall-clock time of ${runs} require() calls, each in a fresh Node process with a Lambda-like environment (tracing off);`,
        `cpu ms: median CPU time (user + system) of the same imports, which waiting for a busy core does not inflate`,
        `first call ms: median wall-clock time of the first invocation in ${firstCalls} fresh Node processes, each importing the bundle, then invoking it once against dynalite;`,
        `  cold ms: median of import + first call in those processes, the real cold start. Work a function defers from import to its first call (get-profile's fetch) shows here`,
        `warm: one invocation as warm-up, then n invocations of the real bundle's handler in-process, against dynalite over HTTP`,
        `target: each bundle imports within +${IMPORT_BUDGET_MS} ms of the bare DynamoDB-client bundle built with the same esbuild options;`,
        `  the client + Powertools Logger and Metrics row is what every function must load at least (the issue requires both): its own figure vs DDB is the part of the budget they take`,
        '',
        formatReport({ rows, budgetMs: IMPORT_BUDGET_MS }),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(referenceDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
