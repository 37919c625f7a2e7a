import { newBudget, runWithBudget, type InvocationBudget } from './deadline';

/**
 * The environment variable that carries a function's budget for waiting on dependencies, in ms per
 * invocation. Set by the CDK construct from the service's limits (`deadlineMs` in
 * `apps/<svc>/src/limits.ts`), read by the capacity check from the synthesized template.
 */
export const DEADLINE_ENVIRONMENT_VARIABLE = 'SM_DEADLINE_MS';

/**
 * Time kept back from the Lambda timeout for what follows the last wait: mapping the failure,
 * serialising and returning the answer. Without it, a budget reaching the timeout would turn a slow
 * dependency into a timed-out invocation (a 502/504 instead of a 503).
 */
export const RESPONSE_RESERVE_MS = 250;

/** The one part of a Lambda `Context` the budget needs. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** Lambda's longest timeout (15 min): a larger budget is a typo, not a plan. */
const MAX_BUDGET_MS = 900_000;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The budget from {@link DEADLINE_ENVIRONMENT_VARIABLE}, or `undefined` when it is not set (then
 * only the function's remaining time bounds the waits). Fails fast on a bad value, so a
 * misconfigured function fails at cold start, naming the variable.
 */
export const parseDeadlineBudget = (env: Environment = process.env): number | undefined => {
  const raw = env[DEADLINE_ENVIRONMENT_VARIABLE]?.trim();
  if (!raw) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_BUDGET_MS) {
    throw new Error(
      `Environment variable ${DEADLINE_ENVIRONMENT_VARIABLE} must be a whole number of milliseconds from 1 to ${MAX_BUDGET_MS}, got '${raw}'.`,
    );
  }
  return value;
};

/**
 * The budget of an invocation that starts now: `budgetMs` of waiting (unbounded when undefined),
 * never past the function's remaining time less {@link RESPONSE_RESERVE_MS}.
 */
export const invocationBudget = (
  budgetMs: number | undefined,
  context: RemainingTime,
  now: number = Date.now(),
): InvocationBudget => {
  const hardStopAt = now + Math.max(0, context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS);
  return newBudget(budgetMs ?? hardStopAt - now, hardStopAt);
};

/**
 * Wraps a Lambda handler so each invocation runs with its budget (see {@link invocationBudget}):
 * every dependency call made through `@sm/dynamo`'s client or {@link waitFor} ends by its deadline.
 * The budget is read from the environment once, when this is called (at cold start), unless given.
 */
export const withInvocationDeadline = <TEvent, TContext extends RemainingTime, TResult>(
  handler: (event: TEvent, context: TContext) => Promise<TResult>,
  options: { readonly budgetMs?: number } = {},
): ((event: TEvent, context: TContext) => Promise<TResult>) => {
  const budgetMs = 'budgetMs' in options ? options.budgetMs : parseDeadlineBudget();
  return (event, context) =>
    runWithBudget(invocationBudget(budgetMs, context), () => handler(event, context));
};
