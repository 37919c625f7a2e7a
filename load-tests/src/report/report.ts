import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPage, tableHeight, type LocalSystem, type PageSection, type PageWidget } from '@sm/local-runtime';
import type { ScenarioResult } from '../scenarios';
import { statusList } from '../verdict';
import type { LocalMetrics } from './local-metrics';
import { PRICES, SECONDS_PER_MONTH } from './prices';
import { percentile } from './timeline';

/** One scenario as it ran: its result and when its load phase ran. */
export interface RanScenario {
  result: ScenarioResult;
  start: number;
  end: number;
}

export interface FunctionInWindow {
  functionName: string;
  invocations: number;
  errors: number;
  throttles: number;
  p99Ms: number | null;
  maxConcurrency: number | null;
  reservedConcurrency: number | null;
  coldStarts: number;
}

export interface RouteCost {
  scenario: string;
  route: string;
  requests: number;
  /** USD per million requests of this route, by what AWS bills. */
  perMillion: {
    apiGateway: number;
    lambdaRequests: number;
    lambdaDuration: number;
    dynamoDb: number;
    logs: number;
    total: number;
  };
  stageRateLimit: number;
  /** USD per 30-day month with the route at its stage rate limit all the time. */
  perMonthAtStageLimit: number;
}

export interface LoadReport {
  createdAt: string;
  target: string;
  local: boolean;
  secondsPerPhase: number;
  /** `--alarm-period-scale` of the local runtime (1 = CloudWatch's own periods). */
  alarmPeriodScale?: number;
  scenarios: {
    name: string;
    route: string;
    targetRps: number;
    achievedRps: number;
    sent: number;
    statuses: string;
    p50Ms: number;
    p99Ms: number;
    passed: boolean;
    failures: string[];
    window: { start: number; end: number };
    timeline: {
      t: number;
      statuses: Record<string, number>;
      p50: number | null;
      p95: number | null;
      p99: number | null;
    }[];
    functions?: FunctionInWindow[];
  }[];
  /** Concurrency per function over the run against its reservation (local runs). */
  concurrency?: { functionName: string; reserved: number | null; points: [number, number][] }[];
  /** Alarms that changed state during the run (local runs). */
  alarms?: {
    alarmName: string;
    oldState: string;
    newState: string;
    reason: string;
    timestamp: number;
    scenario?: string;
  }[];
  capacity: {
    /** What `npm run check:capacity -- --measured report.json` reads. */
    measured: {
      stackName: string;
      logicalId: string;
      functionName: string;
      p99Ms: number;
      invocations: number;
    }[];
    /** The capacity check's report with these measured durations (JSON of `check:capacity --json`). */
    check?: unknown;
    checkError?: string;
  };
  cost?: { prices: typeof PRICES; routes: RouteCost[]; provisioned?: ProvisionedConcurrencyCost[] };
}

/** The fixed cost of provisioned concurrency on one function's alias: paid whatever the traffic. */
export interface ProvisionedConcurrencyCost {
  functionName: string;
  alias: string;
  concurrency: number;
  memoryMb: number;
  architecture: string;
  /** USD per 30-day month for keeping them provisioned. */
  perMonth: number;
}

/**
 * Provisioned concurrency from the templates (`ProvisionedConcurrencyConfig` of each alias; off by
 * default in the limits files): environments × memory × the month × the provisioned price. Calls
 * they serve are billed at the lower provisioned duration price; the routes' cost above keeps the
 * on-demand one, an upper bound.
 */
