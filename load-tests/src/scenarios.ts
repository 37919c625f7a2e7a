import type { LocalSystem } from '@sm/local-runtime';
import { methodLimits, type MethodLimits } from './limits';
import { runOpenModel, type RunOutcome } from './open-model';
import { requestJson, type Session } from './session';
import { judge, type Verdict } from './verdict';

export interface ScenarioContext {
  baseUrl: string;
  system: LocalSystem;
  session: Session;
  /** Seconds each load phase lasts. */
  seconds: number;
}

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

/** Below half the method's rate limit, a client must never see 429 or 5xx. */
function belowLimit(method: 'GET', resourcePath: string, path: (s: Session) => string, extraCheck?: (o: RunOutcome) => string[]): Scenario {
  const name = `${method} ${resourcePath} below the limit`;
  return {
    name,
    summary: 'half the stage rate: no 429, no 5xx',
    async run({ baseUrl, system, session, seconds }) {
      const limits = methodLimits(system, method, resourcePath);
      const rps = Math.max(1, Math.floor(limits.rateLimit / 2));
      await warmUp(baseUrl, method, path(session), session);
      const outcome = await runOpenModel({
        url: new URL(path(session), baseUrl).href,
        method,
        headers: { authorization: session.authorization },
        requestsPerSecond: rps,
        seconds,
      });
      const verdict = judge(outcome, rps * seconds, { throttled: 'none' });
      const extra = extraCheck?.(outcome) ?? [];
      return { name, limits, rps, outcome, verdict: withFailures(verdict, extra) };
    },
  };
}

/** Above the limit, API Gateway answers 429 problems; the functions behind it never throttle (no 5xx). */
function aboveLimit(method: 'GET', resourcePath: string, path: (s: Session) => string): Scenario {
  const name = `${method} ${resourcePath} above the limit`;
  return {
    name,
    summary: 'twice the stage rate: 429 problems from the gateway, no 5xx',
    async run({ baseUrl, system, session, seconds }) {
      const limits = methodLimits(system, method, resourcePath);
      const rps = limits.rateLimit * 2;
      await warmUp(baseUrl, method, path(session), session);
      const outcome = await runOpenModel({
        url: new URL(path(session), baseUrl).href,
        method,
        headers: { authorization: session.authorization },
        requestsPerSecond: rps,
        seconds,
      });
      return { name, limits, rps, outcome, verdict: judge(outcome, rps * seconds, { throttled: 'some' }) };
    },
  };
}

/**
 * Writes above the limit: throttled writes are refused whole, and every write the service acknowledged
 * is readable afterwards in the owner's history. Each write carries its request index as `accuracy`, so
 * an acknowledgement identifies exactly one write.
 */
const acknowledgedWritesSurvive: Scenario = {
  name: 'PUT /loc/{userId} above the limit',
  summary: 'twice the stage rate: 429s, no 5xx, every acknowledged write in the history',
  async run({ baseUrl, system, session, seconds }) {
    const limits = methodLimits(system, 'PUT', '/loc/{userId}');
    const rps = limits.rateLimit * 2;
    await warmUp(baseUrl, 'PUT', `/loc/${session.userId}`, session, { latitude: 1, longitude: 1 });
    const outcome = await runOpenModel({
      url: new URL(`/loc/${session.userId}`, baseUrl).href,
      method: 'PUT',
      headers: { authorization: session.authorization },
      body: '{"latitude":48.8584,"longitude":2.2945,"accuracy":LOAD_INDEX}',
      requestsPerSecond: rps,
      seconds,
    });
    const verdict = judge(outcome, rps * seconds, { throttled: 'some' });
    const acknowledged = new Set(outcome.acknowledged.map((body) => (body as { accuracy?: number }).accuracy));
    const stored = await readWholeHistory(baseUrl, session);
    const missing = [...acknowledged].filter((accuracy) => !stored.has(accuracy as number));
    const failures = missing.length > 0 ? [`${missing.length} acknowledged writes are missing from the history (e.g. accuracy ${missing.slice(0, 5).join(', ')})`] : [];
    if (acknowledged.size === 0) failures.push('no write was acknowledged');
    return { name: this.name, limits, rps, outcome, verdict: withFailures(verdict, failures) };
  },
};

/**
 * A few sequential requests before the load, so the phase measures warm execution environments. The
 * first requests of a burst each start their own environment, as on Lambda; locally those cold starts
 * share the machine's cores, so without this a short phase measures mostly start-up.
 */
async function warmUp(baseUrl: string, method: string, path: string, session: Session, body?: unknown): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await requestJson(baseUrl, method, path, { body, authorization: session.authorization, expect: 200 });
  }
}

async function readWholeHistory(baseUrl: string, session: Session): Promise<Set<number>> {
  const seen = new Set<number>();
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page += 1) {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const body = await requestJson(baseUrl, 'GET', `/loc/${session.userId}/history${query}`, {
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
  const degraded = outcome.acknowledged.filter((body) => (body as { location?: unknown }).location === null).length;
  return degraded > 0 ? [`${degraded} profiles came back with location: null (location lookup degraded below the limit)`] : [];
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
export async function seed(baseUrl: string, session: Session): Promise<void> {
  await requestJson(baseUrl, 'PUT', `/profile/${session.userId}`, {
    body: { displayName: 'Load Test', bio: 'Generated by load-tests.' },
    authorization: session.authorization,
    expect: 201,
  });
  await requestJson(baseUrl, 'PUT', `/loc/${session.userId}`, {
    body: { latitude: 52.52, longitude: 13.405 },
    authorization: session.authorization,
    expect: 200,
  });
}
