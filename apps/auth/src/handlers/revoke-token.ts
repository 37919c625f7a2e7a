import type { APIGatewayProxyEvent } from 'aws-lambda';
import { revokeCurrentTokenValidators, operationManifest, type operations } from '@sm/contract-auth';
import { UnauthorizedError } from '@sm/errors';
import { createApiHandler } from '@sm/http-lambda';
import { createRevokeToken } from '../domain/revoke-token';
import { parseBearer } from '../domain/token';
import { DynamoTokenStore } from '../repository/dynamo-token-store';
import { createRuntime } from './support/runtime';

const { config, observability, documentClient } = createRuntime();
const revokeToken = createRevokeToken({ tokens: new DynamoTokenStore(documentClient, config.tokensTableName) });

/** The token API Gateway's authorizer already checked; header names are case-insensitive. */
const presentedToken = (event: APIGatewayProxyEvent): string | undefined => {
  const entry = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  return parseBearer(entry?.[1]);
};

/**
 * DELETE /tokens/current (revokeCurrentToken): deletes the presented token's hash, so every later
 * authorizer evaluation refuses it (API Gateway may serve a cached Allow for up to its cache TTL).
 */
export const handler = createApiHandler<operations, 'revokeCurrentToken'>(
  { operationManifest, validators: { revokeCurrentToken: revokeCurrentTokenValidators } },
  {
    revokeCurrentToken: async ({ event, principal }) => {
      const token = presentedToken(event);
      // Both are there behind the authorizer; without them this is not a request we can honour.
      if (token === undefined || principal === null) throw new UnauthorizedError('A valid bearer token is required.');
      await revokeToken(token, principal.userId);
      observability.countMetric('TokenRevoked');
      observability.logger.info('Token revoked', { userId: principal.userId });
      return { status: 204 };
    },
  },
  { observability },
);
