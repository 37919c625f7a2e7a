import { AppError, type AppErrorOptions } from './app-error';

/** 412: a conditional request (`If-Match`) no longer matches the stored version. */
export class PreconditionFailedError extends AppError {
  public constructor(
    detail = 'The resource has changed since it was read; fetch it again and retry.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 412,
      slug: options.slug ?? 'precondition-failed',
      title: options.title ?? 'Precondition Failed',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
