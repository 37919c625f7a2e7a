import { getLocationValidators, operationManifest, type operations } from '@sm/contract-location';
import { createApiHandler } from '@sm/http-lambda';
import { locationService, observability } from './support/runtime';

/** `GET /loc/{userId}` (getLocation): anyone signed in reads a user's current location. */
export const handler = createApiHandler<operations, 'getLocation'>(
  { operationManifest, validators: { getLocation: getLocationValidators } },
  {
    getLocation: async ({ params }) => ({
      status: 200,
      body: await locationService.getLocation(params.path.userId),
    }),
  },
  { observability },
);
