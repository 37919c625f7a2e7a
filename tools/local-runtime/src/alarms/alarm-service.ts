import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AlarmSpec, TopicSpec } from '../assembly';
import type { MetricStore } from '../metrics/metric-store';
import { DYNAMODB } from '../metrics/namespaces';
import { percentileOf, statisticFn, UnsupportedStatisticError } from '../metrics/statistics';
import {
  evaluateAlarm,
  type AlarmState,
  type PeriodValue,
  type TreatMissingData,
} from './evaluate';
import {
  compileExpression,
  MetricMathError,
  type CompiledExpression,
  type TimeSeries,
} from './metric-math';
import { alarmNotification, type SnsNotification } from './sns-message';

/** Periods the evaluation range holds beyond EvaluationPeriods, to look past missing data. */
const EXTRA_PERIODS = 2;
const HISTORY_LIMIT = 200;

export interface AlarmTransition {
  alarmName: string;
  alarmArn: string;
  stackName: string;
  oldState: AlarmState;
  newState: AlarmState;
  reason: string;
  /** ms since the epoch. */
  timestamp: number;
  /** Topics notified (SNS topic ARNs among the state's actions). */
  notified: string[];
}

export interface AlarmStatus {
  alarm: AlarmSpec;
  state: AlarmState;
  reason: string;
  since: number;
  history: AlarmTransition[];
  /** The last evaluation's datapoints, newest first. */
  lastDatapoints: { timestamp: number; value: number | undefined; breaching: boolean }[];
  /** Why the alarm is not evaluated locally, if it is not. */
  unsupported?: string;
}

export interface AlarmServiceOptions {
  store: MetricStore;
  alarms: readonly AlarmSpec[];
  topics: readonly TopicSpec[];
  /**
   * Every period and the evaluation interval are multiplied by it (`--alarm-period-scale`): 0.01
   * turns a 5-minute period into 3 s. The store's resolution must be at most the shortest period.
   * @default 1
   */
  timeScale?: number;
  /** `.local/`: transitions go to `alarms.jsonl`, SNS notifications to `sns/<topic>.jsonl`. */
  stateDir?: string;
  /** One console line per transition. */
  log: (line: string) => void;
  /** Startup warnings (unsupported alarm features). */
  warn: (line: string) => void;
  /** Evaluate on a timer (every scaled minute). @default true */
  autoStart?: boolean;
}

interface Compiled {
  spec: AlarmSpec;
  status: AlarmStatus;
  periodMs: number;
  treatMissingData: TreatMissingData;
  percentile?: number;
  /** The end of the newest period evaluated so far. */
  lastEnd?: number;
  /** Values of the last `count` periods ending at `end`, oldest first. */
  range(end: number, count: number): PeriodValue[];
}

/** Periods an evaluation catches up on when the timer ran late (a busy machine), at most. */
const CATCH_UP_PERIODS = 50;

/**
 * CloudWatch alarms on the local metrics: every `AWS::CloudWatch::Alarm` of the assembly,
 * evaluated every (scaled) minute over its most recent complete periods, with CloudWatch's
 * rules (see {@link evaluateAlarm}); alarms on AWS/DynamoDB metrics ignore missing data whatever
 * they say, as CloudWatch documents. A transition is a console line, a line of
 * `.local/alarms.jsonl`, and for each SNS topic among the new state's actions the notification SNS
 * would deliver, appended to `.local/sns/<topic>.jsonl`.
 */
export class AlarmService {
  readonly timeScale: number;
  private readonly compiled: Compiled[] = [];
  private readonly topicNames: Map<string, string>;
  private readonly notifications: SnsNotification[] = [];
  private timer: NodeJS.Timeout | undefined;
  private first = true;

