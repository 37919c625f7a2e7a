import { acknowledgedPerWriter, artilleryFailures, readArtilleryReport } from './report';

describe('readArtilleryReport', () => {
  it('reads requests, answers by status, transport errors and latency into the loadtest outcome', () => {
    const { outcome, counters, sendWindowMs } = readArtilleryReport(
      {
        aggregate: {
          counters: {
            'http.requests': 12,
            'http.codes.200': 8,
            'http.codes.429': 2,
            'http.codes.502': 1,
            'errors.ETIMEDOUT': 1,
            'sm.identity.matched': 8,
          },
          summaries: {
            'http.response_time': { median: 4, p99: 41.5 },
            'sm.sent_after_ms': { min: 5_210, max: 15_160 },
          },
          firstCounterAt: 1_000,
          lastCounterAt: 24_000,
        },
      },
      20,
    );
    expect(outcome).toEqual({
      sent: 12,
      statusCounts: new Map([
        [200, 8],
        [429, 2],
        [502, 1],
      ]),
      networkErrors: 1,
      p50Ms: 4,
      p99Ms: 41.5,
      elapsedSeconds: 23,
      acknowledged: [],
      rejections: [],
    });
    expect(counters['sm.identity.matched']).toBe(8);
    expect(sendWindowMs).toBe(9_950);
  });
});

describe('artilleryFailures', () => {
  const clean = { 'sm.identity.matched': 10, 'http.codes.429': 3, 'sm.throttled.problem': 3 };
  const fast = { p99Ms: 40, maxP99Ms: 250 };
  const onTime = { sendWindowMs: 9_950, maxSendWindowMs: 13_000 };

  it('passes a clean run', () => {
    expect(artilleryFailures(clean, { throttled: 'some' }, fast, onTime)).toEqual([]);
  });

  it.each([
    [
      { 'sm.identity.mismatched': 2 },
      '2 answers belonged to another request (echoed userId or accuracy)',
    ],
    [{ 'sm.identity.matched': 0 }, 'no answer could be checked for identity'],
    [{ 'sm.throttled.not_problem': 1 }, '1 429s were not problem+json bodies with status 429'],
    [
      { 'sm.profile.degraded': 4 },
      '4 profiles came back with location: null (location lookup degraded)',
    ],
    [{ 'sm.status.5xx': 2, 'http.codes.500': 1 }, '1 answers were 5xx outside 500/502/503/504'],
    [{ 'sm.throttled.problem': 0 }, 'no 429 could be read as a problem'],
  ])('fails on %j', (counters, failure) => {
    expect(
      artilleryFailures({ ...clean, ...counters }, { throttled: 'some' }, fast, onTime),
    ).toEqual([failure]);
  });

  it('holds p99 to the limit the script set', () => {
    expect(
      artilleryFailures(clean, { throttled: 'some' }, { p99Ms: 250, maxP99Ms: 250 }, onTime),
    ).toEqual(['p99 250 ms is not below 250 ms']);
    expect(
      artilleryFailures(clean, { throttled: 'some' }, { p99Ms: Number.NaN, maxP99Ms: 250 }, onTime),
    ).toEqual(['p99 NaN ms is not below 250 ms']);
  });

  it('fails a run whose generators fell behind: it offered less than the scenario’s rate', () => {
    expect(
      artilleryFailures(clean, { throttled: 'some' }, fast, {
        sendWindowMs: 16_400,
        maxSendWindowMs: 13_000,
      }),
    ).toEqual([
      "the load generators fell behind their schedule: the requests went out over 16.4 s, not within 13 s, so less than the scenario's rate was offered",
    ]);
    expect(
      artilleryFailures(clean, { throttled: 'some' }, fast, {
        sendWindowMs: Number.NaN,
        maxSendWindowMs: 13_000,
      }),
    ).toHaveLength(1);
  });
});

describe('acknowledgedPerWriter', () => {
  it('reads one count per writer, zero where none was acknowledged', () => {
    expect(
      acknowledgedPerWriter({ 'sm.write.acknowledged.0': 5, 'sm.write.acknowledged.2': 1 }, 3),
    ).toEqual([5, 0, 1]);
  });
});
