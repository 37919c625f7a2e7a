import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aggregate, type SerializedAggregate } from './histogram';
import { statisticFn } from './statistics';

/** A metric's identity, as CloudWatch's: namespace, name and the exact set of dimensions. */
export interface MetricIdentity {
  namespace: string;
  name: string;
  /** Dimension name → value. A metric with other dimensions (or fewer) is another metric. */
  dimensions: Readonly<Record<string, string>>;
}

/** One time series: the aggregates of its values, one per bucket of the store's resolution. */
export class Series implements MetricIdentity {
  /** Bucket start (ms since the epoch) → aggregate of the values recorded in it. */
  readonly buckets = new Map<number, Aggregate>();
  private currentStart = Number.NaN;
  private current: Aggregate | undefined;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly dimensions: Readonly<Record<string, string>>,
    public unit: string | undefined,
    readonly key: string,
    private readonly store: MetricStore,
  ) {}

  /** Records one value (or `times` equal values) at `timestamp` (default: now). */
  record(value: number, timestamp?: number, times = 1): void {
    const at = timestamp ?? this.store.now();
    const resolution = this.store.resolutionMs;
    const start = at - (at % resolution);
    if (start !== this.currentStart) {
      let bucket = this.buckets.get(start);
      if (!bucket) {
        bucket = new Aggregate();
        this.buckets.set(start, bucket);
        this.store.touched(this, start);
      }
      // Only the newest bucket is cached: a late value for an older one is still counted.
      if (!(start < this.currentStart)) {
        this.currentStart = start;
        this.current = bucket;
      } else {
        bucket.add(value, times);
        return;
      }
    }
    (this.current as Aggregate).add(value, times);
  }

  /** The aggregate of every value recorded in [fromMs, toMs). */
  aggregate(fromMs: number, toMs: number): Aggregate | undefined {
    let merged: Aggregate | undefined;
    for (const [start, bucket] of this.buckets) {
      if (start < fromMs || start >= toMs) continue;
      merged ??= new Aggregate();
      merged.merge(bucket);
    }
    return merged;
  }

  /**
   * One datapoint per period in [startMs, endMs) (periods aligned to the epoch, as GetMetricData
   * aligns them), periods without data left out, as CloudWatch leaves them out.
   */
  datapoints(statistic: string, periodMs: number, startMs: number, endMs: number): Datapoint[] {
    const stat = statisticFn(statistic);
    const periods = new Map<number, Aggregate>();
    for (const [start, bucket] of this.buckets) {
      if (start < startMs || start >= endMs) continue;
      const periodStart = start - (start % periodMs);
      let aggregate = periods.get(periodStart);
      if (!aggregate) periods.set(periodStart, (aggregate = new Aggregate()));
      aggregate.merge(bucket);
    }
    const points: Datapoint[] = [];
    for (const [timestamp, aggregate] of periods) {
      const value = stat(aggregate);
      if (value !== undefined) points.push({ timestamp, value, sampleCount: aggregate.count });
    }
    return points.sort((a, b) => a.timestamp - b.timestamp);
  }

  prune(beforeMs: number): void {
    for (const start of this.buckets.keys()) if (start < beforeMs) this.buckets.delete(start);
  }
}

export interface Datapoint {
  /** Start of the period, ms since the epoch. */
  timestamp: number;
  value: number;
  /** Values behind the datapoint (for percentiles with low sample counts). */
  sampleCount: number;
}

export interface MetricStoreOptions {
  /**
   * Width of the store's buckets: the finest period anything can ask for. CloudWatch keeps
   * standard-resolution metrics per minute and high-resolution ones per second; 10 s keeps a
   * dashboard live and answers every 1-minute and longer period exactly. @default 10000
   */
  resolutionMs?: number;
  /** Buckets older than this are dropped. @default 3 hours (a dashboard's default range) */
  retentionMs?: number;
  /** Where closed buckets are appended as JSON lines, one file per day; nothing on disk when absent. */
  persistDir?: string;
  /** @default Date.now */
  clock?: () => number;
}

/** A line of `.local/metrics/<date>.jsonl`. */
interface PersistedBucket {
  t: number;
  ns: string;
  name: string;
  dims: Record<string, string>;
  unit?: string;
  agg: SerializedAggregate;
}

/**
 * The local CloudWatch metrics: every series the runtime publishes (API Gateway, Lambda, DynamoDB,
 * EMF, metric filters), aggregated per bucket in memory, and the buckets appended to
 * `.local/metrics/` as they close (and read back on the next start, within the retention).
 */
