import { ConflictError, ThrottledError, UnauthorizedError } from '@sm/errors';

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

/**
 * 429 `sign-in-locked`: the username has used its sign-in attempts (`signInLimits`). Said the same
 * way for unknown usernames, so it reveals nothing about the account; `Retry-After` in seconds.
 */
export class SignInLockedError extends ThrottledError {
  public constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(`Too many failed sign-ins for this username; retry in ${seconds} seconds.`, {
      slug: 'sign-in-locked',
      title: 'Sign-In Locked',
      headers: { 'Retry-After': String(seconds) },
    });
  }
}
