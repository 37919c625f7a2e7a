/** One row of the report: a function bundle or a reference bundle. */
export interface ReportRow {
  readonly label: string;
  readonly sizeBytes?: number;
  /** Median import time in a fresh process. */
  readonly importMs?: number;
  /** Fastest import: less sensitive to other load on the machine than the median. */
  readonly importMinMs?: number;
  /** Median CPU time of the import (user + system): not inflated by waiting for a busy core. */
  readonly importCpuMs?: number;
  /** Median import of the bare DynamoDB-client bundle built with this row's build options. */
  readonly baselineImportMs?: number;
  /** Median import CPU time of that same bundle. */
  readonly baselineCpuMs?: number;
  /** Whether this row is one of the reference bundles (no target, no invocation). */
  readonly reference?: boolean;
  /** Median wall-clock time of the first invocation in a fresh process, after the import. */
  readonly firstCallMs?: number;
  /** Median of import + first invocation in those fresh processes: the cold start. */
  readonly coldMs?: number;
  readonly warmP50Ms?: number;
  readonly warmP99Ms?: number;
  readonly warmCount?: number;
  /** Why a figure is missing (build failed, import failed, no scenario, …). */
  readonly note?: string;
}

export interface ReportInput {
  readonly rows: readonly ReportRow[];
  /** Allowed import time over the row's baseline. */
  readonly budgetMs: number;
}

const fixed = (value: number | undefined, digits = 1): string =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;

/** The verdict of one row against the import target. */
export const verdict = (importMs: number | undefined, baselineMs: number, budgetMs: number): string => {
  if (importMs === undefined || Number.isNaN(importMs) || Number.isNaN(baselineMs)) return '–';
  return importMs - baselineMs <= budgetMs ? 'ok' : 'OVER';
};

/** The report as an aligned plain-text table, one line per bundle, then the notes. */
export const formatReport = ({ rows, budgetMs }: ReportInput): string => {
  const header = ['bundle', 'size KiB', 'import ms', 'min', 'vs DDB', `≤ +${budgetMs} ms`, 'cpu ms', 'cpu vs DDB', 'first call ms', 'cold ms', 'warm p50 ms', 'warm p99 ms', 'n'];
  const delta = (value: number | undefined, baseline: number) =>
    value === undefined || Number.isNaN(value) || Number.isNaN(baseline) ? '–' : signed(value - baseline);
  const lines = rows.map(({ baselineImportMs = Number.NaN, baselineCpuMs = Number.NaN, ...row }) => [
    row.label,
    row.sizeBytes === undefined ? '–' : (row.sizeBytes / 1024).toFixed(1),
    fixed(row.importMs),
    fixed(row.importMinMs),
    delta(row.importMs, baselineImportMs),
    row.reference ? '' : verdict(row.importMs, baselineImportMs, budgetMs),
    fixed(row.importCpuMs),
    delta(row.importCpuMs, baselineCpuMs),
    row.reference ? '' : fixed(row.firstCallMs),
    row.reference ? '' : fixed(row.coldMs),
    row.reference ? '' : fixed(row.warmP50Ms),
    row.reference ? '' : fixed(row.warmP99Ms),
    row.warmCount === undefined ? '' : String(row.warmCount),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd();
  const notes = rows.filter((row) => row.note !== undefined).map((row) => `  ${row.label}: ${row.note}`);
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
};
