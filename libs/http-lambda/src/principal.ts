import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '@sm/errors';

/** The caller, as the TOKEN authorizer put it in the request context. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
}

/**
 * Reads the principal from `event.requestContext.authorizer`: `principalId` (the user id) and the
 * authorizer context `{ userId, username }`. Returns `null` when no authorizer ran.
 */
export const principalFromEvent = (event: APIGatewayProxyEvent): Principal | null => {
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  if (!authorizer) return null;
  const userId = nonEmptyString(authorizer.userId) ?? nonEmptyString(authorizer.principalId);
  if (userId === undefined) return null;
  return { userId, username: nonEmptyString(authorizer.username) ?? '' };
};

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The caller of a secured operation. The adapter already answers 401 before a secured handler
 * runs without a principal; this narrows the type and keeps that assumption explicit.
 */
export const requirePrincipal = (principal: Principal | null): Principal => {
  if (principal === null) throw new UnauthorizedError('A valid bearer token is required.');
  return principal;
};

/**
 * Ensures the caller owns the resource: throws 401 without a principal and 403 when the
 * principal is someone else. Returns the principal for convenience.
 */
export const requireOwner = (principal: Principal | null, ownerUserId: string): Principal => {
  const caller = requirePrincipal(principal);
  if (caller.userId !== ownerUserId) throw new ForbiddenError('Only the owner may do this.');
  return caller;
};