export function provisionedConcurrencyCost(system: Pick<LocalSystem, 'functions' | 'lambdaVersions'>): ProvisionedConcurrencyCost[] {
  return system.lambdaVersions.aliases
    .filter((alias) => alias.provisionedConcurrency > 0)
    .flatMap((alias) => {
      const fn = system.functions.find((candidate) => candidate.id === alias.functionId);
      if (!fn) return [];
      const architecture = fn.architecture ?? 'x86_64';
      const price = PRICES.lambdaProvisionedConcurrency.perGbSecond[architecture] ?? PRICES.lambdaProvisionedConcurrency.perGbSecond['x86_64']!;
      return [
        {
          functionName: fn.functionName,
          alias: alias.name,
          concurrency: alias.provisionedConcurrency,
          memoryMb: fn.memorySizeMB,
          architecture,
          perMonth: round(alias.provisionedConcurrency * (fn.memorySizeMB / 1024) * SECONDS_PER_MONTH * price, 2),
        },
      ];
    });
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Everything the report says about a local run, read from the runtime's metrics before it stops. */
export async function collectLocal(
  ran: RanScenario[],
  system: LocalSystem,
  metrics: LocalMetrics,
): Promise<
  Pick<LoadReport, 'concurrency' | 'alarms' | 'capacity' | 'cost'> & {
    functions: Map<string, FunctionInWindow[]>;
  }
> {
  const fns = system.functions;
  const runStart = Math.min(...ran.map((r) => r.start));
  const runEnd = Math.max(...ran.map((r) => r.end));
  const stat = (
    name: string,
    dims: Record<string, string>,
    s: string,
    start: number,
    end: number,
  ) => metrics.statistic('AWS/Lambda', name, dims, s, start, end).then((r) => r.value);

  const functions = new Map<string, FunctionInWindow[]>();
  const costs: RouteCost[] = [];
  for (const run of ran) {
    const inWindow: FunctionInWindow[] = [];
    let lambdaRequests = 0;
    let gbSeconds = 0;
    let lambdaDurationCost = 0;
    for (const fn of fns) {
      const dims = { FunctionName: fn.functionName };
      const invocations = (await stat('Invocations', dims, 'Sum', run.start, run.end)) ?? 0;
      const throttles = (await stat('Throttles', dims, 'Sum', run.start, run.end)) ?? 0;
      if (invocations === 0 && throttles === 0) continue;
      const billedMs =
        (
          await metrics.statistic(
            'LocalRuntime',
            'BilledDuration',
            { ...dims, MemorySize: String(fn.memorySizeMB) },
            'Sum',
            run.start,
            run.end,
          )
        ).value ?? 0;
      const coldStarts =
        (
          await metrics.statistic(
            'LocalRuntime',
            'InitDuration',
            dims,
            'SampleCount',
            run.start,
            run.end,
          )
        ).value ?? 0;
      inWindow.push({
        functionName: fn.functionName,
        invocations,
        errors: (await stat('Errors', dims, 'Sum', run.start, run.end)) ?? 0,
        throttles,
        p99Ms: await stat('Duration', dims, 'p99', run.start, run.end),
        maxConcurrency: await stat('ConcurrentExecutions', dims, 'Maximum', run.start, run.end),
        reservedConcurrency: fn.reservedConcurrency ?? null,
        coldStarts,
      });
      lambdaRequests += invocations;
      const seconds = (billedMs / 1000) * (fn.memorySizeMB / 1024);
      gbSeconds += seconds;
      lambdaDurationCost +=
        seconds *
        (PRICES.lambda.perGbSecond[fn.architecture ?? 'x86_64'] ??
          PRICES.lambda.perGbSecond['x86_64']!);
    }
    functions.set(run.result.name, inWindow);

    let rru = 0;
    let wru = 0;
    for (const table of system.tables) {
      rru +=
        (
          await metrics.statistic(
            'AWS/DynamoDB',
            'ConsumedReadCapacityUnits',
            { TableName: table.tableName },
            'Sum',
            run.start,
            run.end,
          )
        ).value ?? 0;
      wru +=
        (
          await metrics.statistic(
            'AWS/DynamoDB',
            'ConsumedWriteCapacityUnits',
            { TableName: table.tableName },
            'Sum',
            run.start,
            run.end,
          )
        ).value ?? 0;
    }
    let logBytes = 0;
    for (const fn of fns)
      logBytes +=
        (
          await metrics.statistic(
            'LocalRuntime',
            'IncomingBytes',
            { LogGroupName: fn.logGroupName },
            'Sum',
            run.start,
            run.end,
          )
        ).value ?? 0;
    const requests = [...run.result.outcome.statusCounts.values()].reduce((a, b) => a + b, 0);
    if (requests > 0) {
      const per = (usd: number) => round((usd / requests) * 1e6, 4);
      const perMillion = {
        apiGateway: PRICES.apiGatewayRest.perMillionRequests,
        lambdaRequests: per((lambdaRequests / 1e6) * PRICES.lambda.perMillionRequests),
        lambdaDuration: per(lambdaDurationCost),
        dynamoDb: per(
          (rru / 1e6) * PRICES.dynamoDbOnDemand.perMillionReadRequestUnits +
            (wru / 1e6) * PRICES.dynamoDbOnDemand.perMillionWriteRequestUnits,
        ),
        logs: per((logBytes / 1024 ** 3) * PRICES.cloudWatchLogs.perGbIngested),
        total: 0,
      };
      perMillion.total = round(
        perMillion.apiGateway +
          perMillion.lambdaRequests +
          perMillion.lambdaDuration +
          perMillion.dynamoDb +
          perMillion.logs,
        4,
      );
      void gbSeconds;
      costs.push({
        scenario: run.result.name,
        route: `${run.result.limits.method} ${run.result.limits.resourcePath}`,
        requests,
        perMillion,
        stageRateLimit: run.result.limits.rateLimit,
        perMonthAtStageLimit: round(
          (perMillion.total / 1e6) * run.result.limits.rateLimit * SECONDS_PER_MONTH,
          2,
        ),
      });
    }
  }

  const info = await metrics.series();
  const period = Math.max(info.resolutionMs, 1000);
  const concurrency: NonNullable<LoadReport['concurrency']> = [];
  for (const fn of fns) {
    const points = await metrics.datapoints(
      'AWS/Lambda',
      'ConcurrentExecutions',
      { FunctionName: fn.functionName },
      'Maximum',
      period,
      runStart,
      runEnd,
    );
    if (points.length > 0)
      concurrency.push({
        functionName: fn.functionName,
        reserved: fn.reservedConcurrency ?? null,
        points: points.map((p) => [p.timestamp, p.value]),
      });
  }

  const alarms = (await metrics.alarms())
    .flatMap((a) => a.history)
    .filter((t) => t.timestamp >= runStart && t.timestamp <= runEnd + 5_000)
    .map((t) => ({
      alarmName: t.alarmName,
      oldState: t.oldState,
      newState: t.newState,
      reason: t.reason,
      timestamp: t.timestamp,
      scenario: ran.find((r) => t.timestamp >= r.start && t.timestamp <= r.end + 5_000)?.result
        .name,
    }))
    .sort((a, b) => a.timestamp - b.timestamp);

  const measured = [];
  for (const fn of fns) {
    const dims = { FunctionName: fn.functionName };
    const invocations = (await stat('Invocations', dims, 'Sum', runStart, runEnd)) ?? 0;
    const p99 = await stat('Duration', dims, 'p99', runStart, runEnd);
    if (invocations > 0 && p99 !== null) {
      const [stackName, logicalId] = fn.id.split('/') as [string, string];
      measured.push({
        stackName,
        logicalId,
        functionName: fn.functionName,
        p99Ms: round(p99, 1),
        invocations,
      });
    }
  }
  return {
    concurrency,
    alarms,
    capacity: { measured },
    cost: { prices: PRICES, routes: costs, provisioned: provisionedConcurrencyCost(system) },
    functions,
  };
}

/** Runs the static capacity check with the measured durations (`check:capacity --measured --json`). */
export function capacityCheck(
  reportJson: string,
  assemblyDir: string,
  stage?: string,
): { check?: unknown; checkError?: string } {
  const root = resolve(__dirname, '../../..');
  const result = spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    [
      '--tsconfig',
      'tsconfig.base.json',
      'apps/platform/src/capacity-cli.ts',
      '--measured',
      reportJson,
      '--json',
      '--assembly',
      assemblyDir,
      ...(stage ? ['--stage', stage] : []),
    ],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
  try {
    return { check: JSON.parse(result.stdout) };
  } catch {
    return {
      checkError: `check:capacity failed (${result.status}): ${result.stderr.slice(0, 500)}`,
    };
  }
}

export function scenarioEntry(
  run: RanScenario,
  functions?: FunctionInWindow[],
): LoadReport['scenarios'][number] {
  const { result } = run;
  const seconds = result.outcome.timeline?.list() ?? [];
  const answered = [...result.outcome.statusCounts.values()].reduce((a, b) => a + b, 0);
  return {
    name: result.name,
    route: `${result.limits.method} ${result.limits.resourcePath}`,
    targetRps: result.rps,
    achievedRps: round(answered / Math.max(0.001, result.outcome.elapsedSeconds), 1),
    sent: result.outcome.sent,
    statuses: statusList(result.outcome),
    p50Ms: result.outcome.p50Ms,
    p99Ms: result.outcome.p99Ms,
    passed: result.verdict.passed,
    failures: result.verdict.failures,
    window: { start: run.start, end: run.end },
    timeline: seconds.map((s) => ({
      t: s.t,
      statuses: s.statuses,
      p50: percentile(s.latencies, 50) ?? null,
      p95: percentile(s.latencies, 95) ?? null,
      p99: percentile(s.latencies, 99) ?? null,
    })),
    functions,
  };
}

/** Writes `report.json` and the self-contained `report.html` into `dir`. */
export function writeReport(dir: string, report: LoadReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderReport(report));
  return { json, html };
}

