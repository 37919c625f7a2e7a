import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from '@sm/errors';

/**
 * The caller's user id: the TOKEN authorizer's `principalId`. Both profile operations are secured,
 * so the adapter has already answered 401 without an authorizer; this keeps that explicit.
 */
export const principalIdOf = (event: APIGatewayProxyEvent): string => {
  const principalId: unknown = event.requestContext.authorizer?.principalId;
  if (typeof principalId !== 'string' || principalId === '') {
    throw new UnauthorizedError('A valid bearer token is required.');
  }
  return principalId;
};

/** A request header by case-insensitive name (API Gateway keeps the client's spelling). */
export const headerOf = (event: APIGatewayProxyEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
};