export class MetricStore {
  readonly resolutionMs: number;
  readonly retentionMs: number;
  readonly now: () => number;
  private readonly byKey = new Map<string, Series>();
  private readonly persistDir: string | undefined;
  /** Buckets created since the last flush: series and bucket start. */
  private pending: { series: Series; start: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: MetricStoreOptions = {}) {
    this.resolutionMs = Math.max(1, Math.round(options.resolutionMs ?? 10_000));
    this.retentionMs = options.retentionMs ?? 3 * 3_600_000;
    this.now = options.clock ?? Date.now;
    this.persistDir = options.persistDir;
    if (this.persistDir) {
      mkdirSync(this.persistDir, { recursive: true });
      this.load(this.persistDir);
    }
    this.timer = setInterval(() => this.flush(), Math.max(this.resolutionMs, 1_000)).unref();
  }

  /** The series of exactly this identity, created on first use (keep the handle on hot paths). */
  series(
    namespace: string,
    name: string,
    dimensions: Record<string, string> = {},
    unit?: string,
  ): Series {
    const key = seriesKey(namespace, name, dimensions);
    let series = this.byKey.get(key);
    if (!series) {
      series = new Series(namespace, name, { ...dimensions }, unit, key, this);
      this.byKey.set(key, series);
    } else if (unit && !series.unit) {
      series.unit = unit;
    }
    return series;
  }

  /** The series of exactly this identity, if anything was ever recorded or asked for under it. */
  find(identity: MetricIdentity): Series | undefined {
    return this.byKey.get(seriesKey(identity.namespace, identity.name, identity.dimensions));
  }

  list(): Series[] {
    return [...this.byKey.values()];
  }

  /** @internal a series opened a new bucket */
  touched(series: Series, start: number): void {
    if (this.persistDir) this.pending.push({ series, start });
  }

  /** Writes the buckets that have closed since the last flush; drops those past the retention. */
  flush(final = false): void {
    const now = this.now();
    const oldest = now - this.retentionMs;
    if (this.persistDir && this.pending.length > 0) {
      const open: typeof this.pending = [];
      const lines: string[] = [];
      for (const entry of this.pending) {
        const closed = final || entry.start + this.resolutionMs <= now;
        const bucket = entry.series.buckets.get(entry.start);
        if (!bucket) continue;
        if (!closed) {
          open.push(entry);
          continue;
        }
        const line: PersistedBucket = {
          t: entry.start,
          ns: entry.series.namespace,
          name: entry.series.name,
          dims: { ...entry.series.dimensions },
          agg: bucket.toJSON(),
        };
        if (entry.series.unit) line.unit = entry.series.unit;
        lines.push(JSON.stringify(line));
      }
      this.pending = open;
      if (lines.length > 0) {
        try {
          appendFileSync(
            join(this.persistDir, `${new Date(now).toISOString().slice(0, 10)}.jsonl`),
            `${lines.join('\n')}\n`,
          );
        } catch (error) {
          process.stderr.write(
            `local-runtime metrics: cannot write under ${this.persistDir}: ${(error as Error).message}\n`,
          );
        }
      }
    }
    for (const series of this.byKey.values()) series.prune(oldest);
  }

  close(): void {
    clearInterval(this.timer);
    this.flush(true);
  }

  private load(dir: string): void {
    const oldest = this.now() - this.retentionMs;
    const files = readdirSync(dir).filter((name) => /^\d{4}-\d\d-\d\d\.jsonl$/.test(name));
    for (const file of files) {
      if (Date.parse(file.slice(0, 10)) + 86_400_000 < oldest) continue;
      for (const text of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!text) continue;
        let line: PersistedBucket;
        try {
          line = JSON.parse(text) as PersistedBucket;
        } catch {
          continue;
        }
        if (line.t < oldest) continue;
        const series = this.series(line.ns, line.name, line.dims, line.unit);
        const start = line.t - (line.t % this.resolutionMs);
        const bucket = series.buckets.get(start);
        const restored = Aggregate.fromJSON(line.agg);
        if (bucket) bucket.merge(restored);
        else series.buckets.set(start, restored);
      }
    }
  }
}

function seriesKey(
  namespace: string,
  name: string,
  dimensions: Readonly<Record<string, string>>,
): string {
  const names = Object.keys(dimensions).sort();
  let key = `${namespace}\u0000${name}`;
  for (const dimension of names) key += `\u0000${dimension}=${dimensions[dimension]}`;
  return key;
}
