import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The instant by which an invocation must be done waiting on its dependencies (DynamoDB, other
 * services), so it can still answer — with a 503 if a dependency was too slow — before its caller
 * gives up, and so the time it holds a Lambda execution environment has an upper bound the
 * capacity plan can rely on (Little's law: concurrency = rate × duration).
 */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The budget it was made from, in ms: named in messages and logs. */
  readonly budgetMs: number;
}

/** Thrown (or used as an abort reason) when a dependency call would end after the deadline. */
export class DeadlineExceededError extends Error {
  public override readonly name = 'DeadlineExceededError';

  public constructor(
    public readonly deadline: Deadline,
    what = 'the call',
  ) {
    super(`${what} did not finish within the invocation's ${deadline.budgetMs} ms deadline`);
  }
}

// One deadline per invocation, carried through every await of it: several invocations can be in
// flight in one process (tests, a handler called twice at once), so a module variable would mix them.
const storage = new AsyncLocalStorage<Deadline>();

/** Runs `fn` with `deadline` in force for everything it awaits; `undefined` runs it without one. */
export const runWithDeadline = <T>(deadline: Deadline | undefined, fn: () => T): T =>
  deadline === undefined ? fn() : storage.run(deadline, fn);

/** The deadline of the invocation this code runs in, if any. */
export const currentDeadline = (): Deadline | undefined => storage.getStore();

/** Milliseconds left until the deadline (0 once passed); `undefined` without a deadline. */
export const timeLeftMs = (
  deadline: Deadline | undefined = currentDeadline(),
  now: number = Date.now(),
): number | undefined => (deadline === undefined ? undefined : Math.max(0, deadline.at - now));

/**
 * An AbortSignal that aborts at the deadline with a {@link DeadlineExceededError} as its reason
 * (already aborted once it has passed); `undefined` without a deadline. The timer does not keep
 * the process alive.
 */
export const deadlineSignal = (
  deadline: Deadline | undefined = currentDeadline(),
  what?: string,
): AbortSignal | undefined => {
  if (deadline === undefined) return undefined;
  const controller = new AbortController();
  const left = deadline.at - Date.now();
  const abort = () => controller.abort(new DeadlineExceededError(deadline, what));
  if (left <= 0) abort();
  else setTimeout(abort, left).unref();
  return controller.signal;
};
