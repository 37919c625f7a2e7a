import type { RunOutcome } from './open-model';
import { crossedAnswers, judge } from './verdict';

const problem429 = {
  status: 429,
  contentType: 'application/problem+json',
  body: JSON.stringify({
    type: 'urn:problem-type:throttled',
    title: 'Too Many Requests',
    status: 429,
  }),
};

function outcome(statuses: Record<number, number>, extra: Partial<RunOutcome> = {}): RunOutcome {
  return {
    sent: Object.values(statuses).reduce((a, b) => a + b, 0),
    statusCounts: new Map(Object.entries(statuses).map(([s, n]) => [Number(s), n])),
    networkErrors: 0,
    p50Ms: 5,
    p99Ms: 20,
    elapsedSeconds: 3,
    acknowledged: [],
    rejections: [],
    ...extra,
  };
}

describe('judge', () => {
  it('passes a run below the limit with only successes', () => {
    expect(judge(outcome({ 200: 100 }), 100, { throttled: 'none' })).toEqual({
      passed: true,
      failures: [],
    });
  });

  it('fails a run below the limit that saw a 429', () => {
    const verdict = judge(outcome({ 200: 99, 429: 1 }, { rejections: [problem429] }), 100, {
      throttled: 'none',
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.failures).toContain('1 answers were 429 below the limit');
  });

  it('fails any run with a 5xx, even above the limit', () => {
    const verdict = judge(
      outcome({ 200: 50, 429: 40, 500: 10 }, { rejections: [problem429] }),
      100,
      { throttled: 'some' },
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.failures[0]).toMatch(/10 answers were 5xx/);
  });

  it('fails a run above the limit that was never throttled', () => {
    expect(judge(outcome({ 200: 100 }), 100, { throttled: 'some' }).failures).toContain(
      'no answer was 429 above the limit',
    );
  });

  it('fails when a 429 is not a problem+json body', () => {
    const plain = {
      status: 429,
      contentType: 'application/json',
      body: '{"message":"Too Many Requests"}',
    };
    const verdict = judge(outcome({ 200: 60, 429: 40 }, { rejections: [plain] }), 100, {
      throttled: 'some',
    });
    expect(verdict.failures.some((f) => f.startsWith('a 429 was not a problem+json body'))).toBe(
      true,
    );
  });

  it('fails when too few of the planned requests were answered', () => {
    expect(judge(outcome({ 200: 80 }), 100, { throttled: 'none' }).failures).toContain(
      'only 80 of 100 planned requests were answered (< 95 %)',
    );
  });
});

describe('crossedAnswers', () => {
  it('finds nothing when every answer names the user its request was for', () => {
    const run = outcome(
      { 200: 2 },
      {
        acknowledged: [
          { userId: 'u1', latitude: 1 },
          { userId: 'u1', latitude: 2 },
        ],
      },
    );
    expect(crossedAnswers(run, 'u1')).toEqual([]);
  });

  it("reports answers that carry another user's data, with an example", () => {
    const run = outcome(
      { 200: 3 },
      { acknowledged: [{ userId: 'u1' }, { userId: 'u2' }, { detail: 'no user at all' }] },
    );
    expect(crossedAnswers(run, 'u1')).toEqual([
      '2 answers for user u1 belonged to another request (e.g. {"userId":"u2"})',
    ]);
  });
});
