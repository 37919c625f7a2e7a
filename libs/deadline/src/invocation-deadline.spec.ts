import { currentBudget } from './deadline';
import {
  invocationBudget,
  parseDeadlineBudget,
  RESPONSE_RESERVE_MS,
  withInvocationDeadline,
} from './invocation-deadline';

const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

describe('parseDeadlineBudget', () => {
  it.each([
    [{}, undefined],
    [{ SM_DEADLINE_MS: '' }, undefined],
    [{ SM_DEADLINE_MS: '800' }, 800],
    [{ SM_DEADLINE_MS: ' 1500 ' }, 1500],
  ])('reads %j as %p', (env, want) => {
    expect(parseDeadlineBudget(env)).toBe(want);
  });

  it.each(['0', '-5', '1.5', '8e2', 'soon', '900001'])('refuses %p, naming the variable', (raw) => {
    expect(() => parseDeadlineBudget({ SM_DEADLINE_MS: raw })).toThrow(
      `Environment variable SM_DEADLINE_MS must be a whole number of milliseconds from 1 to 900000, got '${raw}'.`,
    );
  });
});

describe('invocationBudget', () => {
  it('is the budget, with a hard stop early enough to answer before the function times out', () => {
    expect(invocationBudget(800, remaining(5_000), 1_000)).toMatchObject({
      budgetMs: 800,
      hardStopAt: 1_000 + 5_000 - RESPONSE_RESERVE_MS,
      waitedMs: 0,
      inFlight: 0,
    });
  });

  it('without a budget, is bounded by the remaining time alone, never in the past', () => {
    expect(invocationBudget(undefined, remaining(3_000), 0)).toMatchObject({
      budgetMs: 2_750,
      hardStopAt: 2_750,
    });
    expect(invocationBudget(800, remaining(100), 5)).toMatchObject({
      budgetMs: 800,
      hardStopAt: 5,
    });
  });
});

describe('withInvocationDeadline', () => {
  it('runs each invocation with a fresh budget of its own', async () => {
    const handler = withInvocationDeadline(
      async (event: number) => ({ event, budget: currentBudget() }),
      {
        budgetMs: 700,
      },
    );
    const [a, b] = await Promise.all([
      handler(1, remaining(10_000)),
      handler(2, remaining(10_000)),
    ]);
    expect(a.event).toBe(1);
    expect(a.budget).toMatchObject({ budgetMs: 700, waitedMs: 0 });
    expect(b.budget).not.toBe(a.budget);
  });

  it('reads the budget from SM_DEADLINE_MS once, when the handler is built', async () => {
    process.env.SM_DEADLINE_MS = '1234';
    try {
      const handler = withInvocationDeadline(async () => currentBudget()?.budgetMs);
      process.env.SM_DEADLINE_MS = '99';
      expect(await handler(undefined, remaining(10_000))).toBe(1234);
    } finally {
      delete process.env.SM_DEADLINE_MS;
    }
  });
});
