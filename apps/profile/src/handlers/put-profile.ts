import { putProfileValidators, operationManifest, type operations } from '@sm/contract-profile';
import { createApiHandler, type ApiResponse } from '@sm/http-lambda';
import { createPutProfile } from '../domain';
import { principalIdOf } from './support/request';
import { observability, profileRepository } from './support/runtime';

const putProfile = createPutProfile({
  repository: profileRepository,
  onProfileUpdated: () => observability.countMetric('ProfileUpdated'),
});

/**
 * `PUT /profile/{userId}` (putProfile): the owner creates (201) or replaces (200) their profile;
 * with `If-Match` only while it still names the stored version (else 412). Answers the new `ETag`.
 */
export const handler = createApiHandler<operations, 'putProfile'>(
  { operationManifest, validators: { putProfile: putProfileValidators } },
  {
    putProfile: async ({ params, body, event }): Promise<ApiResponse<operations['putProfile']>> => {
      const { profile, etag, created } = await putProfile({
        callerId: principalIdOf(event),
        userId: params.path.userId,
        ifMatch: params.header['if-match'],
        request: body,
      });
      if (!created) return { status: 200, body: profile, headers: { ETag: etag } };
      // A relative reference (the last segment of this request's own URL): it resolves right
      // behind any base path or stage, where `/profile/…` would drop the stage.
      return { status: 201, body: profile, headers: { ETag: etag, Location: params.path.userId } };
    },
  },
  { observability },
);
