/**
 * Sign-in attempts per username (`POST /tokens`), counted for unknown usernames too so the answer
 * never tells whether an account exists (OWASP Authentication Cheat Sheet, "Account lockout"):
 *
 * - at most `maxFailures` attempts in a `windowSeconds` window; the next one is answered 429 with
 *   `Retry-After`, before any scrypt runs;
 * - the attempt that uses the last one and fails locks the username for `firstLockSeconds`, doubled
 *   at every further lock up to `maxLockSeconds` (1, 2, 4 … 60 minutes): a guesser gets about 5
 *   tries an hour, the owner is locked out for at most an hour;
 * - a successful sign-in forgets everything; so does `memorySeconds` without any attempt (the
 *   table's TTL, enforced in code as well because TTL deletion is late).
 *
 * The per-username lock cannot tell the owner from an attacker: anyone can lock a username for an
 * hour at a time. That is the accepted price of the lock (OWASP); a per-IP rate in front of
 * `POST /tokens` is what keeps one client from doing it to many usernames.
 */
export const signInLimits = {
  maxFailures: 5,
  windowSeconds: 15 * 60,
  firstLockSeconds: 60,
  maxLockSeconds: 60 * 60,
  memorySeconds: 24 * 60 * 60,
} as const satisfies SignInLimits;

/** The shape of {@link signInLimits}. */
export interface SignInLimits {
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly firstLockSeconds: number;
  readonly maxLockSeconds: number;
  /** Must be at least the window and the longest lock. */
  readonly memorySeconds: number;
}
