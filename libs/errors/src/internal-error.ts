import { AppError, type AppErrorOptions } from './app-error';

/** 500: an unexpected failure. Its detail is logged, never sent (`expose` is false). */
export class InternalError extends AppError {
  public constructor(
    detail = 'An unexpected error occurred. Quote the requestId when reporting it.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 500,
      slug: options.slug ?? 'internal-error',
      title: options.title ?? 'Internal Server Error',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
