import { defineServiceLimits } from '@sm/infra';

/**
 * The profile service's limits, in one place: the stack reads them into the template and the
 * capacity check (`npm run check:capacity`, apps/platform tests) proves they fit together.
 *
 * `get-profile` waits for the location service up to its lookup budget (1 s, see the stack) before
 * answering with `location: null`, so its assumed p99 is that worst case plus its own read: when
 * location is slow, profile's concurrency rises to exactly what is reserved here, not beyond.
 */
export const profileLimits = defineServiceLimits({
  service: 'profile',
  stage: { rateLimit: 25, burstLimit: 25 },
  headroom: 0.8,
  functions: {
    'get-profile': { reservedConcurrency: 60, memoryMb: 512, timeoutSeconds: 6, assumedP99Ms: 1300, deadlineMs: 1200, overheadMs: 100 },
    'put-profile': { reservedConcurrency: 30, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 200, deadlineMs: 800, overheadMs: 100 },
  },
});

/** The small-account profile (see authSmallAccountLimits in apps/auth/src/limits.ts): 11 reserved. */
export const profileSmallAccountLimits = defineServiceLimits({
  ...profileLimits,
  stage: { rateLimit: 3, burstLimit: 3 },
  functions: {
    'get-profile': { ...profileLimits.functions['get-profile'], reservedConcurrency: 7 },
    'put-profile': { ...profileLimits.functions['put-profile'], reservedConcurrency: 4 },
  },
});
