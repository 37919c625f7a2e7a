import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MAXIMUM_RETRY_DELAY, StandardRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/core/protocols';
import type {
  HttpHandlerOptions,
  RetryErrorInfo,
  RetryStrategyV2,
  StandardRetryBackoffStrategy,
  StandardRetryToken,
} from '@smithy/types';
import { currentDeadline, deadlineSignal, timeLeftMs, waitFor } from '@sm/deadline';

/**
 * Makes every command sent through the client one dependency call of the invocation's budget
 * (`waitFor`): its deadline is what is left of the budget when it starts, retries and waits
 * between them included, and the time it is in flight is spent from the budget. Added at the
 * `initialize` step, outside the retry middleware.
 */
export const addInvocationDeadline = (stack: DynamoDBClient['middlewareStack']): void => {
  stack.add(
    (next, context) => (args) =>
      waitFor(`DynamoDB ${context.commandName ?? 'call'}`, () => next(args)),
    { step: 'initialize', name: 'invocationDeadlineMiddleware', priority: 'high', override: true },
  );
};

/**
 * The least time worth starting another attempt with: a DynamoDB call takes single-digit ms in AWS
 * and tens under load here. A retry that would start later than this before the deadline is not
 * made: the last error is thrown at once instead of after a wait that cannot end in an answer.
 */
export const MIN_ATTEMPT_MS = 50;

/** Thrown by the backoff when a retry could not finish before the deadline; the SDK then throws the call's last error. */
class RetryPastDeadline extends Error {
  public override readonly name = 'RetryPastDeadline';
}

/**
 * The SDK's standard backoff (full jitter: random × min(base × 2^retry, 20 s), the base being 50 ms,
 * or 1 s after a throttle), refusing a retry that would start too late to finish by the deadline.
 * The SDK calls `setDelayBase` and then this synchronously, in the call's own async context, so
 * `timeLeftMs()` is that call's.
 */
class DeadlineBackoff implements StandardRetryBackoffStrategy {
  private base = 50;

  public setDelayBase(delayBase: number): void {
    this.base = delayBase;
  }

  public computeNextBackoffDelay(retry: number): number {
    const delay = Math.floor(Math.random() * Math.min(this.base * 2 ** retry, MAXIMUM_RETRY_DELAY));
    const left = timeLeftMs();
    if (left !== undefined && delay + MIN_ATTEMPT_MS > left) {
      throw new RetryPastDeadline(
        `a retry after ${delay} ms would not finish in the ${left} ms left`,
      );
    }
    return delay;
  }
}

/**
 * Standard mode (3 attempts, exponential backoff with full jitter, the retry quota that stops
 * retries when most calls fail) bounded by the invocation's deadline: a retry is made only when it
 * can start at least {@link MIN_ATTEMPT_MS} before the deadline, and a wait is never longer than
 * the time left. When a retry is refused the SDK throws the call's last error (a
 * `ThrottlingException` after 2 attempts, say), which `@sm/http-lambda` answers with 503.
 */
export class DeadlineRetryStrategy implements RetryStrategyV2 {
  private readonly standard: StandardRetryStrategy;

  public constructor(maxAttempts: number) {
    this.standard = new StandardRetryStrategy({ maxAttempts, backoff: new DeadlineBackoff() });
  }

  public acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(scope);
  }

  public refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const refreshed = this.standard.refreshRetryTokenForRetry(token, errorInfo);
    const deadline = currentDeadline();
    if (deadline === undefined) return refreshed;
    // The backoff already refused waits past the deadline; a server's Retry-After hint can still
    // lengthen one, so the wait is also cut at the deadline (the SDK then throws the last error).
    return new Promise<StandardRetryToken>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RetryPastDeadline('the retry wait reached the deadline')),
        Math.max(0, deadline.at - Date.now()),
      );
      refreshed.then(
        (next: StandardRetryToken) => {
          clearTimeout(timer);
          resolve(next);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  public recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}

/**
 * The SDK's Node HTTP handler, with every attempt aborted at the call's deadline (an `AbortError`
 * whose cause is a `DeadlineExceededError`): a store that stops answering costs the function what
 * is left of its budget, not its timeout. Without a budget it is the SDK's handler unchanged.
 */
export class DeadlineHttpHandler extends NodeHttpHandler {
  public override handle(request: HttpRequest, options: HttpHandlerOptions = {}) {
    const atDeadline = deadlineSignal();
    if (atDeadline === undefined) return super.handle(request, options);
    const given = options.abortSignal as AbortSignal | undefined;
    return super.handle(request, {
      ...options,
      abortSignal: given ? AbortSignal.any([given, atDeadline]) : atDeadline,
    });
  }
}
