/**
 * `npm run fuzz` / `npm run fuzz:quick`: contract fuzzing of the whole system with schemathesis,
 * each contract at its own API's base URL: on the local runtime started from the cloud assembly, or
 * on a deployed stage (`--stage`, `--api`). See tools/fuzz/README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  readAssembly,
  startRuntime,
  type LocalSystem,
  type RunningRuntime,
} from '@sm/local-runtime';
import { assemblyStage, resolveRemoteTarget, type ServiceUrls } from '@sm/stage-target';
import { findContracts } from './contracts';
import { renderConfig } from './config';
import { fuzzRates } from './limits';
import { assertFuzzTarget, assertLoopback } from './loopback';
import { parseFuzzArgs, USAGE, type FuzzOptions } from './options';
import { formatSummary, readReport, summarize, type ContractSummary } from './report';
import {
  ensureSchemathesis,
  reportPaths,
  runSchemathesis,
  schemathesisArgs,
  schemathesisEnv,
} from './schemathesis';
import { seedFuzzUser } from './session';

const workspaceRoot = resolve(__dirname, '../../..');
const hooksDir = resolve(__dirname, '..', 'python');
const log = (line: string) => console.error(`fuzz: ${line}`);

/** What a run fuzzes: each service's base URL, and the stage's templates the rates come from. */
interface FuzzTarget {
  apis: ServiceUrls;
  system: LocalSystem;
  /** A deployed stage the user named: its hosts may be fuzzed over https. */
  deployed: boolean;
  describe: string;
  close(): Promise<void>;
}

/**
 * The local runtime, started here from the stage's assembly (in memory, 127.0.0.1, a free port;
 * gateway diagnostics into `gatewayLog`), each contract fuzzed at its API's own base URL on it; or a
 * deployed stage's base URLs (its stacks' outputs, or `--api`), with the rates from the same
 * stage's templates.
 */
async function openFuzzTarget(
  options: FuzzOptions,
  assemblyDir: string,
  gatewayLog: string[],
): Promise<FuzzTarget> {
  const { target } = options;
  const stage = assemblyStage(assemblyDir, target.stage);
  if (target.kind !== 'local') {
    const system = readAssembly(assemblyDir, { origin: 'http://127.0.0.1', stage });
    const remote = await resolveRemoteTarget(target, system);
    for (const url of remote.apis.values()) assertFuzzTarget(url, true);
    return {
      apis: remote.apis,
      system,
      deployed: true,
      describe: remote.describe,
      close: async () => undefined,
    };
  }
  const runtime: RunningRuntime = await startRuntime({
    assemblyDir,
    stage,
    port: 0,
    host: '127.0.0.1',
    inMemory: true,
    quiet: true,
    log: (line) => gatewayLog.push(line),
  });
  const apis = new Map(runtime.apis.map((api) => [api.service, api.baseUrl]));
  for (const url of apis.values()) assertLoopback(url);
  return {
    apis,
    system: runtime.system,
    deployed: false,
    describe: `local runtime ${runtime.origin} from ${relative(workspaceRoot, assemblyDir)}, stage ${runtime.system.stage ?? '(no stages)'} (in memory), each API at its own base URL`,
    close: () => runtime.close(),
  };
}

async function fuzz(options: FuzzOptions): Promise<ContractSummary[]> {
  const assemblyDir = resolve(workspaceRoot, options.assemblyDir);
  if (!existsSync(join(assemblyDir, 'manifest.json'))) {
    throw new Error(
      `No cloud assembly at ${relative(workspaceRoot, assemblyDir) || assemblyDir}: run \`npm run synth\` first (or pass --assembly DIR)`,
    );
  }
  const contracts = findContracts(workspaceRoot, options.contracts);
  const cli = ensureSchemathesis(workspaceRoot);
  const reportDir = resolve(
    workspaceRoot,
    options.reportDir ?? join('tmp', 'fuzz', new Date().toISOString().replace(/[:.]/g, '-')),
  );
  mkdirSync(reportDir, { recursive: true });

  // Gateway diagnostics explain every 5xx (a function error, a malformed response): keep them for the findings.
  const gatewayLog: string[] = [];
  const target = await openFuzzTarget(options, assemblyDir, gatewayLog);
  const stopOnSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    void target.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    log(`fuzzing ${target.describe}`);
    for (const [service, url] of target.apis) log(`  ${service.padEnd(9)} ${url}`);
    const user = await seedFuzzUser(target.apis);
    log(`signed in as ${user.username} (${user.userId}); profile and location seeded`);
    const authUrl = target.apis.get('auth');
    if (!authUrl) throw new Error('The target has no auth API: the fuzz user cannot sign in');

    // Every contract's limits and config first, so a contract the assembly does not serve stops
    // the run before any request is sent.
    const prepared = contracts.map((contract) => {
      const baseUrl = target.apis.get(contract.name);
      if (!baseUrl)
        throw new Error(
          `The target has no API for the ${contract.name} contract (services: ${[...target.apis.keys()].join(', ')})`,
        );
      const rates = fuzzRates(target.system, contract);
      const rate = Math.min(...rates.values());
      const dir = join(reportDir, contract.name);
      mkdirSync(dir, { recursive: true });
      const configFile = join(dir, 'schemathesis.toml');
      writeFileSync(configFile, renderConfig(contract, rates));
      const args = schemathesisArgs(
        { contract, baseUrl, ratePerSecond: rate, reportDir: dir, options },
        configFile,
      );
      const env = schemathesisEnv({ baseUrl, authUrl, deployed: target.deployed }, user, hooksDir);
      const perOperation = [...rates].map(([operationId, r]) => `${operationId} ${r}/s`).join(', ');
      log(
        `${contract.name}: ${contract.operations.length} operations at ${baseUrl}, ${options.maxExamples} examples per operation and phase, seed ${options.seed}; ${perOperation}`,
      );
      return { contract, rate, dir, args, env };
    });

    // Contracts run side by side: their operations are distinct methods with their own gateway
    // buckets, and the run takes as long as the slowest contract (auth: scrypt) instead of the sum.
    const settled = await Promise.allSettled(
      prepared.map(async ({ contract, rate, dir, args, env }) => {
        const outcome = await runSchemathesis(cli, args, env, dir, options.timeoutSeconds, {
          deployed: target.deployed,
        });
        const stopped = outcome.timedOut ? ', stopped at the time limit' : '';
        console.log(
          `\n──── ${contract.name}: schemathesis report (${outcome.seconds.toFixed(1)} s${stopped}) ────\n\n${outcome.output.trimEnd()}`,
        );
        return summarize(contract.name, readReport(reportPaths(dir).json), outcome, rate);
      }),
    );
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((result) => (result as PromiseFulfilledResult<ContractSummary>).value);
  } finally {
    if (gatewayLog.length > 0) {
      writeFileSync(join(reportDir, 'gateway.log'), `${gatewayLog.join('\n')}\n`);
      log(
        `${gatewayLog.length} gateway diagnostic(s) (5xx the gateway produced itself) in ${relative(workspaceRoot, join(reportDir, 'gateway.log'))}`,
      );
    }
    await target.close();
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    log(
      `${target.deployed ? 'done' : 'local runtime stopped'}; reports in ${relative(workspaceRoot, reportDir)}`,
    );
  }
}

async function main(): Promise<number> {
  const options = parseFuzzArgs(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  const summaries = await fuzz(options);
  console.log(formatSummary(summaries, (performance.now() - started) / 1000));
  return summaries.every((summary) => summary.verdict === undefined) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`fuzz: ${(error as Error).message}`);
    process.exit(2);
  },
);
