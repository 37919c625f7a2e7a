import { putProfileValidators, operationManifest, type operations } from '@sm/contract-profile';
import { createApiHandler } from '@sm/http-lambda';
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
    putProfile: async ({ params, body, event }) => {
      const { profile, etag, created } = await putProfile({
        callerId: principalIdOf(event),
        userId: params.path.userId,
        ifMatch: params.header['if-match'],
        request: body,
      });
      return { status: created ? 201 : 200, body: profile, headers: { ETag: etag } };
    },
  },
  { observability },
);
