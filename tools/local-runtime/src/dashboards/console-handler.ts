import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardSpec } from '../assembly';
import type { AlarmService, AlarmStatus } from '../alarms/alarm-service';
import type { MetricStore } from '../metrics/metric-store';
import { statisticFn } from '../metrics/statistics';
import { renderPage, type PageSection, type PageWidget } from './page';
import { dashboardData } from './widget-data';

/** Everything under this path is the runtime's own console, never an API route. */
export const LOCAL_CONSOLE_PATH = '/_local';

export interface ConsoleOptions {
  store: MetricStore;
  alarms: AlarmService;
  dashboards: readonly DashboardSpec[];
  /** When the runtime started: the default start of every time range. */
  startedAt: number;
}

/**
 * The local console, served by the runtime:
 *
 * | path | what |
 * |---|---|
 * | `GET /_local/dashboards` | the assembly's dashboards, each linked |
 * | `GET /_local/dashboards/<name>` | one dashboard, live (`?minutes=N` for the range; default since start, at most the dashboard's own `start`) |
 * | `GET /_local/alarms` | every alarm: state, reason, history |
 * | `GET /_local/api/dashboards/<name>`, `/_local/api/alarms` | the same as JSON (`{ sections }`, what the pages redraw from) |
 * | `GET /_local/api/metrics` | every series: identity and unit |
 * | `GET /_local/api/metric-data?namespace=&name=&dim.<Name>=<value>&stat=&period=&start=&end=` | datapoints, like GetMetricData |
 * | `GET /_local/api/metric-statistics?namespace=&name=&dim.<Name>=<value>&stat=&start=&end=` | one statistic over [start, end) (buckets of the store's resolution), with its sample count |
 */
