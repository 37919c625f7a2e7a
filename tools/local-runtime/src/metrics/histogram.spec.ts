import { Aggregate, RELATIVE_ERROR } from './histogram';
import { seededRandom as random } from '../seeded-random';
import { statisticFn, UnsupportedStatisticError } from './statistics';

/** Nearest-rank percentile of the exact sample, the definition the histogram approximates. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}


describe('Aggregate', () => {
  it('answers Sum, Average, Minimum, Maximum and SampleCount exactly', () => {
    const aggregate = new Aggregate();
    for (const value of [3, 0, 7.5, 0, 1]) aggregate.add(value);
    const stat = (name: string) => statisticFn(name)(aggregate);
    expect([
      stat('Sum'),
      stat('Average'),
      stat('Minimum'),
      stat('Maximum'),
      stat('SampleCount'),
    ]).toEqual([11.5, 2.3, 0, 7.5, 5]);
  });

  it.each([1, 2, 3])(
    'keeps every percentile within 1 %% of the exact nearest-rank value (seed %i, log-normal latencies)',
    (seed) => {
      const next = random(seed);
      const values = Array.from({ length: 5_000 }, () =>
        Math.exp(
          2 + 1.5 * Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next()),
        ),
      );
      const aggregate = new Aggregate();
      for (const value of values) aggregate.add(value);
      for (const p of [1, 10, 50, 90, 95, 99, 99.9]) {
        const exact = exactPercentile(values, p);
        const estimate = aggregate.percentile(p) as number;
        expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-12);
      }
    },
  );

  it('answers a one-value sample exactly and p100 as the maximum', () => {
    const one = new Aggregate();
    one.add(123.456);
    expect(one.percentile(99)).toBe(123.456);
    const many = new Aggregate();
    for (const value of [1, 2, 1000]) many.add(value);
    expect(many.percentile(100)).toBe(1000);
  });

  it('counts zeros and negative values in order', () => {
    const aggregate = new Aggregate();
    for (const value of [-10, -1, 0, 0, 5]) aggregate.add(value);
    expect(aggregate.percentile(20)).toBeCloseTo(-10, 0);
    expect(aggregate.percentile(60)).toBe(0);
    expect(aggregate.percentile(100)).toBe(5);
  });

  it('merges as if every value had been added to one aggregate, and survives a JSON round trip', () => {
    const next = random(9);
    const values = Array.from({ length: 1_000 }, () => next() * 1000);
    const whole = new Aggregate();
    const parts = [new Aggregate(), new Aggregate(), new Aggregate()];
    values.forEach((value, i) => {
      whole.add(value);
      parts[i % 3]!.add(value);
    });
    const merged = new Aggregate();
    for (const part of parts)
      merged.merge(Aggregate.fromJSON(JSON.parse(JSON.stringify(part.toJSON()))));
    expect(merged.count).toBe(whole.count);
    expect(merged.sum).toBeCloseTo(whole.sum, 6);
    for (const p of [50, 99]) expect(merged.percentile(p)).toBe(whole.percentile(p));
  });

  it('names the statistics it does not compute instead of guessing', () => {
    expect(() => statisticFn('tm99')).toThrow(UnsupportedStatisticError);
    expect(() => statisticFn('IQM')).toThrow(/not computed locally/);
    expect(statisticFn('p99.9')(Object.assign(new Aggregate(), {}))).toBeUndefined();
  });
});
