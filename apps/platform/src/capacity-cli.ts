/**
 * `npm run check:capacity [-- --stage prod --account-concurrency 1000 --account-rps 10000 --account-burst 5000 --assembly cdk.out]`
 *
 * Proves the soft-limit inequalities of DESIGN.md from one stage's synthesized templates (`npm run
 * synth` first) and the assumed p99 durations of the limits those templates were built with; prints
 * the table it checked and exits 1 when one does not hold.
 */
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
  },
});

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
});
console.log(`stage ${stage}, limits profile ${profile}`);
console.log(formatCapacityReport(report));
if (report.violations.length > 0) {
  console.error(`capacity check FAILED: ${report.violations.length} inequality(ies) do not hold`);
  process.exitCode = 1;
} else {
  console.log('capacity check passed.');
}
