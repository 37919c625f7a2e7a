import { median, percentile } from './stats';

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('of %p is %p', (samples, expected) => {
    expect(median(samples)).toBe(expected);
  });

  it('is NaN without samples', () => {
    expect(median([])).toBeNaN();
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose

  it.each([
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('p%p of 1…100 is %p', (p, expected) => {
    expect(percentile(hundred, p)).toBe(expected);
  });

  it('is the maximum at p99 when there are fewer than 100 samples', () => {
    expect(percentile([5, 1, 9, 3], 99)).toBe(9);
  });

  it('does not reorder its input', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});
