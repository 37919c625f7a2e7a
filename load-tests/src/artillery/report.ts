import type { RunOutcome } from '../open-model';
import type { ArtilleryScenario } from './script';
import { SERVER_ERROR_CODES } from './script';

/** The part of Artillery's JSON report (`artillery run --output report.json`) the verdict reads. */
export interface ArtilleryReport {
  aggregate: {
    counters?: Record<string, number>;
    summaries?: Record<string, Record<string, number>>;
    firstCounterAt?: number;
    lastCounterAt?: number;
  };
}

export interface ArtilleryOutcome {
  /** The same shape the loadtest engine produces, so one `judge` decides for both engines. */
  outcome: RunOutcome;
  /** How long the generators took to send every request, ms (`sm.sent_after_ms` max − min). */
  sendWindowMs: number;
  /** Every counter of the aggregate report (`http.codes.429`, `sm.identity.matched`, …). */
  counters: Record<string, number>;
}

/**
 * Reads Artillery's aggregate report into the loadtest engine's outcome: requests, answers by status,
 * transport errors (`errors.*`), p50/p99 of `http.response_time`. Bodies stay in the load generators;
 * what they showed arrives as the processor's `sm.*` counters.
 */
export function readArtilleryReport(report: ArtilleryReport, seconds: number): ArtilleryOutcome {
  const counters = { ...(report.aggregate.counters ?? {}) };
  const statusCounts = new Map<number, number>();
  let networkErrors = 0;
  for (const [name, value] of Object.entries(counters)) {
    const status = /^http\.codes\.(\d{3})$/.exec(name)?.[1];
    if (status) statusCounts.set(Number(status), value);
    if (name.startsWith('errors.')) networkErrors += value;
  }
  const latency = report.aggregate.summaries?.['http.response_time'] ?? {};
  const first = report.aggregate.firstCounterAt;
  const last = report.aggregate.lastCounterAt;
  const sent = report.aggregate.summaries?.['sm.sent_after_ms'];
  return {
    sendWindowMs:
      sent?.['max'] !== undefined && sent['min'] !== undefined
        ? sent['max'] - sent['min']
        : Number.NaN,
    outcome: {
      sent: counters['http.requests'] ?? 0,
      statusCounts,
      networkErrors,
      p50Ms: latency['median'] ?? latency['p50'] ?? Number.NaN,
      p99Ms: latency['p99'] ?? Number.NaN,
      elapsedSeconds:
        first !== undefined && last !== undefined
          ? Math.max(seconds, (last - first) / 1000)
          : seconds,
      acknowledged: [],
      rejections: [],
    },
    counters,
  };
}

/**
 * The checks only Artillery's counters can answer, in the words of the loadtest engine's verdict: the
 * same promise as the script's `ensure` conditions, so the runner's verdict and Artillery's exit code
 * can be compared.
 */
export function artilleryFailures(
  counters: Record<string, number>,
  scenario: Pick<ArtilleryScenario, 'throttled'>,
  latency: { p99Ms: number; maxP99Ms: number },
  schedule: { sendWindowMs: number; maxSendWindowMs: number },
): string[] {
  const failures: string[] = [];
  if (!(latency.p99Ms < latency.maxP99Ms))
    failures.push(`p99 ${latency.p99Ms} ms is not below ${latency.maxP99Ms} ms`);
  if (!(schedule.sendWindowMs < schedule.maxSendWindowMs)) {
    failures.push(
      `the load generators fell behind their schedule: the requests went out over ${(schedule.sendWindowMs / 1000).toFixed(1)} s, not within ${schedule.maxSendWindowMs / 1000} s, so less than the scenario's rate was offered`,
    );
  }
  const n = (name: string) => counters[name] ?? 0;
  if (n('sm.identity.mismatched') > 0)
    failures.push(
      `${n('sm.identity.mismatched')} answers belonged to another request (echoed userId or accuracy)`,
    );
  if (n('sm.identity.matched') === 0) failures.push('no answer could be checked for identity');
  if (n('sm.throttled.not_problem') > 0)
    failures.push(
      `${n('sm.throttled.not_problem')} 429s were not problem+json bodies with status 429`,
    );
  if (n('sm.profile.degraded') > 0)
    failures.push(
      `${n('sm.profile.degraded')} profiles came back with location: null (location lookup degraded)`,
    );
  const otherServerErrors =
    n('sm.status.5xx') - SERVER_ERROR_CODES.reduce((sum, code) => sum + n(`http.codes.${code}`), 0);
  if (otherServerErrors > 0)
    failures.push(`${otherServerErrors} answers were 5xx outside ${SERVER_ERROR_CODES.join('/')}`);
  if (scenario.throttled === 'some' && n('sm.throttled.problem') === 0 && n('http.codes.429') > 0)
    failures.push('no 429 could be read as a problem');
  return failures;
}

/** Acknowledged writes per writer (`sm.write.acknowledged.<index>`). */
export function acknowledgedPerWriter(counters: Record<string, number>, writers: number): number[] {
  return Array.from(
    { length: writers },
    (_, index) => counters[`sm.write.acknowledged.${index}`] ?? 0,
  );
}
