import type { ThrottleLimit } from '../assembly';

/**
 * API Gateway's throttling algorithm: a bucket of `burstLimit` tokens, refilled at `rateLimit`
 * tokens per second, one token per request; an empty bucket means 429.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: ThrottleLimit,
    now = performance.now(),
  ) {
    this.tokens = limit.burstLimit;
    this.updatedAt = now;
  }

  tryTake(now = performance.now()): boolean {
    const refill = ((now - this.updatedAt) / 1000) * this.limit.rateLimit;
    this.tokens = Math.min(this.limit.burstLimit, this.tokens + refill);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
