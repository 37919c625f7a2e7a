import { ConflictError, UnauthorizedError } from '@sm/errors';

/** 409 `username-taken`: registration lost the race for, or re-used, an existing username. */
export class UsernameTakenError extends ConflictError {
  public constructor(username: string) {
    super(`The username '${username}' is already taken.`, {
      slug: 'username-taken',
      title: 'Username Taken',
    });
  }
}

/**
 * 401 `unauthorized` from the revoke operation when the presented token is no longer live
 * (revoked meanwhile, or expired while API Gateway still served a cached Allow).
 */
export class TokenNotActiveError extends UnauthorizedError {
  public constructor() {
    super('A valid bearer token is required.');
  }
}
