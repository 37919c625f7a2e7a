import { defineServiceLimits } from '@sm/infra';

/**
 * The auth service's limits, in one place: the stack reads them into the template and the
 * capacity check (`npm run check:capacity`, apps/platform tests) proves they fit together.
 *
 * - Registration and sign-in are rare and expensive: one scrypt hash (N=2^17, r=8: 128 MiB and
 *   about half a second of one vCPU) per call, so those functions get a full vCPU (1,769 MB) and a
 *   low per-method rate.
 * - The authorizer is called by every secured method of every API (auth, profile, location) on a
 *   cache miss; with a distinct token per request (the worst case, e.g. an attacker spraying
 *   well-formed tokens) that is the sum of those methods' rates and bursts, so its reservation is
 *   sized for all of them. Behind API Gateway a throttled authorizer is a 500 for everyone.
 */
export const authLimits = defineServiceLimits({
  service: 'auth',
  stage: { rateLimit: 10, burstLimit: 10 },
  headroom: 0.8,
  functions: {
    'create-user': { reservedConcurrency: 20, memoryMb: 1769, timeoutSeconds: 10, assumedP99Ms: 800, deadlineMs: 800, overheadMs: 700 },
    'create-token': { reservedConcurrency: 20, memoryMb: 1769, timeoutSeconds: 10, assumedP99Ms: 800, deadlineMs: 800, overheadMs: 700 },
    'revoke-token': { reservedConcurrency: 15, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 150, deadlineMs: 800, overheadMs: 100 },
    authorize: { reservedConcurrency: 240, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 100, deadlineMs: 600, overheadMs: 100 },
  },
});

/**
 * The small-account profile (context `stages.<name>.limitsProfile=small-account`, README
 * "Deploying"): the same functions at a fraction of the traffic, for an account whose Lambda
 * concurrency quota cannot hold the default reservations. With location's and profile's
 * small-account limits the system reserves 66 in all, so it fits a quota of 166 (AWS keeps 100
 * unreserved). Every inequality of the capacity check still holds.
 */
export const authSmallAccountLimits = defineServiceLimits({
  ...authLimits,
  stage: { rateLimit: 2, burstLimit: 2 },
  functions: {
    'create-user': { ...authLimits.functions['create-user'], reservedConcurrency: 4 },
    'create-token': { ...authLimits.functions['create-token'], reservedConcurrency: 4 },
    'revoke-token': { ...authLimits.functions['revoke-token'], reservedConcurrency: 3 },
    authorize: { ...authLimits.functions.authorize, reservedConcurrency: 26 },
  },
});

/**
 * Per source IP, at AWS WAF in front of the stage (and in the local runtime): sign-ins and
 * registrations together, 20 a minute. The stage's method throttle (10/s for everyone) protects
 * the functions' concurrency; this keeps one client from using all of it, and from locking many
 * usernames (the per-username lockout below). A rate-limited client gets 429 with `Retry-After: 60`.
 */
export const authPerIpLimits = {
  signInAndRegistration: { limit: 20, windowSeconds: 60 },
} as const;

/**
 * The sign-in lockout's limits (`POST /tokens`): in their own module, because create-token imports
 * them at run time and this file's `@sm/infra` (aws-cdk-lib) must never reach a function bundle.
 */
export { signInLimits, type SignInLimits } from './sign-in-limits';
