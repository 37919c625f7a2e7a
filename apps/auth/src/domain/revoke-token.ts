import { TokenNotActiveError } from './errors';
import { epochSeconds, type Clock, type TokenStore } from './ports';
import { hashToken } from './token';

export interface RevokeTokenDeps {
  readonly tokens: TokenStore;
  readonly now?: Clock;
}

/**
 * Revokes a token by deleting its hash: the authorizer reads strongly consistently, so every later
 * evaluation refuses it. Only a live token of the calling user is deleted; anything else (already
 * revoked, expired under a cached Allow, someone else's) is a 401.
 */
export const createRevokeToken =
  ({ tokens, now = Date.now }: RevokeTokenDeps) =>
  async (token: string, userId: string): Promise<void> => {
    if (!(await tokens.deleteLive(hashToken(token), userId, epochSeconds(now())))) throw new TokenNotActiveError();
  };
