/**
 * `npm run fuzz` / `npm run fuzz:quick`: contract fuzzing of the whole system with schemathesis,
 * against the local runtime started from the cloud assembly. See tools/fuzz/README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startRuntime, type RunningRuntime } from '@sm/local-runtime';
import { findContracts } from './contracts';
import { renderConfig } from './config';
import { fuzzRates } from './limits';
import { assertLoopback } from './loopback';
import { parseFuzzArgs, USAGE, type FuzzOptions } from './options';
import { formatSummary, readReport, summarize, type ContractSummary } from './report';
import { ensureSchemathesis, reportPaths, runSchemathesis, schemathesisArgs, schemathesisEnv } from './schemathesis';
import { seedFuzzUser } from './session';

const workspaceRoot = resolve(__dirname, '../../..');
const hooksDir = resolve(__dirname, '..', 'python');
const log = (line: string) => console.error(`fuzz: ${line}`);

async function fuzz(options: FuzzOptions): Promise<ContractSummary[]> {
  const assemblyDir = resolve(workspaceRoot, options.assemblyDir);
  if (!existsSync(join(assemblyDir, 'manifest.json'))) {
    throw new Error(`No cloud assembly at ${relative(workspaceRoot, assemblyDir) || assemblyDir}: run \`npm run synth\` first (or pass --assembly DIR)`);
  }
  const contracts = findContracts(workspaceRoot, options.contracts);
  const cli = ensureSchemathesis(workspaceRoot);
  const reportDir = resolve(workspaceRoot, options.reportDir ?? join('tmp', 'fuzz', new Date().toISOString().replace(/[:.]/g, '-')));
  mkdirSync(reportDir, { recursive: true });

  // Gateway diagnostics explain every 5xx (a function error, a malformed response): keep them for the findings.
  const gatewayLog: string[] = [];
  const runtime: RunningRuntime = await startRuntime({
    assemblyDir,
    port: 0,
    host: '127.0.0.1',
    inMemory: true,
    quiet: true,
    log: (line) => gatewayLog.push(line),
  });
  const stopOnSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the local runtime`);
    void runtime.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    assertLoopback(runtime.origin);
    log(`local runtime ${runtime.origin} from ${relative(workspaceRoot, assemblyDir)} (in memory)`);
    const user = await seedFuzzUser(runtime.origin);
    log(`signed in as ${user.username} (${user.userId}); profile and location seeded`);

    // Every contract's limits and config first, so a contract the assembly does not serve stops
    // the run before any request is sent.
    const prepared = contracts.map((contract) => {
      const rates = fuzzRates(runtime.system, contract);
      const rate = Math.min(...rates.values());
      const dir = join(reportDir, contract.name);
      mkdirSync(dir, { recursive: true });
      const configFile = join(dir, 'schemathesis.toml');
      writeFileSync(configFile, renderConfig(contract, rates));
      const args = schemathesisArgs({ contract, baseUrl: runtime.origin, ratePerSecond: rate, reportDir: dir, options }, configFile);
      const perOperation = [...rates].map(([operationId, r]) => `${operationId} ${r}/s`).join(', ');
      log(`${contract.name}: ${contract.operations.length} operations, ${options.maxExamples} examples per operation and phase, seed ${options.seed}; ${perOperation}`);
      return { contract, rate, dir, args };
    });

    // Contracts run side by side: their operations are distinct methods with their own gateway
    // buckets, and the run takes as long as the slowest contract (auth: scrypt) instead of the sum.
    const env = schemathesisEnv(runtime.origin, user, hooksDir);
    const settled = await Promise.allSettled(
      prepared.map(async ({ contract, rate, dir, args }) => {
        const outcome = await runSchemathesis(cli, args, env, dir, options.timeoutSeconds);
        const stopped = outcome.timedOut ? ', stopped at the time limit' : '';
        console.log(`\n──── ${contract.name}: schemathesis report (${outcome.seconds.toFixed(1)} s${stopped}) ────\n\n${outcome.output.trimEnd()}`);
        return summarize(contract.name, readReport(reportPaths(dir).json), outcome, rate);
      }),
    );
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((result) => (result as PromiseFulfilledResult<ContractSummary>).value);
  } finally {
    if (gatewayLog.length > 0) {
      writeFileSync(join(reportDir, 'gateway.log'), `${gatewayLog.join('\n')}\n`);
      log(`${gatewayLog.length} gateway diagnostic(s) (5xx the gateway produced itself) in ${relative(workspaceRoot, join(reportDir, 'gateway.log'))}`);
    }
    await runtime.close();
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    log(`local runtime stopped; reports in ${relative(workspaceRoot, reportDir)}`);
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
