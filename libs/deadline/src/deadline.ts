import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one invocation may spend waiting on its dependencies (DynamoDB, other services), and what it
 * has spent. A slow dependency must not hold a Lambda execution environment longer than the
 * capacity plan assumes (Little's law: concurrency = rate × duration): with a budget, an invocation
 * lasts at most its budget of waiting plus its own CPU time, whatever the store does.
 *
 * Waiting is counted as wall-clock time during which at least one dependency call is in flight, so
 * calls made side by side (a store read beside a call to another service) count once, and CPU work
 * (hashing a password, say) never eats into the budget.
 */
export interface InvocationBudget {
  /** The budget, in ms of waiting. */
  readonly budgetMs: number;
  /** Epoch ms after which nothing may wait any more: the function's end, less time to answer. */
  readonly hardStopAt: number;
  /** Waiting time used by waiting periods that have ended. */
  waitedMs: number;
  /** Dependency calls in flight now. */
  inFlight: number;
  /** Epoch ms when the current waiting period began (while `inFlight > 0`). */
  waitingSince: number;
}

/** The instant by which one dependency call must end: now plus what is left of the budget. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The invocation's whole budget, in ms: named in messages and logs. */
  readonly budgetMs: number;
}

/** The reason a dependency call is aborted at its deadline. */
export class DeadlineExceededError extends Error {
  public override readonly name = 'DeadlineExceededError';

  public constructor(
    public readonly deadline: Deadline,
    what = 'the call',
  ) {
    super(
      `${what} did not finish within the invocation's ${deadline.budgetMs} ms budget for waiting on dependencies`,
    );
  }
}

interface Scope {
  readonly budget: InvocationBudget;
  /** Set inside {@link waitFor}: the call's own deadline and name. */
  readonly call?: { readonly deadline: Deadline; readonly what: string };
}

// One budget per invocation, carried through every await of it: several invocations can be in
// flight in one process (tests, a handler called twice at once), so a module variable would mix them.
const storage = new AsyncLocalStorage<Scope>();

/** A fresh budget of `budgetMs` of waiting, never past `hardStopAt` (epoch ms). */
export const newBudget = (budgetMs: number, hardStopAt: number): InvocationBudget => ({
  budgetMs,
  hardStopAt,
  waitedMs: 0,
  inFlight: 0,
  waitingSince: 0,
});

/** Runs `fn` with `budget` in force for everything it awaits; `undefined` runs it without one. */
export const runWithBudget = <T>(budget: InvocationBudget | undefined, fn: () => T): T =>
  budget === undefined ? fn() : storage.run({ budget }, fn);

/** The budget of the invocation this code runs in, if any. */
export const currentBudget = (): InvocationBudget | undefined => storage.getStore()?.budget;

/** What is left of `budget` at `now` if waiting went on from now (0 once spent). */
const leftOf = (budget: InvocationBudget, now: number): number => {
  const waiting = budget.inFlight > 0 ? now - budget.waitingSince : 0;
  return Math.max(
    0,
    Math.min(budget.budgetMs - budget.waitedMs - waiting, budget.hardStopAt - now),
  );
};

/**
 * Milliseconds left to wait: inside {@link waitFor}, until that call's deadline; elsewhere, what is
 * left of the invocation's budget. `undefined` outside an invocation with a budget.
 */
export const timeLeftMs = (now: number = Date.now()): number | undefined => {
  const scope = storage.getStore();
  if (scope === undefined) return undefined;
  return scope.call ? Math.max(0, scope.call.deadline.at - now) : leftOf(scope.budget, now);
};

/** The deadline a dependency call starting now gets (inside {@link waitFor}: that call's own). */
export const currentDeadline = (now: number = Date.now()): Deadline | undefined => {
  const scope = storage.getStore();
  if (scope === undefined) return undefined;
  return (
    scope.call?.deadline ?? { at: now + leftOf(scope.budget, now), budgetMs: scope.budget.budgetMs }
  );
};

/**
 * Runs one dependency call against the invocation's budget: the call's deadline is now plus what
 * is left, and while it is in flight the budget is spent (once, however many calls are in flight).
 * Inside `fn`, {@link timeLeftMs}, {@link currentDeadline} and {@link deadlineSignal} are the call's.
 * Without a budget (outside an invocation) it just runs `fn`.
 */
export const waitFor = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  const scope = storage.getStore();
  if (scope === undefined) return fn();
  if (scope.call) return fn(); // a call inside a call (a retry, a nested client) keeps the outer deadline
  const { budget } = scope;
  const now = Date.now();
  const deadline: Deadline = { at: now + leftOf(budget, now), budgetMs: budget.budgetMs };
  if (budget.inFlight === 0) budget.waitingSince = now;
  budget.inFlight += 1;
  try {
    return await storage.run({ budget, call: { deadline, what } }, fn);
  } finally {
    budget.inFlight -= 1;
    if (budget.inFlight === 0) budget.waitedMs += Date.now() - budget.waitingSince;
  }
};

/**
 * An AbortSignal that aborts at the current deadline (see {@link currentDeadline}) with a
 * {@link DeadlineExceededError} as its reason, already aborted once it has passed; `undefined`
 * without a budget. The timer does not keep the process alive.
 */
export const deadlineSignal = (what?: string): AbortSignal | undefined => {
  const deadline = currentDeadline();
  if (deadline === undefined) return undefined;
  const controller = new AbortController();
  const left = deadline.at - Date.now();
  const abort = () =>
    controller.abort(new DeadlineExceededError(deadline, what ?? storage.getStore()?.call?.what));
  if (left <= 0) abort();
  else setTimeout(abort, left).unref();
  return controller.signal;
};
