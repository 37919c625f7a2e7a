import { getLocationValidators, operationManifest, type operations } from '@sm/contract-location';
import { createApiHandler } from '@sm/http-lambda';
import { callerId } from './support/caller';
import { locationService, observability } from './support/runtime';

/**
 * `GET /loc/{userId}` (getLocation): anyone signed in reads a user's current location; the owner
 * exactly, anyone else coarsely (2 decimal places, accuracy ≥ 800 m).
 */
export const handler = createApiHandler<operations, 'getLocation'>(
  { operationManifest, validators: { getLocation: getLocationValidators } },
  {
    getLocation: async ({ params, principal }) => ({
      status: 200,
      body: await locationService.getLocation(callerId(principal), params.path.userId),
    }),
  },
  { observability },
);
