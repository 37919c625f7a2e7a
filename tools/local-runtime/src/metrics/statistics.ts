import type { Aggregate } from './histogram';

/** A statistic the local metrics answer, as CloudWatch names it. */
export type StatisticName =
  'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

export class UnsupportedStatisticError extends Error {
  constructor(readonly statistic: string) {
    super(
      `statistic ${statistic} is not computed locally (Sum, Average, Minimum, Maximum, SampleCount and pNN are)`,
    );
    this.name = 'UnsupportedStatisticError';
  }
}

/** A statistic of one period's aggregate; `undefined` when the period has no data. */
export type StatisticFn = (aggregate: Aggregate) => number | undefined;

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/i;

/**
 * Resolves a CloudWatch statistic name (`Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`,
 * `p99`, `p99.9`, …; extended statistics such as `tm99` or `IQM` are not computed locally and throw
 * {@link UnsupportedStatisticError}, so callers can warn instead of skipping silently).
 */
export function statisticFn(name: string): StatisticFn {
  switch (name) {
    case 'Sum':
      return (a) => (a.count === 0 ? undefined : a.sum);
    case 'Average':
      return (a) => (a.count === 0 ? undefined : a.sum / a.count);
    case 'Minimum':
      return (a) => (a.count === 0 ? undefined : a.min);
    case 'Maximum':
      return (a) => (a.count === 0 ? undefined : a.max);
    case 'SampleCount':
      return (a) => (a.count === 0 ? undefined : a.count);
  }
  const match = PERCENTILE.exec(name);
  if (match) {
    const p = Number(match[1]);
    if (p > 0 && p <= 100) return (a) => a.percentile(p);
  }
  throw new UnsupportedStatisticError(name);
}

/** The percentile of a `pNN` statistic (0–100), else undefined. */
export function percentileOf(name: string): number | undefined {
  const match = PERCENTILE.exec(name);
  return match ? Number(match[1]) : undefined;
}
