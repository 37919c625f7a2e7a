/**
 * `npm run check:capacity [-- --account-concurrency 1000 --account-rps 10000 --account-burst 5000 --assembly cdk.out]`
 *
 * Proves the soft-limit inequalities of DESIGN.md from the synthesized templates (`npm run synth`
 * first) and the assumed p99 durations in each service's limits.ts; prints the table it checked and
 * exits 1 when one does not hold.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCapacity, formatCapacityReport, workspaceRoot } from '@sm/infra';
import { limitsByStack, readAssemblyTemplates } from './capacity';

const { values } = parseArgs({
  options: {
    assembly: { type: 'string', default: join(workspaceRoot(), 'cdk.out') },
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

const report = checkCapacity({
  stacks: readAssemblyTemplates(values.assembly ?? 'cdk.out'),
  limitsByStack,
  quotas: { concurrency: quota('account-concurrency'), requestsPerSecond: quota('account-rps'), burst: quota('account-burst') },
});
console.log(formatCapacityReport(report));
if (report.violations.length > 0) {
  console.error(`capacity check FAILED: ${report.violations.length} inequality(ies) do not hold`);
  process.exitCode = 1;
} else {
  console.log('capacity check passed.');
}
