/**
 * `npm run check:capacity [-- --stage prod --account-concurrency 1000 --account-rps 10000 --account-burst 5000 --assembly cdk.out]`
 * `npm run check:capacity -- --measured load-reports/<time>/report.json [--json]`
 *
 * Proves the soft-limit inequalities of DESIGN.md from one stage's synthesized templates (`npm run
 * synth` first) and the assumed p99 durations of the limits those templates were built with — or,
 * with `--measured`, the p99 durations a load report measured, for every function it measured;
 * prints the table it checked (`--json`: the report as JSON) and exits 1 when one does not hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCapacity, DEFAULT_STAGE, formatCapacityReport, stageNamed, workspaceRoot } from '@sm/infra';
import { limitsByStack, readStageTemplates } from './capacity';
import { limitsFor, templatesLimitsProfile } from './limits';

const { values } = parseArgs({
  options: {
    assembly: { type: 'string', default: join(workspaceRoot(), 'cdk.out') },
    stage: { type: 'string', default: DEFAULT_STAGE },
    'account-concurrency': { type: 'string' },
    'account-rps': { type: 'string' },
    'account-burst': { type: 'string' },
    measured: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

/** A load report's measured durations: `capacity.measured` of report.json. */
interface MeasuredDuration {
  stackName: string;
  logicalId: string;
  functionName: string;
  p99Ms: number;
  invocations: number;
}

function readMeasured(path: string): MeasuredDuration[] {
  const report = JSON.parse(readFileSync(path, 'utf8')) as { capacity?: { measured?: MeasuredDuration[] } };
  const measured = report.capacity?.measured;
  if (!Array.isArray(measured)) throw new Error(`${path} has no capacity.measured: is it a load report's report.json (npm run load)?`);
  return measured;
}

const measured = values.measured ? readMeasured(values.measured) : [];
// Stack names differ by how they are read (artifact id or stack name, a stage's prefix): the
// logical id within a stack of the same name or suffix identifies a function.
const sameStack = (a: string, b: string) => a === b || a.endsWith(`-${b}`) || b.endsWith(`-${a}`) || a.endsWith(b) || b.endsWith(a);

const quota = (name: 'account-concurrency' | 'account-rps' | 'account-burst'): number | undefined => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number, got '${raw}'`);
  return value;
};

const stage = stageNamed(values.stage ?? DEFAULT_STAGE).name;
const stacks = readStageTemplates(values.assembly ?? 'cdk.out', stage);
const profile = templatesLimitsProfile(stacks);
const report = checkCapacity({
  stacks,
  limitsByStack: limitsByStack(stage, limitsFor(stage, profile)),
  quotas: { concurrency: quota('account-concurrency'), requestsPerSecond: quota('account-rps'), burst: quota('account-burst') },
  measuredP99Ms: (fn) => measured.find((m) => m.logicalId === fn.logicalId && sameStack(m.stackName, fn.stackName) && m.invocations > 0)?.p99Ms,
});
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.violations.length > 0 ? 1 : 0;
} else {
  printTable();
}

function printTable(): void {
  console.log(`stage ${stage}, limits profile ${profile}`);
  console.log(formatCapacityReport(report));
  if (measured.length > 0) console.log(`p99 durations: measured for ${report.functions.filter((f) => f.p99Source === 'measured').length} functions (${values.measured}), assumed for the rest`);
  if (report.violations.length > 0) {
    console.error(`capacity check FAILED: ${report.violations.length} inequality(ies) do not hold`);
    process.exitCode = 1;
  } else {
    console.log('capacity check passed.');
  }
}
