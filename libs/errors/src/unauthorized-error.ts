import { AppError, type AppErrorOptions } from './app-error';

/** 401: the caller is not authenticated (missing, unknown, expired or revoked token). */
export class UnauthorizedError extends AppError {
  public constructor(
    detail = 'The request lacks valid authentication credentials.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 401,
      slug: options.slug ?? 'unauthorized',
      title: options.title ?? 'Unauthorized',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
