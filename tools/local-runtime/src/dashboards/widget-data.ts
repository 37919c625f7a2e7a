import type { DashboardSpec } from '../assembly';
import type { AlarmStatus } from '../alarms/alarm-service';
import { compileExpression, type TimeSeries } from '../alarms/metric-math';
import type { MetricStore } from '../metrics/metric-store';

/** One line of a graph: its label and points `[timestamp ms, value]`. */
export interface Line {
  label: string;
  points: [number, number][];
  /** Statistic and period (ms, as plotted) behind the line. */
  stat?: string;
  periodMs: number;
  /** Error shown instead of data (an expression that cannot be evaluated locally). */
  error?: string;
}

export type WidgetData =
  | {
      type: 'metric';
      title: string;
      view: string;
      x: number;
      y: number;
      width: number;
      height: number;
      lines: Line[];
      annotations: { value: number; label?: string }[];
    }
  | {
      type: 'alarm';
      title: string;
      x: number;
      y: number;
      width: number;
      height: number;
      alarms: { name: string; state: string; reason: string; since: number }[];
    }
  | { type: 'text'; x: number; y: number; width: number; height: number; markdown: string }
  | {
      type: 'unsupported';
      title: string;
      x: number;
      y: number;
      width: number;
      height: number;
      reason: string;
    };

export interface DashboardData {
  name: string;
  stackName: string;
  start: number;
  end: number;
  periodMs: number;
  widgets: WidgetData[];
}

interface MetricRow {
  id: string;
  label: string;
  visible: boolean;
  stat: string;
  periodSeconds?: number;
  metric?: { namespace: string; name: string; dimensions: Record<string, string> };
  expression?: string;
}

/**
 * A dashboard's widgets with their data over [start, end), as the CloudWatch console would draw
 * them: each `metric` widget's rows (`[namespace, name, dim, value, …, {options}]`, `"."` repeating
 * the row above, `{expression}` rows with metric math), `alarm` widgets with their alarms' states,
 * `text` widgets' markdown. Periods follow the dashboard's `periodOverride` as the console does:
 * `auto` (the default) picks a period that gives about 60 points over the range (never below the
 * store's resolution); `inherit` keeps each widget's period (scaled by `timeScale`).
 */
