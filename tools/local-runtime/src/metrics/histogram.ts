/**
 * Relative accuracy of percentiles: every value lands in a bucket whose bounds are within ±1 % of
 * the value the bucket reports, so a percentile is within 1 % of a value that really occurred at
 * (or next to) that rank. CloudWatch documents its own percentiles as approximations too; on raw
 * values published through EMF or PutMetricData they are exact for small samples, and this
 * histogram is then the only source of difference (at most 1 %).
 */
export const RELATIVE_ERROR = 0.01;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);

/**
 * Aggregate of the values of one series in one time bucket: what CloudWatch keeps per period to
 * answer `SampleCount`, `Sum`, `Minimum`, `Maximum`, `Average` and `pNN`. Values are counted in
 * logarithmic buckets (index ⌈log_γ v⌉, γ = 1.0202), so recording costs one `Math.log` and one map
 * update and memory stays bounded by the range of values, not by their number (≈ 230 buckets per
 * decade of range, e.g. 1 µs … 30 s).
 */
export class Aggregate {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Values ≤ 0 (counters of 0 are most of them): kept apart, exactly. */
  zeros = 0;
  negatives?: Map<number, number>;
  readonly positives = new Map<number, number>();

  add(value: number, times = 1): void {
    this.count += times;
    this.sum += value * times;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value === 0) {
      this.zeros += times;
    } else if (value > 0) {
      const index = Math.ceil(Math.log(value) / LOG_GAMMA);
      this.positives.set(index, (this.positives.get(index) ?? 0) + times);
    } else {
      this.negatives ??= new Map();
      const index = Math.ceil(Math.log(-value) / LOG_GAMMA);
      this.negatives.set(index, (this.negatives.get(index) ?? 0) + times);
    }
  }

  merge(other: Aggregate): void {
    if (other.count === 0) return;
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.zeros += other.zeros;
    for (const [index, n] of other.positives)
      this.positives.set(index, (this.positives.get(index) ?? 0) + n);
    if (other.negatives) {
      this.negatives ??= new Map();
      for (const [index, n] of other.negatives)
        this.negatives.set(index, (this.negatives.get(index) ?? 0) + n);
    }
  }

  /**
   * The value at percentile `p` (0 < p ≤ 100): the smallest value with at least p % of the sample at
   * or below it (nearest rank), clamped to the sample's minimum and maximum, so p100 is the maximum
   * and a one-value sample answers that value exactly.
   */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    const clamp = (v: number) => Math.min(this.max, Math.max(this.min, v));
    if (this.negatives) {
      // Most negative first: the largest magnitude index first.
      const indexes = [...this.negatives.keys()].sort((a, b) => b - a);
      for (const index of indexes) {
        seen += this.negatives.get(index) as number;
        if (seen >= rank) return clamp(-bucketValue(index));
      }
    }
    seen += this.zeros;
    if (seen >= rank) return clamp(0);
    const indexes = [...this.positives.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      seen += this.positives.get(index) as number;
      if (seen >= rank) return clamp(bucketValue(index));
    }
    return this.max;
  }

  /** A compact, JSON-safe copy (for `.local/metrics/` and for pages). */
  toJSON(): SerializedAggregate {
    const out: SerializedAggregate = { n: this.count, s: this.sum, lo: this.min, hi: this.max };
    if (this.zeros) out.z = this.zeros;
    if (this.positives.size) out.p = [...this.positives].flat();
    if (this.negatives?.size) out.m = [...this.negatives].flat();
    return out;
  }

  static fromJSON(data: SerializedAggregate): Aggregate {
    const aggregate = new Aggregate();
    aggregate.count = data.n;
    aggregate.sum = data.s;
    aggregate.min = data.lo;
    aggregate.max = data.hi;
    aggregate.zeros = data.z ?? 0;
    for (let i = 0; i + 1 < (data.p?.length ?? 0); i += 2)
      aggregate.positives.set(data.p![i]!, data.p![i + 1]!);
    if (data.m?.length) {
      aggregate.negatives = new Map();
      for (let i = 0; i + 1 < data.m.length; i += 2)
        aggregate.negatives.set(data.m[i]!, data.m[i + 1]!);
    }
    return aggregate;
  }
}

export interface SerializedAggregate {
  n: number;
  s: number;
  lo: number;
  hi: number;
  z?: number;
  /** Positive buckets: index, count, index, count, … */
  p?: number[];
  m?: number[];
}

/** The value a bucket stands for: within RELATIVE_ERROR of every value in (γ^(i-1), γ^i]. */
function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}
