import { epochSeconds, type Clock, type TokenStore } from './ports';
import { hashToken, parseBearer } from './token';

/** Why a token was refused; logged, never sent. A revoked token is deleted, hence `unknown`. */
export type DenialReason = 'malformed' | 'unknown' | 'expired';

export type AuthorizationDecision =
  | { readonly allowed: true; readonly userId: string; readonly username: string; readonly expiresAt: number }
  | { readonly allowed: false; readonly reason: DenialReason };

export interface AuthorizeTokenDeps {
  readonly tokens: TokenStore;
  readonly now?: Clock;
}

/**
 * Decides on an `Authorization` header value. Store failures are not decisions: they propagate,
 * so the caller fails closed instead of turning an outage into an Allow or a misleading 401.
 */
export const createAuthorizeToken =
  ({ tokens, now = Date.now }: AuthorizeTokenDeps) =>
  async (authorization: string | undefined): Promise<AuthorizationDecision> => {
    const token = parseBearer(authorization);
    if (token === undefined) return { allowed: false, reason: 'malformed' };
    const record = await tokens.find(hashToken(token));
    if (record === undefined) return { allowed: false, reason: 'unknown' };
    // Checked here because DynamoDB's TTL deletes late (up to days) and dynalite never does.
    if (record.expiresAt <= epochSeconds(now())) return { allowed: false, reason: 'expired' };
    return { allowed: true, userId: record.userId, username: record.username, expiresAt: record.expiresAt };
  };
