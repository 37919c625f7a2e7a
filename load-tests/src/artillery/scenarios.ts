import type { MethodLimits } from '../limits';
import type { ArtilleryScenario } from './script';

/** Half the method's rate, as the loadtest engine's below-the-limit scenarios offer. */
const half = (limits: MethodLimits) => Math.max(1, Math.floor(limits.rateLimit / 2));
/** Twice the method's rate, as its above-the-limit scenarios offer. */
const twice = (limits: MethodLimits) => limits.rateLimit * 2;

/**
 * The loadtest engine's scenarios (`src/scenarios.ts`) for Artillery: same names, methods, rates and
 * expectations. A test keeps the two lists in step.
 */
export const artilleryScenarios: ArtilleryScenario[] = [
  {
    name: 'GET /loc/{userId} below the limit',
    method: 'GET',
    resourcePath: '/loc/{userId}',
    rate: half,
    throttled: 'none',
    writes: false,
  },
  {
    name: 'GET /loc/{userId} above the limit',
    method: 'GET',
    resourcePath: '/loc/{userId}',
    rate: twice,
    throttled: 'some',
    writes: false,
  },
  {
    name: 'GET /profile/{userId} below the limit',
    method: 'GET',
    resourcePath: '/profile/{userId}',
    rate: half,
    throttled: 'none',
    writes: false,
  },
  {
    name: 'PUT /loc/{userId} above the limit',
    method: 'PUT',
    resourcePath: '/loc/{userId}',
    rate: twice,
    throttled: 'some',
    writes: true,
  },
];
