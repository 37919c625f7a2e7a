import { createTokenValidators, operationManifest, type operations } from '@sm/contract-auth';
import { createApiHandler } from '@sm/http-lambda';
import { SignInLockedError } from '../domain/errors';
import { createIssueToken } from '../domain/issue-token';
import { signInLimits } from '../sign-in-limits';
import { DynamoSignInAttempts } from '../repository/dynamo-sign-in-attempts';
import { DynamoTokenStore } from '../repository/dynamo-token-store';
import { DynamoUserStore } from '../repository/dynamo-user-store';
import { createRuntime } from './support/runtime';

const { config, observability, documentClient } = createRuntime();
const issueToken = createIssueToken({
  users: new DynamoUserStore(documentClient, config.usersTableName),
  tokens: new DynamoTokenStore(documentClient, config.tokensTableName),
  attempts: new DynamoSignInAttempts(documentClient, config.signInAttemptsTableName, signInLimits),
  ttlSeconds: config.tokenTtlSeconds,
});

/**
 * POST /tokens (createToken): 201 with a new bearer token, shown this once; 401
 * `invalid-credentials` for an unknown user or a wrong password alike; 429 `sign-in-locked` with
 * `Retry-After` once the username has used its attempts (`signInLimits`), before any scrypt.
 */
export const handler = createApiHandler<operations, 'createToken'>(
  { operationManifest, validators: { createToken: createTokenValidators } },
  {
    createToken: async ({ body }) => {
      const token = await issueToken(body).catch((error: unknown) => {
        // A lock is an attack or a user in trouble: both worth a graph (never the username: it may be a password typed in the wrong field).
        if (error instanceof SignInLockedError) observability.countMetric('SignInLocked');
        throw error;
      });
      observability.countMetric('TokenIssued');
      observability.logger.info('Token issued', { userId: token.userId, expiresAt: token.expiresAt });
      // The body is a credential: no cache (browser, proxy) may keep it. The token is the resource
      // `DELETE /tokens/current` addresses; relative, so it resolves behind any base path or stage.
      return { status: 201, body: token, headers: { 'cache-control': 'no-store', Location: 'tokens/current' } };
    },
  },
  { observability },
);
