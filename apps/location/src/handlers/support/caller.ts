import { UnauthorizedError } from '@sm/errors';
import type { Principal } from '@sm/http-lambda';

/**
 * The caller's user id. Every location operation is secured, so the adapter has already answered
 * 401 when no authorizer principal exists; this guard only keeps that assumption explicit.
 */
export const callerId = (principal: Principal | null): string => {
  if (principal === null) throw new UnauthorizedError('A valid bearer token is required.');
  return principal.userId;
};
