import { setTimeout as sleep } from 'node:timers/promises';
import {
  currentDeadline,
  DeadlineExceededError,
  deadlineSignal,
  runWithDeadline,
  timeLeftMs,
  type Deadline,
} from './deadline';

const inMs = (ms: number): Deadline => ({ at: Date.now() + ms, budgetMs: ms });

describe('runWithDeadline', () => {
  it('keeps each invocation’s deadline through its own awaits, even when invocations interleave', async () => {
    const seen = await Promise.all(
      [30, 10, 20].map((ms) =>
        runWithDeadline(inMs(ms * 100), async () => {
          await sleep(ms);
          const before = currentDeadline()?.budgetMs;
          await sleep(30 - ms);
          return [before, currentDeadline()?.budgetMs];
        }),
      ),
    );
    expect(seen).toEqual([
      [3000, 3000],
      [1000, 1000],
      [2000, 2000],
    ]);
  });

  it('runs without a deadline when given none, and leaves none behind', () => {
    expect(runWithDeadline(undefined, () => currentDeadline())).toBeUndefined();
    runWithDeadline(inMs(100), () => undefined);
    expect(currentDeadline()).toBeUndefined();
  });
});

describe('timeLeftMs', () => {
  it('counts down to the deadline and stops at 0', () => {
    const deadline = { at: 10_000, budgetMs: 500 };
    expect(timeLeftMs(deadline, 9_600)).toBe(400);
    expect(timeLeftMs(deadline, 12_000)).toBe(0);
    expect(timeLeftMs(undefined)).toBeUndefined();
  });
});

describe('deadlineSignal', () => {
  it('aborts at the deadline with a DeadlineExceededError naming the budget', async () => {
    const signal = deadlineSignal(inMs(40), 'GetItem')!;
    expect(signal.aborted).toBe(false);
    await sleep(80);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DeadlineExceededError);
    expect((signal.reason as Error).message).toBe(
      "GetItem did not finish within the invocation's 40 ms deadline",
    );
  });

  it('is already aborted once the deadline has passed, and absent without a deadline', () => {
    expect(deadlineSignal({ at: Date.now() - 1, budgetMs: 10 })?.aborted).toBe(true);
    expect(deadlineSignal(undefined)).toBeUndefined();
  });
});
