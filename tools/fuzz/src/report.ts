import { existsSync, readFileSync } from 'node:fs';
import type { RunOutcome } from './schemathesis';

/** The parts of schemathesis' JSON run report (`--report json`) the summary uses. */
export interface SchemathesisReport {
  seed?: number;
  running_time?: number;
  exit_code?: number;
  operations?: { total?: number; selected?: number; tested?: number; errored?: number };
  test_cases?: { generated?: number; with_failures?: number; unique_failures?: number; errored?: number };
  failures?: { code?: string; title?: string; count?: number; operations?: string[] }[];
  errors?: unknown[];
  warnings?: Record<string, unknown[] | undefined>;
}

export interface ContractSummary {
  contract: string;
  operationsTested: number;
  operationsTotal: number;
  /** Test cases generated (each one request, plus the probes some checks send). */
  examples: number;
  uniqueFailures: number;
  errors: number;
  failures: { code: string; title: string; count: number; operations: string[] }[];
  /** Warning kinds schemathesis raised (e.g. `rate_limited`, `missing_auth`). */
  warnings: string[];
  seed: number | undefined;
  seconds: number;
  rate: number;
  /** Why this contract failed, or `undefined` when it passed. */
  verdict: string | undefined;
}

/** The run report, or `undefined` when schemathesis did not finish writing one (it was stopped). */
export function readReport(path: string): SchemathesisReport | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SchemathesisReport;
  } catch {
    return undefined;
  }
}

/** Condenses one contract's run into the figures the summary prints, and decides pass or fail. */
export function summarize(
  contract: string,
  report: SchemathesisReport | undefined,
  outcome: Pick<RunOutcome, 'exitCode' | 'timedOut' | 'seconds'>,
  rate: number,
): ContractSummary {
  const failures = (report?.failures ?? []).map((failure) => ({
    code: failure.code ?? '?',
    title: failure.title ?? 'unknown failure',
    count: failure.count ?? 1,
    operations: failure.operations ?? [],
  }));
  const errors = (report?.errors?.length ?? 0) + (report?.test_cases?.errored ?? 0) + (report?.operations?.errored ?? 0);
  const uniqueFailures = report?.test_cases?.unique_failures ?? failures.length;
  const warnings = Object.entries(report?.warnings ?? {})
    .filter(([, items]) => Array.isArray(items) && items.length > 0)
    .map(([kind]) => kind);

  let verdict: string | undefined;
  if (outcome.timedOut) verdict = 'timed out (stopped)';
  else if (!report) verdict = `no report (schemathesis exited ${outcome.exitCode})`;
  else if (uniqueFailures > 0) verdict = `${uniqueFailures} unique failure(s)`;
  else if (errors > 0) verdict = `${errors} error(s)`;
  else if (outcome.exitCode !== 0) verdict = `schemathesis exited ${outcome.exitCode}`;
  else if ((report.operations?.tested ?? 0) === 0) verdict = 'no operation tested';

  return {
    contract,
    operationsTested: report?.operations?.tested ?? 0,
    operationsTotal: report?.operations?.total ?? 0,
    examples: report?.test_cases?.generated ?? 0,
    uniqueFailures,
    errors,
    failures,
    warnings,
    seed: report?.seed,
    seconds: outcome.seconds,
    rate,
    verdict,
  };
}

/** Left-aligns the first column and right-aligns the figures. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd());
}

/** The per-contract summary printed after schemathesis' own reports. */
export function formatSummary(summaries: ContractSummary[], totalSeconds: number): string {
  const rows = [
    ['contract', 'operations', 'examples', 'failures', 'errors', 'rate', 'seed', 'time', 'result'],
    ...summaries.map((s) => [
      s.contract,
      `${s.operationsTested}/${s.operationsTotal}`,
      String(s.examples),
      String(s.uniqueFailures),
      String(s.errors),
      `${s.rate}/s`,
      s.seed === undefined ? '-' : String(s.seed),
      `${s.seconds.toFixed(1)} s`,
      s.verdict === undefined ? 'pass' : 'FAIL',
    ]),
  ];
  const lines = ['', 'Contract fuzzing summary', '', ...table(rows).map((line) => `  ${line}`), ''];
  for (const summary of summaries) {
    if (summary.verdict) lines.push(`  ${summary.contract}: ${summary.verdict}`);
    for (const failure of summary.failures) {
      lines.push(`    ${failure.code} ${failure.title} (${failure.count}×): ${failure.operations.join(', ')}`);
    }
    if (summary.warnings.length > 0) lines.push(`  ${summary.contract}: schemathesis warnings: ${summary.warnings.join(', ')}`);
  }
  const examples = summaries.reduce((sum, s) => sum + s.examples, 0);
  const failed = summaries.filter((s) => s.verdict !== undefined).length;
  lines.push('', `  ${examples} examples across ${summaries.length} contract(s) in ${totalSeconds.toFixed(1)} s: ${failed === 0 ? 'no failures' : `${failed} contract(s) failed`}`, '');
  return lines.join('\n');
}