  constructor(private readonly options: AlarmServiceOptions) {
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0 && this.timeScale <= 1))
      throw new Error(`alarm period scale must be in (0, 1], got ${this.timeScale}`);
    this.topicNames = new Map(options.topics.map((t) => [t.arn, t.topicName]));
    const now = options.store.now();
    for (const spec of options.alarms) {
      const status: AlarmStatus = {
        alarm: spec,
        state: 'INSUFFICIENT_DATA',
        reason: 'Unchecked: Initial alarm creation',
        since: now,
        history: [],
        lastDatapoints: [],
      };
      try {
        if (spec.unsupported.length > 0) throw new Error(spec.unsupported.join('; '));
        this.compiled.push(this.compile(spec, status));
      } catch (error) {
        status.unsupported = (error as Error).message;
        status.reason = `Not evaluated locally: ${status.unsupported}`;
        this.compiled.push({
          spec,
          status,
          periodMs: 0,
          treatMissingData: 'missing',
          range: () => [],
        });
        options.warn(
          `alarm ${spec.alarmName} (${spec.id}) is not evaluated locally: ${status.unsupported}`,
        );
      }
    }
    if (options.stateDir) mkdirSync(join(options.stateDir, 'sns'), { recursive: true });
    if (options.autoStart !== false) {
      this.timer = setInterval(
        () => this.evaluate(),
        Math.max(50, 60_000 * this.timeScale),
      ).unref();
    }
  }

  /** Every alarm's state and history. */
  statuses(): AlarmStatus[] {
    return this.compiled.map((c) => c.status);
  }

  /** Notifications delivered so far (also in `.local/sns/`), newest last. */
  delivered(): readonly SnsNotification[] {
    return this.notifications;
  }

  /** Evaluates every alarm now (the timer does this every scaled minute). */
  evaluate(): AlarmTransition[] {
    const store = this.options.store;
    const now = store.now();
    const transitions: AlarmTransition[] = [];
    for (const c of this.compiled) {
      if (c.status.unsupported) continue;
      // Complete periods, aligned to the epoch as CloudWatch timestamps datapoints. CloudWatch
      // evaluates every minute without fail; a timer here can run late on a busy machine, so every
      // period that ended since the last evaluation is evaluated in turn, none skipped.
      const latest = now - (now % c.periodMs);
      const first = c.lastEnd === undefined ? latest : Math.max(c.lastEnd + c.periodMs, latest - (CATCH_UP_PERIODS - 1) * c.periodMs);
      for (let end = first; end <= latest; end += c.periodMs) {
        const result = evaluateAlarm(c.range(end, c.spec.evaluationPeriods + EXTRA_PERIODS), {
          evaluationPeriods: c.spec.evaluationPeriods,
          datapointsToAlarm: c.spec.datapointsToAlarm,
          threshold: c.spec.threshold,
          comparisonOperator: c.spec.comparisonOperator,
          treatMissingData: c.treatMissingData,
          percentile: c.percentile,
          evaluateLowSampleCountPercentile: c.spec.evaluateLowSampleCountPercentile,
        });
        c.status.lastDatapoints = result.used;
        c.lastEnd = end;
        if (result.state === undefined || result.state === c.status.state) continue;
        transitions.push(this.transition(c, result.state, result.reason, end === latest ? now : end));
      }
    }
    this.report(transitions);
    this.first = false;
    return transitions;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private transition(
    c: Compiled,
    newState: AlarmState,
    reason: string,
    at: number,
  ): AlarmTransition {
    const status = c.status;
    const oldState = status.state;
    const actions = c.spec.actionsEnabled
      ? newState === 'ALARM'
        ? c.spec.alarmActions
        : newState === 'OK'
          ? c.spec.okActions
          : c.spec.insufficientDataActions
      : [];
    const topics = actions.filter((arn) => arn.startsWith('arn:') && arn.split(':')[2] === 'sns');
    const transition: AlarmTransition = {
      alarmName: c.spec.alarmName,
      alarmArn: c.spec.arn,
      stackName: c.spec.stackName,
      oldState,
      newState,
      reason,
      timestamp: at,
      notified: topics,
    };
    status.state = newState;
    status.reason = reason;
    status.since = at;
    status.history.push(transition);
    if (status.history.length > HISTORY_LIMIT) status.history.shift();
    for (const topicArn of topics) {
      const notification = alarmNotification(c.spec, topicArn, oldState, newState, reason, at);
      this.notifications.push(notification);
      if (this.notifications.length > 1_000) this.notifications.shift();
      this.append(
        join(
          'sns',
          `${this.topicNames.get(topicArn) ?? topicArn.slice(topicArn.lastIndexOf(':') + 1)}.jsonl`,
        ),
        notification,
      );
    }
    this.append('alarms.jsonl', transition);
    return transition;
  }

  /** Console: one line per transition, except the first evaluation's many INSUFFICIENT_DATA → OK. */
  private report(transitions: AlarmTransition[]): void {
    const quietOk = this.first
      ? transitions.filter((t) => t.oldState === 'INSUFFICIENT_DATA' && t.newState === 'OK')
      : [];
    if (quietOk.length > 0)
      this.options.log(
        `alarms: ${quietOk.length} of ${this.compiled.length} OK at the first evaluation${this.options.stateDir ? ' (each in .local/alarms.jsonl)' : ''}`,
      );
    for (const t of transitions) {
      if (quietOk.includes(t)) continue;
      this.options.log(
        `alarm ${t.newState.padEnd(17)} ${t.alarmName}: ${t.oldState} -> ${t.newState}: ${t.reason}${t.notified.length ? ` → SNS ${t.notified.map((arn) => arn.slice(arn.lastIndexOf(':') + 1)).join(', ')}` : ''}`,
      );
    }
  }

  private append(file: string, value: unknown): void {
    if (!this.options.stateDir) return;
    try {
      appendFileSync(join(this.options.stateDir, file), `${JSON.stringify(value)}\n`);
    } catch (error) {
      this.options.warn(`alarms: cannot write ${file}: ${(error as Error).message}`);
    }
  }

  private compile(spec: AlarmSpec, status: AlarmStatus): Compiled {
    const store = this.options.store;
    const periodMs = spec.periodSeconds * 1000 * this.timeScale;
    if (periodMs < store.resolutionMs) {
      throw new Error(
        `its period (${spec.periodSeconds} s × scale ${this.timeScale}) is shorter than the metrics' resolution (${store.resolutionMs} ms)`,
      );
    }
    const namespaces = spec.metric
      ? [spec.metric.metric.namespace]
      : (spec.queries ?? []).flatMap((q) => (q.metricStat ? [q.metricStat.metric.namespace] : []));
    // "Alarms that evaluate metrics in the AWS/DynamoDB namespace always ignore missing data."
    const treatMissingData: TreatMissingData =
      namespaces.length > 0 && namespaces.every((ns) => ns === DYNAMODB)
        ? 'ignore'
        : spec.treatMissingData;
    const windows = (end: number, count: number) =>
      Array.from({ length: count }, (_, i) => end - (count - i) * periodMs);

    if (spec.metric) {
      const { metric, statistic } = spec.metric;
      const stat = statisticOrThrow(statistic);
      return {
        spec,
        status,
        periodMs,
        treatMissingData,
        percentile: percentileOf(statistic),
        range(end, count) {
          const series = store.find(metric);
          return windows(end, count).map((start) => {
            const aggregate = series?.aggregate(start, start + periodMs);
            return {
              timestamp: start,
              value: aggregate ? stat(aggregate) : undefined,
              sampleCount: aggregate?.count ?? 0,
            };
          });
        },
      };
    }

    const queries = spec.queries ?? [];
    const stats = new Map(
      queries.filter((q) => q.metricStat).map((q) => [q.id, statisticOrThrow(q.metricStat!.stat)]),
    );
    const expressions = new Map<string, CompiledExpression>();
    for (const q of queries)
      if (q.expression !== undefined) expressions.set(q.id, compileExpression(q.expression));
    const returned = queries.find((q) => q.returnData)!;
    for (const expression of expressions.values()) {
      for (const id of expression.ids)
        if (!queries.some((q) => q.id === id))
          throw new MetricMathError(returned.expression ?? '', `no query with id ${id}`);
    }
    return {
      spec,
      status,
      periodMs,
      treatMissingData,
      range(end, count) {
        const starts = windows(end, count);
        const values = new Map<string, TimeSeries>();
        const seriesOf = (id: string): TimeSeries | undefined => {
          const known = values.get(id);
          if (known) return known;
          const query = queries.find((q) => q.id === id);
          if (!query) return undefined;
          let result: TimeSeries;
          if (query.metricStat) {
            const series = store.find(query.metricStat.metric);
            const stat = stats.get(id)!;
            result = new Map();
            for (const start of starts) {
              const aggregate = series?.aggregate(start, start + periodMs);
              const value = aggregate ? stat(aggregate) : undefined;
              if (value !== undefined) result.set(start, value);
            }
          } else {
            result = expressions
              .get(id)!
              .evaluate(
                seriesOf,
                () => queries.filter((q) => q.metricStat).map((q) => seriesOf(q.id)!),
                starts,
              );
          }
          values.set(id, result);
          return result;
        };
        const out = seriesOf(returned.id)!;
        return starts.map((start) => ({ timestamp: start, value: out.get(start) }));
      },
    };
  }
}

function statisticOrThrow(name: string) {
  try {
    return statisticFn(name);
  } catch (error) {
    if (error instanceof UnsupportedStatisticError) throw new Error(error.message);
    throw error;
  }
}
