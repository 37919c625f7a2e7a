import type { LogRecord, LogSink } from '../logs/types';
import { parseEmf } from '../logs/emf';
import { compileFilterPattern, fieldValue, type CompiledPattern } from './filter-pattern';
import type { MetricStore } from './metric-store';
import { LOCAL } from './namespaces';

/** An `AWS::Logs::MetricFilter` resolved from the assembly. */
export interface MetricFilterSpec {
  /** `<stack>/<logicalId>`. */
  id: string;
  logGroupName: string;
  filterPattern: string;
  transformations: {
    metricNamespace: string;
    metricName: string;
    /** `1`, a number, `$.field` or `$name`. */
    metricValue: string;
    defaultValue?: number;
    unit?: string;
    /** Dimension name → `$.field` / `$name`. */
    dimensions?: Record<string, string>;
  }[];
}

interface CompiledFilter {
  spec: MetricFilterSpec;
  pattern: CompiledPattern;
}

/**
 * Observes every log line the functions write, as CloudWatch Logs would ingest it, and publishes
 * the metrics CloudWatch would extract from it: every Embedded Metric Format directive (namespace,
 * dimension sets, units, the line's own timestamp) and every metric filter of the line's log group.
 * Also counts the bytes ingested per log group (`LocalRuntime` `IncomingBytes`, as CloudWatch Logs'
 * own `AWS/Logs` metric measures them, for the cost report). Returns a sink that forwards everything.
 */
export function observeLogs(
  sink: LogSink,
  store: MetricStore,
  filters: readonly MetricFilterSpec[],
  warn: (line: string) => void,
): LogSink {
  const byGroup = new Map<string, CompiledFilter[]>();
  for (const spec of filters) {
    let pattern: CompiledPattern;
    try {
      pattern = compileFilterPattern(spec.filterPattern);
    } catch (error) {
      warn(`metric filter ${spec.id}: ${(error as Error).message}; it publishes nothing locally`);
      continue;
    }
    const list = byGroup.get(spec.logGroupName) ?? [];
    list.push({ spec, pattern });
    byGroup.set(spec.logGroupName, list);
  }
  const bytes = new Map<string, ReturnType<MetricStore['series']>>();

  const observe = (record: LogRecord): void => {
    let series = bytes.get(record.logGroup);
    if (!series)
      bytes.set(
        record.logGroup,
        (series = store.series(LOCAL, 'IncomingBytes', { LogGroupName: record.logGroup }, 'Bytes')),
      );
    // CloudWatch Logs bills the event's UTF-8 bytes plus 26 bytes of metadata per event.
    series.record(Buffer.byteLength(record.message, 'utf8') + 26, record.timestamp);
    const message = record.message;
    if (message.charCodeAt(0) === 123 /* { */ && message.includes('"_aws"')) {
      for (const metric of parseEmf(message)) {
        const target = store.series(metric.namespace, metric.name, metric.dimensions, metric.unit);
        const at = metric.timestamp ?? record.timestamp;
        for (const value of metric.values) target.record(value, at);
      }
    }
    for (const { spec, pattern } of byGroup.get(record.logGroup) ?? []) {
      const fields = pattern.match(message);
      for (const t of spec.transformations) {
        if (!fields) {
          if (t.defaultValue !== undefined)
            store
              .series(t.metricNamespace, t.metricName, {}, t.unit)
              .record(t.defaultValue, record.timestamp);
          continue;
        }
        const raw = t.metricValue.startsWith('$')
          ? fieldValue(fields, t.metricValue)
          : t.metricValue;
        const value = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(value)) continue;
        const dimensions: Record<string, string> = {};
        let complete = true;
        for (const [name, selector] of Object.entries(t.dimensions ?? {})) {
          const dimension = fieldValue(fields, selector);
          if (dimension === undefined || dimension === null) complete = false;
          else dimensions[name] = String(dimension);
        }
        // CloudWatch publishes nothing for an event that lacks a dimension's field.
        if (complete)
          store
            .series(t.metricNamespace, t.metricName, dimensions, t.unit)
            .record(value, record.timestamp);
      }
    }
  };

  return {
    active: true,
    write(record) {
      try {
        observe(record);
      } catch (error) {
        warn(`log metrics: ${(error as Error).message}`);
      }
      if (sink.active !== false) sink.write(record);
    },
    flush: () => sink.flush(),
    close: () => sink.close(),
  };
}
