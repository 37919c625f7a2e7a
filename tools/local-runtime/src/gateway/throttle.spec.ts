import { TokenBucket } from './throttle';

describe('TokenBucket', () => {
  it('lets a burst through at once, then refills at the rate', () => {
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([true, true, true, false]);
    expect(bucket.tryTake(50)).toBe(false); // half a token
    expect(bucket.tryTake(100)).toBe(true); // one token after 100 ms at 10/s
    expect(bucket.tryTake(100)).toBe(false);
  });

  it('never holds more than the burst', () => {
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, 0);
    const after = Array.from({ length: 3 }, () => bucket.tryTake(60_000));
    expect(after).toEqual([true, true, false]);
  });
});
