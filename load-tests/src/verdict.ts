import type { RunOutcome } from './open-model';

/** What a scenario expects of one run; every check that fails is reported, not just the first. */
export interface Expectation {
  /** Throttled answers must be absent (below the limit) or present (above it). */
  throttled: 'none' | 'some';
  /** Share of the planned requests that must have been sent and answered. @default 0.95 */
  minAchieved?: number;
}

export interface Verdict {
  passed: boolean;
  failures: string[];
}

/** Judges a run against the design's promise: no 5xx ever, 429 only above the limit. */
export function judge(outcome: RunOutcome, planned: number, expectation: Expectation): Verdict {
  const failures: string[] = [];
  const count = (predicate: (status: number) => boolean) =>
    [...outcome.statusCounts]
      .filter(([status]) => predicate(status))
      .reduce((sum, [, n]) => sum + n, 0);
  const serverErrors = count((s) => s >= 500);
  const throttled = count((s) => s === 429);
  const otherClientErrors = count((s) => s >= 400 && s < 500 && s !== 429);
  const answered = count(() => true);

  if (serverErrors > 0) failures.push(`${serverErrors} answers were 5xx (${statusList(outcome)})`);
  if (outcome.networkErrors > 0)
    failures.push(`${outcome.networkErrors} requests failed at the transport level`);
  if (otherClientErrors > 0)
    failures.push(`${otherClientErrors} answers were unexpected 4xx (${statusList(outcome)})`);
  if (expectation.throttled === 'none' && throttled > 0)
    failures.push(`${throttled} answers were 429 below the limit`);
  if (expectation.throttled === 'some' && throttled === 0)
    failures.push('no answer was 429 above the limit');
  const minAchieved = expectation.minAchieved ?? 0.95;
  if (answered < planned * minAchieved) {
    failures.push(
      `only ${answered} of ${planned} planned requests were answered (< ${Math.round(minAchieved * 100)} %)`,
    );
  }
  for (const rejection of outcome.rejections.filter((r) => r.status === 429)) {
    const problem = parseProblem(rejection.body);
    if (!rejection.contentType.startsWith('application/problem+json') || problem?.status !== 429) {
      failures.push(
        `a 429 was not a problem+json body with status 429: ${rejection.contentType} ${rejection.body.slice(0, 120)}`,
      );
      break;
    }
  }
  return { passed: failures.length === 0, failures };
}

/**
 * Every acknowledged answer names the user its request was for: an answer that belongs to another
 * request (another user's data) fails the scenario, whatever its status said.
 */
export function crossedAnswers(outcome: RunOutcome, userId: string): string[] {
  const others = outcome.acknowledged.filter(
    (body) => (body as { userId?: unknown } | null)?.userId !== userId,
  );
  if (others.length === 0) return [];
  const example = JSON.stringify(others[0]).slice(0, 120);
  return [
    `${others.length} answers for user ${userId} belonged to another request (e.g. ${example})`,
  ];
}

export function statusList(outcome: RunOutcome): string {
  return [...outcome.statusCounts]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
}

function parseProblem(body: string): { status?: unknown } | undefined {
  try {
    return JSON.parse(body) as { status?: unknown };
  } catch {
    return undefined;
  }
}
