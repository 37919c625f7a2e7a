import { putLocationValidators, operationManifest, type operations } from '@sm/contract-location';
import { createApiHandler } from '@sm/http-lambda';
import { callerId } from './support/caller';
import { locationService, observability } from './support/runtime';

/** `PUT /loc/{userId}` (putLocation): the owner reports their current location. */
export const handler = createApiHandler<operations, 'putLocation'>(
  { operationManifest, validators: { putLocation: putLocationValidators } },
  {
    putLocation: async ({ params, body, principal }) => {
      const location = await locationService.putLocation(
        callerId(principal),
        params.path.userId,
        body,
      );
      observability.countMetric('LocationUpdated');
      return { status: 200, body: location };
    },
  },
  { observability },
);
