/**
 * Soft-limit load tests: below each method's stage rate no 429 and no 5xx; above it 429 problems from
 * the gateway, still no 5xx, and every acknowledged write readable afterwards. See load-tests/README.md.
 *
 *   npm run load                                    # local runtime, each API at its own base URL, 20 s per phase
 *   npm run load -- --quick                         # 3 s per phase (CI)
 *   npm run load -- --stage staging                 # a deployed stage, URLs from its stacks' ApiUrl outputs
 *   npm run load -- --api auth=URL --api location=URL --api profile=URL
 *   npm run load -- --stage staging --engine artillery --count 4   # artillery run-fargate, 4 tasks
 *   npm run load -- --engine both                   # loadtest and Artillery (local) on each scenario, verdicts side by side
 *
 * Every run writes load-reports/<time>/report.json and report.html (`--report-dir`, `--no-report`).
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STAGE } from '@sm/infra';
import { chooseTarget, TARGET_OPTIONS, TARGET_USAGE } from '@sm/stage-target';
import { runOnArtillery, type ArtilleryResult } from './artillery/engine';
import type { ArtilleryPlatform } from './artillery/run';
import { artilleryScenarios } from './artillery/scenarios';
import { LocalMetrics } from './report/local-metrics';
import {
  capacityCheck,
  collectLocal,
  scenarioEntry,
  writeReport,
  type LoadReport,
  type RanScenario,
} from './report/report';
import { scenarios, seed, USERS, type ScenarioResult } from './scenarios';
import { signUpAndSignIn } from './session';
import { openTarget, type Target } from './target';
import { statusList } from './verdict';

const WORKSPACE_ROOT = resolve(__dirname, '../..');

const USAGE = `Usage: npm run load -- [options]        (npm run load:quick = --quick)

Target (default: start the local runtime; each request goes to its own API's base URL):
${TARGET_USAGE}

  --engine NAME        loadtest (default: open model on this machine), artillery (one Artillery 2
                       script per scenario, run with run-fargate against a deployed stage, with
                       artillery run against the local runtime), or both (every scenario on loadtest,
                       then on Artillery locally, each engine on a fresh local runtime: verdicts side
                       by side, and whether they agree; exits 1 unless every scenario passes on both)
  --count N            Artillery: Fargate tasks to spread the load over (run-fargate --count N)
  --platform P         Artillery: local or fargate (default: fargate for a deployed stage; local when
                       every base URL is on this machine, e.g. the local runtime)
  --assembly DIR       cloud assembly the limits are read from (default cdk.out)
  --quick              3 s per phase (CI); --seconds N for another length (default 20)
  --only TEXT          only the scenarios whose name contains TEXT
  --verbose            the local functions' logs on the console
  --report-dir DIR     where load-reports/<time>/report.html and report.json go (default load-reports)
  --no-report          no report
  --alarm-period-scale F   the local runtime's alarm periods × F (default 0.1: a 5-minute period lasts
                       30 s, so a phase can trip what a 5-minute storm would; the report says so)
  -h, --help           this text`;

type Engine = 'loadtest' | 'artillery' | 'both';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      ...TARGET_OPTIONS,
      engine: { type: 'string', default: 'loadtest' },
      count: { type: 'string' },
      platform: { type: 'string' },
      assembly: { type: 'string', default: 'cdk.out' },
      quick: { type: 'boolean', default: false },
      seconds: { type: 'string' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'report-dir': { type: 'string', default: 'load-reports' },
      'no-report': { type: 'boolean', default: false },
      'alarm-period-scale': { type: 'string', default: '0.1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seconds = Number(values.seconds ?? (values.quick ? 3 : 20));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600)
    throw new Error(`--seconds must be an integer from 1 to 600, got ${values.seconds}`);
  const engine = values.engine as Engine;
  if (!['loadtest', 'artillery', 'both'].includes(engine))
    throw new Error(`--engine takes loadtest, artillery or both, got ${engine}`);
  const choice = chooseTarget(values, { stage: DEFAULT_STAGE });
  if (values.platform !== undefined && values.platform !== 'local' && values.platform !== 'fargate')
    throw new Error(`--platform takes local or fargate, got ${values.platform}`);
  const count = values.count === undefined ? 1 : Number(values.count);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--count must be a positive integer, got ${values.count}`);

  const alarmPeriodScale = Number(values['alarm-period-scale']);
  if (!(alarmPeriodScale > 0 && alarmPeriodScale <= 1))
    throw new Error(`--alarm-period-scale must be in (0, 1], got ${values['alarm-period-scale']}`);

  const assemblyDir = values.assembly ?? 'cdk.out';
  const selected = scenarios.filter((s) => s.name.includes(values.only ?? ''));
  const rows = new Map<string, Row>(
    selected.map((scenario) => [scenario.name, { name: scenario.name }]),
  );
  const outDir = join(
    WORKSPACE_ROOT,
    'tmp',
    'load',
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  // Both engines start each scenario from the same state: against the local runtime each gets a
  // fresh one (on a shared runtime the second engine would find the environments the first one's
  // phases started, and pass a scenario the first failed only because it ran first: seen here).
  const passes: Exclude<Engine, 'both'>[][] =
    engine !== 'both'
      ? [[engine]]
      : choice.kind === 'local'
        ? [['loadtest'], ['artillery']]
        : [['loadtest', 'artillery']];
  if (passes.length === 1 && engine === 'both') {
    console.log(
      'note: both engines share one target here: the second finds it as the first left it (warm environments)',
    );
  }
  const ran: RanScenario[] = [];
  let loadReport: LoadReport | undefined;
  let stage = choice.stage;

  for (const engines of passes) {
    const target = await openTarget({
      choice,
      assemblyDir,
      verbose: values.verbose,
      alarmPeriodScale,
    });
    stage = target.stage;
    try {
      const { platform, region } = artilleryPlacement(target, engine, values, count);
      console.log(
        `load-tests against ${target.describe}, ${seconds} s per phase, engine ${engines.join(' then ')}${engines.includes('artillery') ? ` (Artillery ${platform}${platform === 'fargate' ? `, ${count} task(s)` : ''})` : ''}`,
      );
      for (const [service, url] of target.apis) console.log(`  ${service.padEnd(9)} ${url}`);
      // Load is spread over several users, so an answer handed to another user's request shows.
      const sessions = await Promise.all(
        Array.from({ length: USERS }, () => signUpAndSignIn(target)),
      );
      for (const session of sessions) await seed(target, session);
      for (const scenario of selected) {
        const row = rows.get(scenario.name)!;
        if (engines.includes('loadtest')) {
          await pause();
          const start = Date.now();
          row.loadtest = await scenario.run({
            api: target,
            system: target.system,
            sessions,
            seconds,
          });
          // The load phase proper: the first and last second the client saw answers (not the warm-up).
          const answered = row.loadtest.outcome.timeline?.list() ?? [];
          ran.push({
            result: row.loadtest,
            start: answered[0]?.t ?? start,
            end: (answered.at(-1)?.t ?? Date.now()) + 1000,
          });
          report('loadtest', row.loadtest, scenario.summary);
        }
        if (engines.includes('artillery')) {
          const spec = artilleryScenarios.find((candidate) => candidate.name === scenario.name);
          if (!spec)
            throw new Error(
              `No Artillery version of the scenario ${scenario.name} (src/artillery/scenarios.ts)`,
            );
          await pause();
          row.artillery = await runOnArtillery(spec, {
            api: target,
            system: target.system,
            assemblyDir,
            sessions,
            seconds,
            platform,
            count,
            region,
            outDir,
            local: [...target.apis.values()].every(isLoopback),
            onOutput: values.verbose ? (text) => process.stdout.write(text) : undefined,
          });
          report('artillery', row.artillery);
          console.log(`      script ${row.artillery.artillery.scriptPath}`);
        }
      }
      if (!values['no-report'] && engines.includes('loadtest') && ran.length > 0) {
        // Read from the local runtime's metrics before it stops.
        const local = target.localOrigin
          ? await collectLocal(ran, target.system, new LocalMetrics(target.localOrigin))
          : undefined;
        loadReport = {
          createdAt: new Date().toISOString(),
          target: target.describe,
          local: local !== undefined,
          secondsPerPhase: seconds,
          alarmPeriodScale: local ? alarmPeriodScale : undefined,
          scenarios: ran.map((run) => scenarioEntry(run, local?.functions.get(run.result.name))),
          concurrency: local?.concurrency,
          alarms: local?.alarms,
          capacity: local?.capacity ?? { measured: [] },
          cost: local?.cost,
        };
      }
    } finally {
      await target.close();
    }
  }
  if (loadReport) {
    const dir = resolve(
      values['report-dir'] ?? 'load-reports',
      loadReport.createdAt.replace(/[:.]/g, '-'),
    );
    const { json } = writeReport(dir, loadReport);
    // The static check with the durations this run measured (the file first: the check reads it).
    loadReport.capacity = {
      ...loadReport.capacity,
      ...capacityCheck(json, resolve(assemblyDir), stage),
    };
    const { html } = writeReport(dir, loadReport);
    console.log(
      `report: ${relative(process.cwd(), html)} and ${relative(process.cwd(), join(dir, 'report.json'))}`,
    );
  }
  const results = [...rows.values()];
  printTable(results);
  const failed = results.filter((row) => !passed(row)).length;
  if (engine === 'both') {
    const disagree = results.filter(
      (row) => row.loadtest?.verdict.passed !== row.artillery?.verdict.passed,
    );
    console.log(
      `engines agree on ${results.length - disagree.length} of ${results.length} scenarios${disagree.length > 0 ? ` (not on: ${disagree.map((row) => row.name).join('; ')})` : ''}`,
    );
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

/**
 * Where Artillery runs for this target: Fargate tasks cannot reach this machine, so a target here
 * (the local runtime, or a stand-in for a stage on loopback URLs) is loaded from here; a deployed
 * stage from Fargate, in the stage's region.
 */
