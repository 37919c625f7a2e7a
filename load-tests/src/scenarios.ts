import type { LocalSystem } from '@sm/local-runtime';
import { methodLimits, type MethodLimits } from './limits';
import { runOpenModel, type RunOutcome } from './open-model';
import { Timeline } from './report/timeline';
import { requestJson, type Session } from './session';
import type { ApiRoutes } from './target';
import { crossedAnswers, judge, type Verdict } from './verdict';

export interface ScenarioContext {
  /** Each method's URL at its own API's base URL. */
  api: ApiRoutes;
  system: LocalSystem;
  /**
   * Signed-in users, each with a profile and a location (see `seed`). Scenarios spread their load
   * over all of them, so an answer handed to another user's request shows (see `answersMatch`).
   */
  sessions: Session[];
  /** Seconds each load phase lasts. */
  seconds: number;
}

/** How many users the load is spread over: enough that a crossed answer almost always shows. */
export const USERS = 5;

export interface ScenarioResult {
  name: string;
  limits: MethodLimits;
  rps: number;
  outcome: RunOutcome;
  verdict: Verdict;
}

export interface Scenario {
  name: string;
  summary: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/**
 * Reads of each user's own resource, spread over every user at once; each answer must be about the
 * user whose path was requested.
 */
async function readAsEveryUser(
  { api, sessions, seconds }: ScenarioContext,
  method: 'GET',
  resourcePath: string,
  path: (s: Session) => string,
  rps: number,
): Promise<{ outcome: RunOutcome; crossed: string[] }> {
  const outcomes = await Promise.all(
    sessions.map((session) =>
      runOpenModel({
        url: api.url(method, resourcePath, path(session)),
        method,
        headers: { authorization: session.authorization },
        requestsPerSecond: rps / sessions.length,
        seconds,
      }),
    ),
  );
  const crossed = outcomes.flatMap((outcome, i) =>
    crossedAnswers(outcome, (sessions[i] as Session).userId),
  );
  return { outcome: mergeOutcomes(outcomes), crossed };
}

/** Below half the method's rate limit, a client must never see 429 or 5xx. */
function belowLimit(
  method: 'GET',
  resourcePath: string,
  path: (s: Session) => string,
  extraCheck?: (o: RunOutcome) => string[],
): Scenario {
  const name = `${method} ${resourcePath} below the limit`;
  return {
    name,
    summary: `half the stage rate from ${USERS} users: no 429, no 5xx, every answer its own`,
    async run(context) {
      const limits = methodLimits(context.system, method, resourcePath);
      const rps = Math.max(1, Math.floor(limits.rateLimit / 2));
      await warmUp(context.api, limits, context.sessions, path);
      const { outcome, crossed } = await readAsEveryUser(context, method, resourcePath, path, rps);
      const verdict = judge(outcome, rps * context.seconds, { throttled: 'none' });
      const extra = extraCheck?.(outcome) ?? [];
      return { name, limits, rps, outcome, verdict: withFailures(verdict, [...crossed, ...extra]) };
    },
  };
}

/** Above the limit, API Gateway answers 429 problems; the functions behind it never throttle (no 5xx). */
function aboveLimit(method: 'GET', resourcePath: string, path: (s: Session) => string): Scenario {
  const name = `${method} ${resourcePath} above the limit`;
  return {
    name,
    summary: `twice the stage rate from ${USERS} users: 429 problems from the gateway, no 5xx, every answer its own`,
    async run(context) {
      const limits = methodLimits(context.system, method, resourcePath);
      const rps = limits.rateLimit * 2;
      await warmUp(context.api, limits, context.sessions, path);
      const { outcome, crossed } = await readAsEveryUser(context, method, resourcePath, path, rps);
      return {
        name,
        limits,
        rps,
        outcome,
        verdict: withFailures(
          judge(outcome, rps * context.seconds, { throttled: 'some' }),
          crossed,
        ),
      };
    },
  };
}

/**
 * Writes above the limit, from several users at once (as clients report their own positions; one
 * user's writes all contend for one item): throttled writes are refused whole, and every write the
 * service acknowledged is readable afterwards in its owner's history. Each write carries its request
 * index as `accuracy`, so an acknowledgement identifies exactly one write of its user: each answer
 * must name its user, and no two answers of a user may carry the same write.
 */
const acknowledgedWritesSurvive: Scenario = {
  name: 'PUT /loc/{userId} above the limit',
  summary: `twice the stage rate from ${USERS} users: 429s, no 5xx, every answer its own, every acknowledged write in the history`,
  async run({ api, system, sessions: writers, seconds }) {
    const limits = methodLimits(system, 'PUT', '/loc/{userId}');
    const rps = limits.rateLimit * 2;
    await warmUp(api, limits, writers, (s) => `/loc/${s.userId}`, {
      latitude: 1,
      longitude: 1,
    });
    const outcomes = await Promise.all(
      writers.map((writer) =>
        runOpenModel({
          url: api.url('PUT', '/loc/{userId}', `/loc/${writer.userId}`),
          method: 'PUT',
          headers: { authorization: writer.authorization },
          body: '{"latitude":48.8584,"longitude":2.2945,"accuracy":LOAD_INDEX}',
          requestsPerSecond: rps / writers.length,
          seconds,
        }),
      ),
    );
    const outcome = mergeOutcomes(outcomes);
    const verdict = judge(outcome, rps * seconds, { throttled: 'some' });
    const failures: string[] = [];
    for (const [i, writer] of writers.entries()) {
      failures.push(...crossedAnswers(outcomes[i]!, writer.userId));
      const accuracies = outcomes[i]!.acknowledged.map(
        (body) => (body as { accuracy?: number }).accuracy,
      );
      const acknowledged = new Set(accuracies);
      if (acknowledged.size !== accuracies.length) {
        failures.push(
          `${accuracies.length - acknowledged.size} answers of user ${i + 1} repeated another write's acknowledgement`,
        );
      }
      const stored = await readWholeHistory(api, writer);
      const missing = [...acknowledged].filter((accuracy) => !stored.has(accuracy as number));
      if (missing.length > 0) {
        failures.push(
          `${missing.length} acknowledged writes of user ${i + 1} are missing from the history (e.g. accuracy ${missing.slice(0, 5).join(', ')})`,
        );
      }
    }
    if (outcome.acknowledged.length === 0) failures.push('no write was acknowledged');
    return { name: this.name, limits, rps, outcome, verdict: withFailures(verdict, failures) };
  },
};

/** One outcome for several concurrent runs: counts add up, latencies are the worst run's. */
function mergeOutcomes(outcomes: RunOutcome[]): RunOutcome {
  const statusCounts = new Map<number, number>();
  for (const o of outcomes)
    for (const [status, n] of o.statusCounts)
      statusCounts.set(status, (statusCounts.get(status) ?? 0) + n);
  return {
    sent: outcomes.reduce((sum, o) => sum + o.sent, 0),
    statusCounts,
    networkErrors: outcomes.reduce((sum, o) => sum + o.networkErrors, 0),
    p50Ms: Math.max(...outcomes.map((o) => o.p50Ms)),
    p99Ms: Math.max(...outcomes.map((o) => o.p99Ms)),
    elapsedSeconds: Math.max(...outcomes.map((o) => o.elapsedSeconds)),
    acknowledged: outcomes.flatMap((o) => o.acknowledged),
    rejections: outcomes.flatMap((o) => o.rejections).slice(0, 20),
    timeline: Timeline.merge(outcomes.map((o) => o.timeline)),
  };
}

/**
 * Starts a burst's worth of execution environments before the phase, so it measures the limits on a
 * warm system. On Lambda a burst's cold starts run side by side on their own hardware; locally they
 * share the machine's cores (the runtime starts one per core at a time), so a phase that began cold
 * would mostly measure start-up. Answers here are discarded; the buckets refill before the phase.
 */
export async function warmUp(
  api: ApiRoutes,
  limits: MethodLimits,
  sessions: Session[],
  path: (s: Session) => string,
  body?: unknown,
): Promise<void> {
  const environments = Math.min(limits.burstLimit, limits.reservedConcurrency ?? limits.burstLimit);
  await Promise.all(
    Array.from({ length: environments }, (_, i) => sessions[i % sessions.length] as Session).map(
      (session) =>
        fetch(api.url(limits.method, limits.resourcePath, path(session)), {
          method: limits.method,
          headers: {
            authorization: session.authorization,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        }).then(
          (response) => response.arrayBuffer(),
          () => undefined,
        ),
    ),
  );
  await new Promise((resolve) =>
    setTimeout(resolve, Math.ceil((1000 * limits.burstLimit) / limits.rateLimit) + 250),
  );
}

export async function readWholeHistory(api: ApiRoutes, session: Session): Promise<Set<number>> {
  const seen = new Set<number>();
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page += 1) {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const url = api.url('GET', '/loc/{userId}/history', `/loc/${session.userId}/history${query}`);
    const body = await requestJson(url, 'GET', {
      authorization: session.authorization,
      expect: 200,
    });
    for (const item of body['items'] as { accuracy?: number }[]) {
      if (item.accuracy !== undefined) seen.add(item.accuracy);
    }
    cursor = body['nextCursor'] as string | null;
    if (!cursor) return seen;
  }
  throw new Error('history did not end after 1,000 pages');
}

/** A profile read below the limit also reads location through its contract: it must not degrade. */
function profileIncludesLocation(outcome: RunOutcome): string[] {
  const degraded = outcome.acknowledged.filter(
    (body) => (body as { location?: unknown }).location === null,
  ).length;
  return degraded > 0
    ? [
        `${degraded} profiles came back with location: null (location lookup degraded below the limit)`,
      ]
    : [];
}

function withFailures(verdict: Verdict, failures: string[]): Verdict {
  const all = [...verdict.failures, ...failures];
  return { passed: all.length === 0, failures: all };
}

export const scenarios: Scenario[] = [
  belowLimit('GET', '/loc/{userId}', (s) => `/loc/${s.userId}`),
  aboveLimit('GET', '/loc/{userId}', (s) => `/loc/${s.userId}`),
  belowLimit('GET', '/profile/{userId}', (s) => `/profile/${s.userId}`, profileIncludesLocation),
  acknowledgedWritesSurvive,
];

/** Puts the data the scenarios read in place: a profile and a current location. */
export async function seed(api: ApiRoutes, session: Session): Promise<void> {
  await requestJson(api.url('PUT', '/profile/{userId}', `/profile/${session.userId}`), 'PUT', {
    body: { displayName: 'Load Test', bio: 'Generated by load-tests.' },
    authorization: session.authorization,
    expect: 201,
  });
  await requestJson(api.url('PUT', '/loc/{userId}', `/loc/${session.userId}`), 'PUT', {
    body: { latitude: 52.52, longitude: 13.405 },
    authorization: session.authorization,
    expect: 200,
  });
}
