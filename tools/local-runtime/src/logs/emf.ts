import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * One metric value set as CloudWatch extracts it from an Embedded Metric Format log line: one per
 * metric, per dimension set, per directive.
 */
export interface EmfMetric {
  timestamp: number;
  logGroup: string;
  requestId: string | null;
  namespace: string;
  name: string;
  unit: string | undefined;
  values: number[];
  dimensions: Record<string, string>;
}

interface EmfDirective {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The metrics in one log message. As in CloudWatch, only a message that is a JSON object with an
 * `_aws.CloudWatchMetrics` directive counts (a console.log'd EMF object, prefixed by the runtime,
 * is not a metric); a metric whose value is missing or not numeric is skipped.
 */
export function parseEmf(
  message: string,
): Array<
  Omit<EmfMetric, 'logGroup' | 'requestId' | 'timestamp'> & { timestamp: number | undefined }
> {
  if (message.charCodeAt(0) !== 123 /* { */ || !message.includes('"_aws"')) return [];
  let root: unknown;
  try {
    root = JSON.parse(message);
  } catch {
    return [];
  }
  if (!isRecord(root) || !isRecord(root._aws) || !Array.isArray(root._aws.CloudWatchMetrics))
    return [];
  const timestamp = typeof root._aws.Timestamp === 'number' ? root._aws.Timestamp : undefined;
  const found = [];
  for (const directive of root._aws.CloudWatchMetrics as EmfDirective[]) {
    if (
      !isRecord(directive) ||
      typeof directive.Namespace !== 'string' ||
      !Array.isArray(directive.Metrics)
    )
      continue;
    const dimensionSets: string[][] =
      Array.isArray(directive.Dimensions) && directive.Dimensions.length > 0
        ? directive.Dimensions.filter(Array.isArray)
        : [[]];
    for (const definition of directive.Metrics) {
      if (!isRecord(definition) || typeof definition.Name !== 'string') continue;
      const raw = root[definition.Name];
      const values = (Array.isArray(raw) ? raw : [raw]).filter(
        (v): v is number => typeof v === 'number',
      );
      if (values.length === 0) continue;
      for (const set of dimensionSets) {
        const dimensions: Record<string, string> = {};
        for (const name of set) if (root[name] !== undefined) dimensions[name] = String(root[name]);
        found.push({
          timestamp,
          namespace: directive.Namespace,
          name: definition.Name,
          unit: typeof definition.Unit === 'string' ? definition.Unit : undefined,
          values,
          dimensions,
        });
      }
    }
  }
  return found;
}

/** Every EMF metric in the `.jsonl` log files under `logsDir` (flush the log sink first). */
export async function readMetrics(logsDir: string): Promise<EmfMetric[]> {
  let names: string[];
  try {
    names = (await readdir(logsDir)).filter((name) => name.endsWith('.jsonl')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const metrics: EmfMetric[] = [];
  for (const name of names) {
    const lines = createInterface({
      input: createReadStream(join(logsDir, name)),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (!line.includes('_aws')) continue;
      let record: {
        timestamp?: number;
        logGroup?: string;
        requestId?: string | null;
        message?: string;
      };
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof record.message !== 'string') continue;
      for (const metric of parseEmf(record.message)) {
        metrics.push({
          ...metric,
          timestamp: metric.timestamp ?? record.timestamp ?? 0,
          logGroup: record.logGroup ?? name,
          requestId: record.requestId ?? null,
        });
      }
    }
  }
  return metrics;
}

export interface MetricSummary {
  namespace: string;
  name: string;
  unit: string | undefined;
  dimensions: Record<string, string>;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Aggregates like CloudWatch statistics over the whole period: one row per metric and dimensions. */
export function summarizeMetrics(metrics: EmfMetric[]): MetricSummary[] {
  const rows = new Map<string, MetricSummary>();
  for (const metric of metrics) {
    const dims = Object.keys(metric.dimensions)
      .sort()
      .map((k) => `${k}=${metric.dimensions[k]}`)
      .join(',');
    const key = `${metric.namespace}\u0000${metric.name}\u0000${dims}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        namespace: metric.namespace,
        name: metric.name,
        unit: metric.unit,
        dimensions: metric.dimensions,
        count: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
      };
      rows.set(key, row);
    }
    for (const value of metric.values) {
      row.count++;
      row.sum += value;
      if (value < row.min) row.min = value;
      if (value > row.max) row.max = value;
    }
  }
  return [...rows.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

/** The `metrics` printout: one line per metric and dimension set. */
export function formatMetricsSummary(summaries: MetricSummary[]): string {
  if (summaries.length === 0) return 'No EMF metrics found.';
  return summaries
    .map((s) => {
      const dims = Object.entries(s.dimensions)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      const unit = s.unit && s.unit !== 'None' ? ` ${s.unit}` : '';
      return `${s.namespace} ${s.name}${dims ? ` {${dims}}` : ''}: count=${s.count} sum=${s.sum}${unit} min=${s.min} max=${s.max}`;
    })
    .join('\n');
}