function artilleryPlacement(
  target: Target,
  engine: Engine,
  values: { platform?: string; region?: string; count?: string },
  count: number,
): { platform: ArtilleryPlatform; region: string | undefined } {
  const onThisMachine = [...target.apis.values()].every(isLoopback);
  const platform =
    (values.platform as ArtilleryPlatform | undefined) ?? (onThisMachine ? 'local' : 'fargate');
  const region = values.region ?? regionOf(target) ?? process.env['AWS_REGION'];
  if (platform === 'fargate' && onThisMachine)
    throw new Error(
      '--platform fargate cannot reach this machine: Fargate tasks load a deployed stage',
    );
  if (engine === 'both' && platform !== 'local')
    throw new Error(
      '--engine both compares the engines on this machine: Artillery runs locally (--platform local)',
    );
  if (engine === 'artillery' && platform === 'fargate' && region === undefined) {
    throw new Error(
      "artillery run-fargate needs a region: pass --region, pin the stage's (context stages.<name>.region) or set AWS_REGION",
    );
  }
  if (values.count !== undefined && (engine === 'loadtest' || platform !== 'fargate')) {
    throw new Error(
      '--count spreads an Artillery run over Fargate tasks: use it with --engine artillery against a deployed stage',
    );
  }
  if (count > 1 && platform !== 'fargate') throw new Error('--count is for Fargate runs');
  return { platform, region };
}

