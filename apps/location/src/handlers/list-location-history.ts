import {
  listLocationHistoryValidators,
  operationManifest,
  type operations,
} from '@sm/contract-location';
import { createApiHandler } from '@sm/http-lambda';
import { callerId } from './support/caller';
import { locationService, observability } from './support/runtime';

/** `GET /loc/{userId}/history` (listLocationHistory): the owner pages through their history. */
export const handler = createApiHandler<operations, 'listLocationHistory'>(
  { operationManifest, validators: { listLocationHistory: listLocationHistoryValidators } },
  {
    listLocationHistory: async ({ params, principal }) => {
      const { limit, cursor } = params.query;
      // The generated parameter validator fills the contract's default (20) in place.
      if (limit === undefined) throw new Error('query.limit missing after parameter validation');
      const page = await locationService.listHistory(callerId(principal), params.path.userId, {
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      observability.countMetric('LocationHistoryRead');
      return { status: 200, body: page };
    },
  },
  { observability },
);
