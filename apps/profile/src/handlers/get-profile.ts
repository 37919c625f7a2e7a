import { getProfileValidators, operationManifest, type operations } from '@sm/contract-profile';
import { createApiHandler } from '@sm/http-lambda';
import { createGetProfile, lookupBudgetMs } from '../domain';
import { locationLookup, lookupConfig, reportLocationLookupFailed } from './support/location';
import { headerOf } from './support/request';
import { observability, profileRepository } from './support/runtime';

const getProfile = createGetProfile({
  repository: profileRepository,
  locations: locationLookup,
  onLocationLookupFailed: reportLocationLookupFailed,
});

/**
 * `GET /profile/{userId}` (getProfile): any signed-in caller reads a profile with the user's
 * current location, looked up with the caller's own token; `ETag` names the stored version.
 */
export const handler = createApiHandler<operations, 'getProfile'>(
  { operationManifest, validators: { getProfile: getProfileValidators } },
  {
    getProfile: async ({ params, event, context }) => {
      const { profile, etag } = await getProfile({
        userId: params.path.userId,
        authorization: headerOf(event, 'authorization'),
        lookupTimeoutMs: lookupBudgetMs(
          lookupConfig.locationLookupTimeoutMs,
          context.getRemainingTimeInMillis(),
        ),
      });
      return { status: 200, body: profile, headers: { ETag: etag } };
    },
  },
  { observability },
);
