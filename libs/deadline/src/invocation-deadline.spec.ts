import { currentDeadline } from './deadline';
import {
  invocationDeadline,
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

describe('invocationDeadline', () => {
  it('is the budget from now when the function has time enough', () => {
    expect(invocationDeadline(800, remaining(5_000), 1_000)).toEqual({ at: 1_800, budgetMs: 800 });
  });

  it('ends early enough to answer before the function times out', () => {
    expect(invocationDeadline(800, remaining(600), 1_000)).toEqual({
      at: 1_000 + 600 - RESPONSE_RESERVE_MS,
      budgetMs: 600 - RESPONSE_RESERVE_MS,
    });
  });

  it('without a budget, is bounded by the remaining time alone, and never in the past', () => {
    expect(invocationDeadline(undefined, remaining(3_000), 0)).toEqual({
      at: 2_750,
      budgetMs: 2_750,
    });
    expect(invocationDeadline(800, remaining(100), 5)).toEqual({ at: 5, budgetMs: 0 });
  });
});

describe('withInvocationDeadline', () => {
  it('runs each invocation under its own deadline', async () => {
    const handler = withInvocationDeadline(
      async (event: number) => ({ event, deadline: currentDeadline() }),
      {
        budgetMs: 700,
      },
    );
    const before = Date.now();
    const { event, deadline } = await handler(7, remaining(10_000));
    expect(event).toBe(7);
    expect(deadline!.budgetMs).toBe(700);
    expect(deadline!.at).toBeGreaterThanOrEqual(before + 700);
    expect(deadline!.at).toBeLessThanOrEqual(Date.now() + 700);
  });

  it('reads the budget from SM_DEADLINE_MS once, when the handler is built', async () => {
    process.env.SM_DEADLINE_MS = '1234';
    try {
      const handler = withInvocationDeadline(async () => currentDeadline()?.budgetMs);
      process.env.SM_DEADLINE_MS = '99';
      expect(await handler(undefined, remaining(10_000))).toBe(1234);
    } finally {
      delete process.env.SM_DEADLINE_MS;
    }
  });
});
