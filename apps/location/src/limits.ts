import { defineServiceLimits } from '@sm/infra';

/**
 * The location service's limits, in one place: the stack reads them into the template and the
 * capacity check (`npm run check:capacity`, apps/platform tests) proves they fit together.
 * Location takes the most traffic (clients report positions; profile reads current locations), so
 * it has the highest per-method rate; a report is two conditional writes, a history page one query.
 */
export const locationLimits = defineServiceLimits({
  service: 'location',
  stage: { rateLimit: 50, burstLimit: 50 },
  headroom: 0.8,
  functions: {
    'put-location': { reservedConcurrency: 60, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 200, deadlineMs: 800, overheadMs: 100 },
    'get-location': { reservedConcurrency: 60, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 100, deadlineMs: 800, overheadMs: 100 },
    'list-location-history': { reservedConcurrency: 60, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 200, deadlineMs: 800, overheadMs: 100 },
  },
});

/** The small-account profile (see authSmallAccountLimits in apps/auth/src/limits.ts): 18 reserved. */
export const locationSmallAccountLimits = defineServiceLimits({
  ...locationLimits,
  stage: { rateLimit: 5, burstLimit: 5 },
  functions: {
    'put-location': { ...locationLimits.functions['put-location'], reservedConcurrency: 6 },
    'get-location': { ...locationLimits.functions['get-location'], reservedConcurrency: 6 },
    'list-location-history': { ...locationLimits.functions['list-location-history'], reservedConcurrency: 6 },
  },
});
