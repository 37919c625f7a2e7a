import type { AppErrorOptions } from './app-error';
import { UnauthorizedError } from './unauthorized-error';

/** 401: a login failed. Unknown user and wrong password must raise the same error so that they stay indistinguishable. */
export class InvalidCredentialsError extends UnauthorizedError {
  public constructor(
    detail = 'The username or password is incorrect.',
    options: AppErrorOptions = {},
  ) {
    super(detail, {
      ...options,
      slug: options.slug ?? 'invalid-credentials',
      title: options.title ?? 'Invalid Credentials',
    });
  }
}
