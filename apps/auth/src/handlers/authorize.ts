import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { withInvocationDeadline } from '@sm/deadline';
import { withObservability } from '@sm/observability';
import { createAuthorizeToken } from '../domain/authorize-token';
import { DynamoTokenStore } from '../repository/dynamo-token-store';
import { allowWholeApi } from './support/authorizer-policy';
import { createRuntime } from './support/runtime';

const { config, observability, documentClient } = createRuntime();
const authorizeToken = createAuthorizeToken({ tokens: new DynamoTokenStore(documentClient, config.tokensTableName) });

/** The exact message API Gateway turns into 401 (and caches like any decision). */
const UNAUTHORIZED = 'Unauthorized';

/**
 * TOKEN authorizer for every secured route. Allow: the user as principal and context, on the whole
 * API (so the cached result fits any route). Refusal (malformed, unknown, revoked, expired):
 * `Error('Unauthorized')`, which API Gateway answers with 401. A failure to decide (DynamoDB
 * unreachable, …) fails closed with any other error: API Gateway then answers 500 (gateway
 * response AUTHORIZER_CONFIGURATION_ERROR), caches nothing, and the client may retry; answering
 * 401 instead would tell clients with a valid token to throw it away. The gateway response for
 * AUTHORIZER_CONFIGURATION_ERROR is a 503 problem with `Retry-After` (`@sm/infra`). The token
 * store's calls end by the invocation's deadline (`SM_DEADLINE_MS`, `@sm/deadline`): a slow store
 * fails closed in time, never holding the authorizer to its timeout. The token is never logged.
 */
export const handler = withObservability(
  observability,
  withInvocationDeadline(async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const { logger, countMetric } = observability;
    let decision;
    try {
      decision = await authorizeToken(event.authorizationToken);
    } catch (error) {
      logger.error('Authorizer could not decide; failing closed', { error: errorSummary(error) });
      throw new Error('Authorizer could not decide', { cause: error });
    }
    if (!decision.allowed) {
      logger.info('Token refused', { decision: 'deny', reason: decision.reason });
      countMetric('AuthorizationDenied');
      throw new Error(UNAUTHORIZED);
    }
    const result = allowWholeApi(decision, event.methodArn);
    logger.info('Token allowed', { decision: 'allow', userId: decision.userId, expiresAt: decision.expiresAt });
    return result;
  }),
);

// Name and message only: an SDK error's metadata is safe, but nothing token-derived goes to logs.
const errorSummary = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: typeof error };
