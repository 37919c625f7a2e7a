import { setTimeout as sleep } from 'node:timers/promises';
import {
  currentBudget,
  currentDeadline,
  DeadlineExceededError,
  deadlineSignal,
  newBudget,
  runWithBudget,
  timeLeftMs,
  waitFor,
} from './deadline';

const budgetOf = (ms: number, hardStopInMs = 60_000) => newBudget(ms, Date.now() + hardStopInMs);

describe('runWithBudget', () => {
  it('keeps each invocation’s budget through its own awaits, even when invocations interleave', async () => {
    const seen = await Promise.all(
      [30, 10, 20].map((ms) =>
        runWithBudget(budgetOf(ms * 100), async () => {
          await sleep(ms);
          const before = currentBudget()?.budgetMs;
          await sleep(30 - ms);
          return [before, currentBudget()?.budgetMs];
        }),
      ),
    );
    expect(seen).toEqual([
      [3000, 3000],
      [1000, 1000],
      [2000, 2000],
    ]);
  });

  it('runs without a budget when given none, and leaves none behind', () => {
    expect(runWithBudget(undefined, () => currentBudget())).toBeUndefined();
    runWithBudget(budgetOf(100), () => undefined);
    expect(currentBudget()).toBeUndefined();
    expect(timeLeftMs()).toBeUndefined();
    expect(deadlineSignal()).toBeUndefined();
  });
});

describe('waitFor', () => {
  it('spends the budget only while a call is in flight, not on the work between calls', async () => {
    const budget = budgetOf(1_000);
    await runWithBudget(budget, async () => {
      await waitFor('first', () => sleep(60));
      const afterFirst = budget.waitedMs;
      // CPU-bound work (a password hash, say) between two calls costs the budget nothing.
      const busyUntil = Date.now() + 60;
      while (Date.now() < busyUntil);
      expect(budget.waitedMs).toBe(afterFirst);
      const started = Date.now();
      await waitFor('second', () => sleep(60));
      const second = Date.now() - started;
      expect(afterFirst).toBeGreaterThanOrEqual(55);
      expect(budget.waitedMs - afterFirst).toBeGreaterThanOrEqual(55);
      expect(budget.waitedMs - afterFirst).toBeLessThanOrEqual(second);
    });
  });

  it('counts calls made side by side once', async () => {
    const budget = budgetOf(1_000);
    const started = Date.now();
    await runWithBudget(budget, () =>
      Promise.all([waitFor('store', () => sleep(80)), waitFor('service', () => sleep(80))]),
    );
    const wall = Date.now() - started;
    // Counted twice it would be about twice the wall time.
    expect(budget.waitedMs).toBeGreaterThanOrEqual(75);
    expect(budget.waitedMs).toBeLessThanOrEqual(wall);
    expect(budget.inFlight).toBe(0);
  });

  it('gives each call what is left of the budget as its deadline', async () => {
    const budget = budgetOf(300);
    await runWithBudget(budget, async () => {
      await waitFor('first', () => sleep(100));
      const spent = budget.waitedMs;
      const left = await waitFor('second', async () => timeLeftMs());
      expect(spent).toBeGreaterThanOrEqual(95);
      expect(left).toBeLessThanOrEqual(300 - spent);
      expect(left).toBeGreaterThanOrEqual(300 - spent - 20);
    });
  });

  it('never lets a deadline pass the hard stop (the function’s end, less time to answer)', async () => {
    await runWithBudget(budgetOf(10_000, 200), async () => {
      const deadline = await waitFor('call', async () => currentDeadline());
      expect(deadline!.at - Date.now()).toBeLessThanOrEqual(200);
      expect(deadline!.budgetMs).toBe(10_000);
    });
  });

  it('just runs the call outside an invocation', async () => {
    expect(await waitFor('call', async () => timeLeftMs())).toBeUndefined();
  });
});

describe('deadlineSignal', () => {
  it('aborts at the call’s deadline with a DeadlineExceededError naming the call and the budget', async () => {
    await runWithBudget(budgetOf(40), () =>
      waitFor('GetItem', async () => {
        const signal = deadlineSignal()!;
        expect(signal.aborted).toBe(false);
        await sleep(80);
        expect(signal.aborted).toBe(true);
        expect(signal.reason).toBeInstanceOf(DeadlineExceededError);
        expect((signal.reason as Error).message).toBe(
          "GetItem did not finish within the invocation's 40 ms budget for waiting on dependencies",
        );
      }),
    );
  });

  it('is already aborted once the budget is spent', async () => {
    const budget = budgetOf(30);
    await runWithBudget(budget, async () => {
      await waitFor('slow', () => sleep(50));
      expect(deadlineSignal()?.aborted).toBe(true);
      expect(timeLeftMs()).toBe(0);
    });
  });
});
