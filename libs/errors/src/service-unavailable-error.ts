import { AppError, type AppErrorOptions } from './app-error';

/** 503: a dependency or the service itself is temporarily unavailable. */
export class ServiceUnavailableError extends AppError {
  public constructor(
    detail = 'The service is temporarily unavailable; retry later.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 503,
      slug: options.slug ?? 'service-unavailable',
      title: options.title ?? 'Service Unavailable',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
