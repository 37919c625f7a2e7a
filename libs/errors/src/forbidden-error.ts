import { AppError, type AppErrorOptions } from './app-error';

/** 403: the caller is authenticated but not allowed, e.g. writing another user's data. */
export class ForbiddenError extends AppError {
  public constructor(
    detail = 'The caller may not perform this operation on this resource.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 403,
      slug: options.slug ?? 'forbidden',
      title: options.title ?? 'Forbidden',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
