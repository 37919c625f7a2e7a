import { evaluateAlarm, type EvaluationRule, type PeriodValue } from './evaluate';
import { compileExpression, MetricMathError } from './metric-math';

const T = Date.UTC(2026, 10, 27, 10, 0, 0);
/** A range from a compact picture, oldest first: numbers are datapoints, '-' is missing. */
const range = (...values: (number | '-')[]): PeriodValue[] =>
  values.map((v, i) => ({
    timestamp: T + i * 300_000,
    value: v === '-' ? undefined : v,
    sampleCount: v === '-' ? 0 : 1,
  }));
const rule = (over: Partial<EvaluationRule> = {}): EvaluationRule => ({
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  treatMissingData: 'missing',
  ...over,
});

describe('evaluating an alarm (CloudWatch, M of N)', () => {
  it('fires when M of the last N datapoints breach, not before', () => {
    expect(evaluateAlarm(range(0, 0, 0, 5, 5), rule({ datapointsToAlarm: 2 })).state).toBe('ALARM');
    expect(evaluateAlarm(range(0, 0, 0, 0, 5), rule({ datapointsToAlarm: 2 })).state).toBe('OK');
    expect(evaluateAlarm(range(9, 9, 0, 0, 5), rule({ datapointsToAlarm: 2 })).state).toBe('OK');
  });

  it('says why, as CloudWatch words a state reason', () => {
    const { reason } = evaluateAlarm(range(0, 0, 0, 2, 3), rule({ datapointsToAlarm: 2 }));
    expect(reason).toMatch(
      /^Threshold Crossed: 2 out of the last 3 datapoints \[3\.0 \(27\/11\/26 10:20:00\), 2\.0 \(27\/11\/26 10:15:00\), 0\.0 \(27\/11\/26 10:10:00\)\] were greater than or equal to the threshold \(1\.0\)/,
    );
  });

  it('looks past missing data when the range holds N real datapoints', () => {
    // 3 real ones in a range of 5: missing data is not considered at all.
    expect(
      evaluateAlarm(range(5, '-', 5, '-', 5), rule({ treatMissingData: 'notBreaching' })).state,
    ).toBe('ALARM');
  });

  // 3 of 3, newest last: real datapoints of the range always count, missing ones only fill up to N.
  it.each([
    [
      range(0, '-', '-', '-', '-'),
      { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' },
    ],
    [
      range('-', '-', '-', '-', 0),
      { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' },
    ],
    [
      range('-', '-', '-', 5, 5),
      { missing: 'OK', ignore: 'OK', breaching: 'ALARM', notBreaching: 'OK' },
    ],
    [
      range('-', '-', '-', '-', '-'),
      { missing: 'INSUFFICIENT_DATA', ignore: undefined, breaching: 'ALARM', notBreaching: 'OK' },
    ],
    [
      range('-', '-', 5, '-', '-'),
      { missing: 'OK', ignore: 'OK', breaching: 'ALARM', notBreaching: 'OK' },
    ],
  ])('fills missing data as told: %j', (points, expected) => {
    for (const [treat, state] of Object.entries(expected)) {
      const result = evaluateAlarm(
        points,
        rule({ treatMissingData: treat as EvaluationRule['treatMissingData'] }),
      );
      expect({ treat, state: result.state }).toEqual({ treat, state });
    }
  });

  it('keeps the state of a percentile alarm while samples are too few, with EvaluateLowSampleCountPercentile: ignore', () => {
    const points: PeriodValue[] = [{ timestamp: T, value: 900, sampleCount: 999 }];
    const p99 = rule({
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 500,
      percentile: 99,
    });
    expect(
      evaluateAlarm(points, { ...p99, evaluateLowSampleCountPercentile: 'ignore' }).state,
    ).toBeUndefined();
    expect(
      evaluateAlarm(points, { ...p99, evaluateLowSampleCountPercentile: 'evaluate' }).state,
    ).toBe('ALARM');
    expect(
      evaluateAlarm([{ ...points[0]!, sampleCount: 1000 }], {
        ...p99,
        evaluateLowSampleCountPercentile: 'ignore',
      }).state,
    ).toBe('ALARM');
  });

  it('applies every comparison operator', () => {
    const one = (op: string, value: number) =>
      evaluateAlarm(
        range(value),
        rule({ evaluationPeriods: 1, datapointsToAlarm: 1, comparisonOperator: op }),
      ).state;
    expect([one('GreaterThanThreshold', 1), one('GreaterThanThreshold', 2)]).toEqual([
      'OK',
      'ALARM',
    ]);
    expect([one('LessThanThreshold', 1), one('LessThanThreshold', 0)]).toEqual(['OK', 'ALARM']);
    expect([one('LessThanOrEqualToThreshold', 1), one('LessThanOrEqualToThreshold', 2)]).toEqual([
      'ALARM',
      'OK',
    ]);
  });
});

describe('metric math', () => {
  const ts = [1, 2, 3];
  const series = {
    a: new Map([
      [1, 1],
      [2, 2],
      [3, 3],
    ]),
    b: new Map([
      [1, 10],
      [3, 30],
    ]),
  };
  const run = (expression: string) =>
    compileExpression(expression).evaluate(
      (id) => series[id as 'a' | 'b'],
      () => Object.values(series),
      ts,
    );

  it('adds series only where both have a value (missing data propagates)', () => {
    expect([...run('a + b')]).toEqual([
      [1, 11],
      [3, 33],
    ]);
  });

  it('sums across an array per timestamp over the values present, and FILL fills', () => {
    expect([...run('SUM([a, b])')]).toEqual([
      [1, 11],
      [2, 2],
      [3, 33],
    ]);
    expect([...run('SUM(METRICS())')]).toEqual([
      [1, 11],
      [2, 2],
      [3, 33],
    ]);
    expect([...run('FILL(b, 0) + a')]).toEqual([
      [1, 11],
      [2, 2],
      [3, 33],
    ]);
  });

  it('knows precedence, scalars and unary minus', () => {
    expect([...run('100 * a / (a + 1) - -1')]).toEqual([
      [1, 51],
      [2, (100 * 2) / 3 + 1],
      [3, 76],
    ]);
  });

  it('names what it cannot evaluate', () => {
    expect(() => compileExpression('ANOMALY_DETECTION_BAND(a)')).toThrow(MetricMathError);
    expect(() => compileExpression('a +')).toThrow(/unexpected end/);
  });
});
