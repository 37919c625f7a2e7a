/**
 * Problem type slugs shared by every service contract (`contracts/common/problem.yaml`).
 * A problem's `type` member is the URN `urn:problem-type:<slug>`.
 */
export type ProblemTypeSlug =
  | 'validation-error'
  | 'unauthorized'
  | 'invalid-credentials'
  | 'forbidden'
  | 'not-found'
  | 'route-not-found'
  | 'username-taken'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'throttled'
  | 'internal-error'
  | 'bad-gateway'
  | 'service-unavailable'
  | 'gateway-timeout';

/** Prefix of every problem `type` URN. */
export const PROBLEM_TYPE_PREFIX = 'urn:problem-type:';

/** Turns a slug into the problem `type` URN clients see, e.g. `urn:problem-type:not-found`. */
export const problemTypeUri = (slug: string): string => `${PROBLEM_TYPE_PREFIX}${slug}`;
