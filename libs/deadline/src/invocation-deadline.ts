import { runWithDeadline, type Deadline } from './deadline';

/**
 * The environment variable that carries a function's deadline budget in ms: how long one
 * invocation may wait on its dependencies, counted from its start. Set by the CDK construct from
 * the service's limits (`deadlineMs` in `apps/<svc>/src/limits.ts`), read by the capacity check
 * from the synthesized template.
 */
export const DEADLINE_ENVIRONMENT_VARIABLE = 'SM_DEADLINE_MS';

/**
 * Time kept back from the Lambda timeout for what follows the deadline: mapping the failure,
 * serialising and returning the answer. Without it, a deadline at the timeout would turn a slow
 * dependency into a timed-out invocation (a 502/504 instead of a 503).
 */
export const RESPONSE_RESERVE_MS = 250;

/** The one part of a Lambda `Context` the deadline needs. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** Lambda's longest timeout (15 min): a larger budget is a typo, not a plan. */
const MAX_BUDGET_MS = 900_000;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The deadline budget from {@link DEADLINE_ENVIRONMENT_VARIABLE}, or `undefined` when it is not set
 * (then only the function's remaining time bounds the invocation). Fails fast on a bad value, so a
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
 * The deadline of an invocation that starts now: `budgetMs` from now, but never later than the
 * function's remaining time less {@link RESPONSE_RESERVE_MS} (and never in the past).
 */
export const invocationDeadline = (
  budgetMs: number | undefined,
  context: RemainingTime,
  now: number = Date.now(),
): Deadline => {
  const remaining = Math.max(0, context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS);
  const budget = Math.min(budgetMs ?? Number.POSITIVE_INFINITY, remaining);
  return { at: now + budget, budgetMs: budget };
};

/**
 * Wraps a Lambda handler so each invocation runs under its deadline (see {@link invocationDeadline}):
 * every dependency call made through `@sm/dynamo`'s client, and every budget derived with
 * `timeLeftMs()`, ends by then. The budget is read from the environment once, when this is called
 * (at cold start), unless given.
 */
export const withInvocationDeadline = <TEvent, TContext extends RemainingTime, TResult>(
  handler: (event: TEvent, context: TContext) => Promise<TResult>,
  options: { readonly budgetMs?: number } = {},
): ((event: TEvent, context: TContext) => Promise<TResult>) => {
  const budgetMs = 'budgetMs' in options ? options.budgetMs : parseDeadlineBudget();
  return (event, context) =>
    runWithDeadline(invocationDeadline(budgetMs, context), () => handler(event, context));
};
