import { AppError, type AppErrorOptions } from './app-error';

/** 413: the request body exceeds the accepted size. */
export class PayloadTooLargeError extends AppError {
  public constructor(
    detail = 'The request body is larger than this operation accepts.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 413,
      slug: options.slug ?? 'payload-too-large',
      title: options.title ?? 'Payload Too Large',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