export function dashboardData(
  dashboard: DashboardSpec,
  store: MetricStore,
  alarms: readonly AlarmStatus[],
  range: { start: number; end: number },
  timeScale: number,
): DashboardData {
  const span = Math.max(store.resolutionMs, range.end - range.start);
  const autoPeriod = Math.max(
    store.resolutionMs,
    Math.ceil(span / 60 / store.resolutionMs) * store.resolutionMs,
  );
  const inherit = dashboard.body.periodOverride === 'inherit';
  const byArn = new Map(alarms.map((a) => [a.alarm.arn, a]));
  const widgets: WidgetData[] = [];
  for (const raw of (dashboard.body.widgets ?? []) as Record<string, unknown>[]) {
    const props = (raw['properties'] ?? {}) as Record<string, unknown>;
    const place = {
      x: Number(raw['x'] ?? 0),
      y: Number(raw['y'] ?? 0),
      width: Number(raw['width'] ?? 6),
      height: Number(raw['height'] ?? 6),
    };
    const type = String(raw['type']);
    if (type === 'text') {
      widgets.push({ type: 'text', ...place, markdown: String(props['markdown'] ?? '') });
    } else if (type === 'alarm') {
      const arns = (props['alarms'] ?? []) as string[];
      widgets.push({
        type: 'alarm',
        title: String(props['title'] ?? 'Alarms'),
        ...place,
        alarms: arns.map((arn) => {
          const status = byArn.get(arn);
          return status
            ? {
                name: status.alarm.alarmName,
                state: status.state,
                reason: status.reason,
                since: status.since,
              }
            : {
                name: arn.slice(arn.lastIndexOf(':') + 1),
                state: 'INSUFFICIENT_DATA',
                reason: 'not an alarm of this assembly',
                since: 0,
              };
        }),
      });
    } else if (type === 'metric') {
      const rows = metricRows(props);
      const widgetPeriod = (row: MetricRow) =>
        (row.periodSeconds ?? Number(props['period'] ?? 300)) * 1000 * timeScale;
      const periodOf = (row: MetricRow) =>
        inherit ? Math.max(store.resolutionMs, widgetPeriod(row)) : autoPeriod;
      const start = range.start - (range.start % autoPeriod);
      const values = new Map<string, TimeSeries>();
      const lines: Line[] = [];
      for (const row of rows.filter((r) => r.metric)) {
        const series = store.find(row.metric!);
        const periodMs = periodOf(row);
        let points: [number, number][] = [];
        try {
          points = series
            ? series
                .datapoints(row.stat, periodMs, start - (start % periodMs), range.end)
                .map((p) => [p.timestamp, p.value])
            : [];
        } catch (error) {
          if (row.visible)
            lines.push({
              label: row.label,
              points: [],
              stat: row.stat,
              periodMs,
              error: (error as Error).message,
            });
          continue;
        }
        values.set(row.id, new Map(points));
        if (row.visible) lines.push({ label: row.label, points, stat: row.stat, periodMs });
      }
      for (const row of rows.filter((r) => r.expression !== undefined)) {
        const periodMs = autoPeriod;
        try {
          const compiled = compileExpression(row.expression!);
          const timestamps: number[] = [];
          for (let t = start; t < range.end; t += periodMs) timestamps.push(t);
          const result = compiled.evaluate(
            (id) => values.get(id),
            () => [...values.values()],
            timestamps,
          );
          values.set(row.id, result);
          if (row.visible)
            lines.push({
              label: row.label,
              points: [...result].sort((a, b) => a[0] - b[0]),
              periodMs,
            });
        } catch (error) {
          if (row.visible)
            lines.push({ label: row.label, points: [], periodMs, error: (error as Error).message });
        }
      }
      const annotations = (
        (props['annotations'] as { horizontal?: { value: number; label?: string }[] } | undefined)
          ?.horizontal ?? []
      ).map((a) => ({ value: Number(a.value), label: a.label }));
      widgets.push({
        type: 'metric',
        title: String(props['title'] ?? ''),
        view: String(props['view'] ?? 'timeSeries'),
        ...place,
        lines,
        annotations,
      });
    } else {
      widgets.push({
        type: 'unsupported',
        title: String(props['title'] ?? type),
        ...place,
        reason: `widget type ${type} is not rendered locally`,
      });
    }
  }
  return {
    name: dashboard.dashboardName,
    stackName: dashboard.stackName,
    start: range.start,
    end: range.end,
    periodMs: autoPeriod,
    widgets,
  };
}

/** The rows of a metric widget, with `"."` expanded and default ids `m1`, `m2`, … as the console assigns. */
function metricRows(props: Record<string, unknown>): MetricRow[] {
  const rows: MetricRow[] = [];
  let previous: string[] = [];
  let counter = 0;
  for (const entry of (props['metrics'] ?? []) as unknown[][]) {
    const last = entry[entry.length - 1];
    const options = (
      last && typeof last === 'object' && !Array.isArray(last) ? last : {}
    ) as Record<string, unknown>;
    const tokens = entry.filter((item) => typeof item === 'string') as string[];
    counter++;
    const id = typeof options['id'] === 'string' ? options['id'] : `m${counter}`;
    const visible = options['visible'] !== false;
    if (typeof options['expression'] === 'string') {
      rows.push({
        id,
        label: String(options['label'] ?? options['expression']),
        visible,
        stat: '',
        expression: options['expression'],
      });
      continue;
    }
    const expanded = tokens.map((token, i) => (token === '.' ? (previous[i] ?? '') : token));
    previous = expanded;
    const [namespace = '', name = '', ...pairs] = expanded;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i]!] = pairs[i + 1]!;
    const stat = String(options['stat'] ?? props['stat'] ?? 'Average');
    const dimText = Object.values(dimensions).join(' ');
    rows.push({
      id,
      label: String(options['label'] ?? `${name}${dimText ? ` ${dimText}` : ''} (${stat})`),
      visible,
      stat,
      periodSeconds: options['period'] === undefined ? undefined : Number(options['period']),
      metric: { namespace, name, dimensions },
    });
  }
  return rows;
}
