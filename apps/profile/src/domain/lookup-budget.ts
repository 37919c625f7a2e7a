/**
 * Time kept back from the Lambda deadline for what follows the lookup: building, checking and
 * returning the response. Without it a lookup allowed to run to the deadline would turn a late
 * location into a timed-out (502) profile.
 */
export const RESPONSE_RESERVE_MS = 250;

/**
 * How long a GET may wait for the location service: the configured budget, shortened when the
 * invocation has less time left, and at least 1 ms (an immediate timeout, so `location: null`).
 */
export const lookupBudgetMs = (configuredMs: number, remainingMs: number): number =>
  Math.max(1, Math.min(configuredMs, Math.floor(remainingMs - RESPONSE_RESERVE_MS)));