function renderReport(report: LoadReport): string {
  const sections: PageSection[] = [];
  const passed = report.scenarios.filter((s) => s.passed).length;
  sections.push({
    heading: `${passed} of ${report.scenarios.length} scenarios passed`,
    note: `${report.target} · ${report.secondsPerPhase} s per phase · ${report.createdAt}${report.alarmPeriodScale !== undefined && report.alarmPeriodScale !== 1 ? ` · alarm periods scaled ×${report.alarmPeriodScale} (--alarm-period-scale): a 5-minute CloudWatch period lasted ${300 * report.alarmPeriodScale} s` : ''}`,
    widgets: [
      {
        type: 'table',
        title: 'Scenarios',
        x: 0,
        y: 0,
        width: 24,
        height: tableHeight(report.scenarios.length),
        columns: [
          'verdict',
          'scenario',
          'target rps',
          'achieved rps',
          'statuses',
          'p50 ms',
          'p99 ms',
          'why',
        ],
        rows: report.scenarios.map((s) => [
          { state: s.passed ? 'OK' : 'ALARM', label: s.passed ? 'PASS' : 'FAIL' },
          s.name,
          s.targetRps,
          s.achievedRps,
          s.statuses,
          s.p50Ms,
          s.p99Ms,
          s.failures.join('; ') || 'every check held',
        ]),
      },
    ],
  });
  for (const s of report.scenarios) {
    const statusCodes = [...new Set(s.timeline.flatMap((t) => Object.keys(t.statuses)))].sort();
    const widgets: PageWidget[] = [
      {
        type: 'metric',
        title: 'Answers per second by status',
        view: 'timeSeries',
        x: 0,
        y: 0,
        width: 12,
        height: 6,
        annotations: [{ value: s.targetRps, label: 'target rps' }],
        lines: statusCodes.map((code) => ({
          label: code,
          periodMs: 1000,
          points: s.timeline.map((t) => [t.t, t.statuses[code] ?? 0] as [number, number]),
        })),
      },
      {
        type: 'metric',
        title: 'Latency (ms) per second',
        view: 'timeSeries',
        x: 12,
        y: 0,
        width: 12,
        height: 6,
        annotations: [],
        lines: (['p50', 'p95', 'p99'] as const).map((p) => ({
          label: p,
          periodMs: 1000,
          points: s.timeline
            .filter((t) => t[p] !== null)
            .map((t) => [t.t, t[p] as number] as [number, number]),
        })),
      },
    ];
    if (s.functions?.length) {
      widgets.push({
        type: 'table',
        title: 'Functions during this phase (local runtime)',
        x: 0,
        y: 6,
        width: 24,
        height: tableHeight(s.functions.length),
        columns: [
          'function',
          'invocations',
          'errors',
          'throttles',
          'p99 ms',
          'max concurrency',
          'reserved',
          'cold starts',
        ],
        rows: s.functions.map((f) => [
          f.functionName,
          f.invocations,
          f.errors,
          f.throttles,
          f.p99Ms === null ? '–' : round(f.p99Ms, 1),
          f.maxConcurrency ?? '–',
          f.reservedConcurrency ?? 'unreserved',
          f.coldStarts,
        ]),
      });
    }
    sections.push({
      heading: `${s.passed ? 'PASS' : 'FAIL'} · ${s.name}`,
      note: `target ${s.targetRps} rps, achieved ${s.achievedRps} rps; ${s.statuses}; ${s.failures.join('; ') || 'every check held'}`,
      widgets,
    });
  }
  if (report.concurrency?.length) {
    sections.push({
      heading: 'Concurrency per function against its reserved concurrency',
      widgets: report.concurrency.map((c, i) => ({
        type: 'metric' as const,
        title: `${c.functionName} (reserved ${c.reserved ?? 'none'})`,
        view: 'timeSeries',
        x: (i % 3) * 8,
        y: Math.floor(i / 3) * 5,
        width: 8,
        height: 5,
        annotations: c.reserved ? [{ value: c.reserved, label: 'reserved' }] : [],
        lines: [{ label: 'ConcurrentExecutions (Maximum)', periodMs: 1000, points: c.points }],
      })),
    });
  }
  if (report.alarms) {
    sections.push({
      heading: `Alarms that changed state during the run: ${report.alarms.length}`,
      widgets: [
        {
          type: 'table',
          title: '',
          x: 0,
          y: 0,
          width: 24,
          height: tableHeight(Math.max(1, report.alarms.length)),
          columns: ['time', 'scenario', 'alarm', 'change', 'reason'],
          rows: report.alarms.map((a) => [
            new Date(a.timestamp).toISOString(),
            a.scenario ?? '',
            a.alarmName,
            `${a.oldState} → ${a.newState}`,
            a.reason,
          ]),
        },
      ],
    });
  }
  const check = report.capacity.check as
    | {
        functions?: {
          stackName: string;
          entry: string;
          rateLimit: number;
          p99Ms: number;
          p99Source: string;
          steadyConcurrency: number;
          reservedConcurrency: number;
          headroom: number;
          maxRate: number;
          ok: boolean;
        }[];
      }
    | undefined;
  sections.push({
    heading: "Capacity: stage rate × p99 ≤ reserved concurrency × headroom (Little's law)",
    note:
      report.capacity.checkError ??
      'From `npm run check:capacity -- --measured report.json`: measured p99 where this run measured the function, assumed (limits.ts) elsewhere.',
    widgets: check?.functions
      ? [
          {
            type: 'table',
            title: '',
            x: 0,
            y: 0,
            width: 24,
            height: tableHeight(check.functions.length),
            columns: [
              'ok',
              'function',
              'Σ stage rate /s',
              'p99 ms',
              'rate × p99',
              'reserved × headroom',
              'highest rate it carries /s',
            ],
            rows: check.functions.map((f) => [
              { state: f.ok ? 'OK' : 'ALARM', label: f.ok ? 'holds' : 'BROKEN' },
              `${f.stackName} ${f.entry}`,
              f.rateLimit,
              `${f.p99Ms} (${f.p99Source})`,
              f.steadyConcurrency,
              round(f.reservedConcurrency * f.headroom),
              f.maxRate,
            ]),
          },
        ]
      : [],
  });
  if (report.cost) {
    const p = report.cost.prices;
    sections.push({
      heading: 'Cost per million requests and per month at the stage limit (USD)',
      note: `${p.region}, on-demand list prices as of ${p.asOf}: Lambda $${p.lambda.perMillionRequests}/M requests, arm64 $${p.lambda.perGbSecond['arm64']}/GB-s (INIT billed); API Gateway REST $${p.apiGatewayRest.perMillionRequests}/M; DynamoDB $${p.dynamoDbOnDemand.perMillionWriteRequestUnits}/M WRU, $${p.dynamoDbOnDemand.perMillionReadRequestUnits}/M RRU; CloudWatch Logs $${p.cloudWatchLogs.perGbIngested}/GB (load-tests/src/report/prices.ts).`,
      widgets: [
        {
          type: 'table',
          title: '',
          x: 0,
          y: 0,
          width: 24,
          height: tableHeight(report.cost.routes.length),
          columns: [
            'scenario',
            'requests',
            'API Gateway',
            'Lambda requests',
            'Lambda GB-s',
            'DynamoDB',
            'Logs',
            'total /M',
            'stage limit /s',
            'per month at the limit',
          ],
          rows: report.cost.routes.map((r) => [
            r.scenario,
            r.requests,
            r.perMillion.apiGateway,
            r.perMillion.lambdaRequests,
            r.perMillion.lambdaDuration,
            r.perMillion.dynamoDb,
            r.perMillion.logs,
            r.perMillion.total,
            r.stageRateLimit,
            r.perMonthAtStageLimit,
          ]),
        },
      ],
    });
    const provisioned = report.cost.provisioned ?? [];
    const pc = p.lambdaProvisionedConcurrency;
    sections.push({
      heading: 'Provisioned concurrency (USD per month, whatever the traffic)',
      note:
        provisioned.length === 0
          ? 'No function keeps provisioned concurrency (provisionedConcurrency in apps/<svc>/src/limits.ts, off by default): nothing is billed while idle.'
          : `Environments kept initialized on each alias: environments × memory × 30 days × $${pc.perGbSecond['arm64']}/GB-s (arm64), plus their calls' duration at $${pc.durationPerGbSecond['arm64']}/GB-s instead of the on-demand price (the routes above keep the on-demand price: an upper bound). They come out of the reserved concurrency (npm run check:capacity).`,
      widgets:
        provisioned.length === 0
          ? []
          : [
              {
                type: 'table',
                title: '',
                x: 0,
                y: 0,
                width: 24,
                height: tableHeight(provisioned.length),
                columns: ['function', 'alias', 'environments', 'memory MB', 'architecture', 'per month'],
                rows: provisioned.map((f) => [f.functionName, f.alias, f.concurrency, f.memoryMb, f.architecture, f.perMonth]),
              },
            ],
    });
  }
  return renderPage({ title: 'Load report', subtitle: report.target, sections });
}