export function createConsoleHandler(
  options: ConsoleOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { store, alarms } = options;
  const byName = new Map(options.dashboards.map((d) => [d.dashboardName, d]));
  const refreshMs = Math.max(1_000, Math.min(10_000, store.resolutionMs));

  const rangeOf = (url: URL, dashboard?: DashboardSpec) => {
    const end = store.now();
    const minutes = Number(url.searchParams.get('minutes'));
    const declared = dashboard ? durationMs(dashboard.body.start) : undefined;
    const cap = (declared ?? 3 * 3_600_000) * alarms.timeScale;
    const start =
      Number.isFinite(minutes) && minutes > 0
        ? end - minutes * 60_000
        : Math.max(options.startedAt, end - cap);
    return { start: Math.min(start, end - store.resolutionMs), end };
  };
  const dashboardSections = (dashboard: DashboardSpec, url: URL): PageSection[] => {
    const data = dashboardData(
      dashboard,
      store,
      alarms.statuses(),
      rangeOf(url, dashboard),
      alarms.timeScale,
    );
    return [
      {
        heading: dashboard.dashboardName,
        note: `${dashboard.stackName} · ${new Date(data.start).toISOString()} – ${new Date(data.end).toISOString()} · period ${data.periodMs / 1000} s (auto)${scaleNote(alarms.timeScale)}`,
        widgets: data.widgets,
      },
    ];
  };
  const alarmSections = (): PageSection[] => {
    const statuses = alarms.statuses();
    const counts = ['ALARM', 'OK', 'INSUFFICIENT_DATA']
      .map((state) => `${statuses.filter((s) => s.state === state).length} ${state}`)
      .join(', ');
    const history = statuses
      .flatMap((s) => s.history)
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, 200);
    const widgets: PageWidget[] = [
      {
        type: 'table',
        title: `Alarms (${counts})`,
        x: 0,
        y: 0,
        width: 24,
        height: Math.min(40, 2 + Math.ceil(statuses.length / 1.5)),
        columns: ['state', 'alarm', 'stack', 'since', 'reason'],
        rows: statuses.map((s) => alarmRow(s)),
      },
      {
        type: 'table',
        title: 'History (newest first)',
        x: 0,
        y: 40,
        width: 24,
        height: Math.min(30, 2 + history.length),
        columns: ['time', 'alarm', 'change', 'reason', 'notified'],
        rows: history.map((t) => [
          new Date(t.timestamp).toISOString(),
          t.alarmName,
          `${t.oldState} → ${t.newState}`,
          t.reason,
          t.notified.map((arn) => arn.slice(arn.lastIndexOf(':') + 1)).join(', '),
        ]),
      },
    ];
    return [
      {
        heading: 'Alarms',
        note: `Evaluated every ${(60 * alarms.timeScale).toFixed(alarms.timeScale < 1 ? 1 : 0)} s${scaleNote(alarms.timeScale)}`,
        widgets,
      },
    ];
  };
  const links = {
    dashboards: `${LOCAL_CONSOLE_PATH}/dashboards`,
    alarms: `${LOCAL_CONSOLE_PATH}/alarms`,
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.replace(/\/+$/, '');
    if (!path.startsWith(LOCAL_CONSOLE_PATH) || (req.method !== 'GET' && req.method !== 'HEAD'))
      return false;
    const rest = path.slice(LOCAL_CONSOLE_PATH.length);
    if (rest === '' || rest === '/dashboards') {
      const rows = options.dashboards.map((d) => [
        d.dashboardName,
        d.stackName,
        `${((d.body.widgets ?? []) as unknown[]).length} widgets`,
      ]);
      const page = renderPage({
        title: 'Local dashboards',
        subtitle: 'From the cloud assembly, drawn from the local metrics.',
        links,
        sections: [
          {
            heading: 'Dashboards',
            widgets: [
              {
                type: 'table',
                title: '',
                x: 0,
                y: 0,
                width: 24,
                height: 2 + rows.length,
                columns: ['dashboard', 'stack', 'widgets'],
                rows,
              },
            ],
          },
        ],
      });
      // Names link to their pages (the table is generic: links are added here).
      return html(
        res,
        page.replace(
          '</main>',
          `</main><nav style="padding:0 18px 18px">${options.dashboards.map((d) => `<a href="${LOCAL_CONSOLE_PATH}/dashboards/${encodeURIComponent(d.dashboardName)}">${escape(d.dashboardName)}</a>`).join(' · ')}</nav>`,
        ),
      );
    }
    const dashboardPage = /^\/dashboards\/([^/]+)$/.exec(rest);
    if (dashboardPage) {
      const dashboard = byName.get(decodeURIComponent(dashboardPage[1]!));
      if (!dashboard)
        return notFound(
          res,
          `no dashboard ${decodeURIComponent(dashboardPage[1]!)}; see ${LOCAL_CONSOLE_PATH}/dashboards`,
        );
      return html(
        res,
        renderPage({
          title: `Dashboard ${dashboard.dashboardName}`,
          subtitle: 'Refreshes itself.',
          links,
          sections: dashboardSections(dashboard, url),
          live: {
            dataUrl: `${LOCAL_CONSOLE_PATH}/api/dashboards/${encodeURIComponent(dashboard.dashboardName)}${url.search}`,
            intervalMs: refreshMs,
          },
        }),
      );
    }
    if (rest === '/alarms')
      return html(
        res,
        renderPage({
          title: 'Local alarms',
          links,
          sections: alarmSections(),
          live: { dataUrl: `${LOCAL_CONSOLE_PATH}/api/alarms`, intervalMs: refreshMs },
        }),
      );
    const dashboardApi = /^\/api\/dashboards\/([^/]+)$/.exec(rest);
    if (dashboardApi) {
      const dashboard = byName.get(decodeURIComponent(dashboardApi[1]!));
      return dashboard
        ? json(res, { sections: dashboardSections(dashboard, url) })
        : notFound(res, 'no such dashboard');
    }
    if (rest === '/api/alarms')
      return json(res, {
        sections: alarmSections(),
        alarms: alarms
          .statuses()
          .map((s) => ({
            name: s.alarm.alarmName,
            arn: s.alarm.arn,
            stackName: s.alarm.stackName,
            state: s.state,
            reason: s.reason,
            since: s.since,
            unsupported: s.unsupported,
            history: s.history,
          })),
      });
    if (rest === '/api/metrics')
      return json(res, {
        resolutionMs: store.resolutionMs,
        timeScale: alarms.timeScale,
        series: store
          .list()
          .map((s) => ({
            namespace: s.namespace,
            name: s.name,
            dimensions: s.dimensions,
            unit: s.unit,
          })),
      });
    if (rest === '/api/metric-statistics') {
      const q = url.searchParams;
      const dimensions: Record<string, string> = {};
      for (const [key, value] of q) if (key.startsWith('dim.')) dimensions[key.slice(4)] = value;
      const series = store.find({
        namespace: q.get('namespace') ?? '',
        name: q.get('name') ?? '',
        dimensions,
      });
      const aggregate = series?.aggregate(
        Number(q.get('start') ?? 0),
        Number(q.get('end') ?? store.now() + store.resolutionMs),
      );
      try {
        const value = aggregate ? statisticFn(q.get('stat') ?? 'Sum')(aggregate) : undefined;
        return json(res, {
          unit: series?.unit,
          value: value ?? null,
          sampleCount: aggregate?.count ?? 0,
        });
      } catch (error) {
        return json(res, { message: (error as Error).message }, 400);
      }
    }
    if (rest === '/api/metric-data') {
      const q = url.searchParams;
      const dimensions: Record<string, string> = {};
      for (const [key, value] of q) if (key.startsWith('dim.')) dimensions[key.slice(4)] = value;
      const series = store.find({
        namespace: q.get('namespace') ?? '',
        name: q.get('name') ?? '',
        dimensions,
      });
      const period = Number(q.get('period') ?? store.resolutionMs);
      const start = Number(q.get('start') ?? options.startedAt);
      const end = Number(q.get('end') ?? store.now() + store.resolutionMs);
      try {
        return json(res, {
          unit: series?.unit,
          datapoints: series
            ? series.datapoints(
                q.get('stat') ?? 'Average',
                Math.max(store.resolutionMs, period),
                start,
                end,
              )
            : [],
        });
      } catch (error) {
        return json(res, { message: (error as Error).message }, 400);
      }
    }
    return notFound(
      res,
      `no ${path}; see ${LOCAL_CONSOLE_PATH}/dashboards and ${LOCAL_CONSOLE_PATH}/alarms`,
    );
  };
}

function alarmRow(s: AlarmStatus) {
  return [
    { state: s.state },
    s.alarm.alarmName,
    s.alarm.stackName,
    s.since ? new Date(s.since).toISOString() : '',
    s.unsupported ? `not evaluated locally: ${s.unsupported}` : s.reason,
  ];
}

function scaleNote(scale: number): string {
  return scale === 1 ? '' : ` · periods scaled ×${scale} (--alarm-period-scale)`;
}

/** `-PT3H` → 3 hours in ms (ISO 8601 durations as dashboards write them). */
function durationMs(text: string | undefined): number | undefined {
  const match = /^-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text ?? '');
  if (!match) return undefined;
  const [, d, h, m, s] = match.map((v) => Number(v ?? 0));
  return ((((d ?? 0) * 24 + (h ?? 0)) * 60 + (m ?? 0)) * 60 + (s ?? 0)) * 1000;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(res: ServerResponse, body: string): true {
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(body);
  return true;
}

function json(res: ServerResponse, value: unknown, status = 200): true {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(value));
  return true;
}

function notFound(res: ServerResponse, message: string): true {
  res
    .writeHead(404, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: message }));
  return true;
}
