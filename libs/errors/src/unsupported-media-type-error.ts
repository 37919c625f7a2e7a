import { AppError, type AppErrorOptions } from './app-error';

/** 415: the request body's `Content-Type` is missing or not one the operation accepts. */
export class UnsupportedMediaTypeError extends AppError {
  public constructor(
    detail = 'The request body must be sent as application/json.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 415,
      slug: options.slug ?? 'unsupported-media-type',
      title: options.title ?? 'Unsupported Media Type',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