interface Row {
  name: string;
  loadtest?: ScenarioResult;
  artillery?: ArtilleryResult;
}

/** A row passes when every engine that ran passed (with two engines, they then agree). */
const passed = (row: Row) =>
  [row.loadtest, row.artillery].every((result) => result === undefined || result.verdict.passed);

/** Lets the previous phase's token buckets refill, so phases do not disturb each other. */
const pause = () => new Promise((resolvePause) => setTimeout(resolvePause, 1_500));

function report(engine: string, result: ScenarioResult, summary?: string): void {
  console.log(
    `${result.verdict.passed ? 'PASS' : 'FAIL'}  ${result.name} [${engine}]${summary ? ` — ${summary}` : ''}`,
  );
  for (const failure of result.verdict.failures) console.log(`      ${failure}`);
}

function printTable(rows: Row[]): void {
  console.table(
    rows.flatMap((row) =>
      (
        [
          ['loadtest', row.loadtest],
          ['artillery', row.artillery],
        ] as const
      )
        .filter(([, result]) => result !== undefined)
        .map(([engine, result]) => ({
          scenario: row.name,
          engine,
          verdict: result!.verdict.passed ? 'pass' : 'FAIL',
          'rate/burst limit': `${result!.limits.rateLimit}/${result!.limits.burstLimit}`,
          'reserved conc.': result!.limits.reservedConcurrency ?? 'unreserved',
          'offered rps': result!.rps,
          sent: result!.outcome.sent,
          statuses: statusList(result!.outcome),
          'p50 ms': result!.outcome.p50Ms,
          'p99 ms': result!.outcome.p99Ms,
        })),
    ),
  );
}

function isLoopback(url: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(new URL(url).hostname);
}

/** The stage's region when its templates fix one (Fargate runs there, close to the APIs). */
function regionOf(target: Target): string | undefined {
  return target.system.apis.find((api) => api.environment.region !== undefined)?.environment.region;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
