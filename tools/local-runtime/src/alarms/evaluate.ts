/** An alarm's state, as CloudWatch names it. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

/** One period of the evaluation range: a value, or none (missing data). */
export interface PeriodValue {
  /** Period start, ms. */
  timestamp: number;
  value: number | undefined;
  /** Values behind it (percentiles with low sample counts). */
  sampleCount?: number;
}

export interface EvaluationRule {
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: TreatMissingData;
  /** For pNN alarms: the percentile and what to do with too few samples. */
  percentile?: number;
  evaluateLowSampleCountPercentile?: string;
}

export interface Evaluation {
  /** The new state; `undefined` keeps the current one (`ignore`, or too few samples with `ignore`). */
  state: AlarmState | undefined;
  reason: string;
  /** The datapoints the decision used, newest first, as CloudWatch lists them in `NewStateReason`. */
  used: { timestamp: number; value: number | undefined; breaching: boolean }[];
}

export function breaches(value: number, operator: string, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      return false;
  }
}

const WORDS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * Decides an alarm's state from its evaluation range (oldest first; longer than
 * `evaluationPeriods` so missing data can be looked past), following CloudWatch's "Evaluating an
 * alarm" and "Configuring how CloudWatch alarms treat missing data":
 *
 * 1. With at least N (EvaluationPeriods) real datapoints in the range, the N most recent real ones
 *    decide and missing data is not considered: ALARM when at least M (DatapointsToAlarm) breach,
 *    else OK.
 * 2. With fewer, every real datapoint of the range counts and the most recent missing periods fill
 *    up to N, each as TreatMissingData says: `breaching` counts as breaching, `notBreaching` as not,
 *    `missing` and `ignore` leave it out.
 *    ALARM when at least M breach; else OK when some datapoint was evaluated; with none: `missing`
 *    → INSUFFICIENT_DATA, `ignore` → the state stays.
 * 3. Percentile alarms with `EvaluateLowSampleCountPercentile: ignore` keep their state while the
 *    newest datapoint has fewer than 10/(1−p) samples (p ≥ 0.5) or 10/p (p < 0.5).
 */
export function evaluateAlarm(range: PeriodValue[], rule: EvaluationRule): Evaluation {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const newestFirst = [...range].reverse();
  const real = newestFirst.filter((p) => p.value !== undefined);
  const breach = (value: number) => breaches(value, rule.comparisonOperator, rule.threshold);
  const words = WORDS[rule.comparisonOperator] ?? rule.comparisonOperator;

  if (
    rule.percentile !== undefined &&
    rule.evaluateLowSampleCountPercentile === 'ignore' &&
    real[0]
  ) {
    const share = rule.percentile / 100;
    const needed = share >= 0.5 ? 10 / (1 - share) : 10 / share;
    if ((real[0].sampleCount ?? 0) < needed) {
      return {
        state: undefined,
        reason: `Too few samples (${real[0].sampleCount ?? 0} < ${Math.ceil(needed)}) for p${rule.percentile}: the state is kept (EvaluateLowSampleCountPercentile: ignore)`,
        used: [],
      };
    }
  }

  if (real.length >= n) {
    const used = real
      .slice(0, n)
      .map((p) => ({
        timestamp: p.timestamp,
        value: p.value,
        breaching: breach(p.value as number),
      }));
    const breaching = used.filter((p) => p.breaching).length;
    const list = `[${used.map((p) => `${format(p.value as number)} (${stamp(p.timestamp)})`).join(', ')}]`;
    if (breaching >= m) {
      return {
        state: 'ALARM',
        reason: `Threshold Crossed: ${breaching} out of the last ${n} datapoints ${list} ${breaching === 1 ? 'was' : 'were'} ${words} the threshold (${format(rule.threshold)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`,
        used,
      };
    }
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${n - breaching} out of the last ${n} datapoints ${list} ${n - breaching === 1 ? 'was' : 'were'} not ${words} the threshold (${format(rule.threshold)}) (minimum ${n - m + 1} datapoint${n - m + 1 === 1 ? '' : 's'} for ALARM -> OK transition).`,
      used,
    };
  }

  // Every real datapoint of the range counts; missing periods fill the rest up to N, the most
  // recent first ("CloudWatch uses missing data points only as few times as possible").
  const used: Evaluation['used'] = [];
  let missing = 0;
  let fillable = n - real.length;
  for (const p of newestFirst) {
    if (p.value !== undefined) {
      used.push({ timestamp: p.timestamp, value: p.value, breaching: breach(p.value) });
      continue;
    }
    if (fillable <= 0) continue;
    fillable--;
    missing++;
    if (rule.treatMissingData === 'breaching')
      used.push({ timestamp: p.timestamp, value: undefined, breaching: true });
    else if (rule.treatMissingData === 'notBreaching')
      used.push({ timestamp: p.timestamp, value: undefined, breaching: false });
  }
  const breaching = used.filter((p) => p.breaching).length;
  const treated =
    rule.treatMissingData === 'breaching'
      ? 'Breaching'
      : rule.treatMissingData === 'notBreaching'
        ? 'NonBreaching'
        : undefined;
  const missingNote =
    missing === 0
      ? ''
      : ` ${missing} missing datapoint${missing === 1 ? '' : 's'}${treated ? ` ${missing === 1 ? 'was' : 'were'} treated as [${treated}]` : ''}.`;
  const list = used
    .filter((p) => p.value !== undefined)
    .map((p) => `${format(p.value as number)} (${stamp(p.timestamp)})`);
  const received =
    list.length > 0
      ? `${list.length} datapoint${list.length === 1 ? '' : 's'} [${list.join(', ')}]`
      : `no datapoints were received for ${n} period${n === 1 ? '' : 's'} and`;
  if (breaching >= m)
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${received}${missingNote} ${breaching} of ${n} ${words} the threshold (${format(rule.threshold)}).`,
      used,
    };
  if (used.length > 0)
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${received}${missingNote} ${breaching} of ${n} ${words} the threshold (${format(rule.threshold)}).`,
      used,
    };
  if (rule.treatMissingData === 'ignore')
    return {
      state: undefined,
      reason: `No datapoints for ${n} period${n === 1 ? '' : 's'}: the state is kept (TreatMissingData: ignore).`,
      used,
    };
  return {
    state: 'INSUFFICIENT_DATA',
    reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`,
    used,
  };
}

function format(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(Math.round(value * 1e6) / 1e6);
}

/** `27/11/26 10:15:00`, as CloudWatch prints datapoint times in a state reason. */
function stamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
