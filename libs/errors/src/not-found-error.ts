import { AppError, type AppErrorOptions } from './app-error';

/** 404: the addressed resource does not exist. */
export class NotFoundError extends AppError {
  public constructor(
    detail = 'The requested resource does not exist.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 404,
      slug: options.slug ?? 'not-found',
      title: options.title ?? 'Not Found',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
