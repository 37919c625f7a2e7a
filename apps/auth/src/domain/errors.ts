import { ConflictError, InvalidCredentialsError, UnauthorizedError } from '@sm/errors';

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
 * 401 `invalid-credentials`. Raised with no arguments on purpose: an unknown user and a wrong
 * password must produce byte-identical answers, so nothing about the attempt goes in the detail.
 */
export class BadCredentialsError extends InvalidCredentialsError {
  public constructor() {
    super('The username or password is incorrect.', { title: 'Invalid Credentials' });
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
