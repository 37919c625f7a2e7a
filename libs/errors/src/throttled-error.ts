import { AppError, type AppErrorOptions } from './app-error';

/** 429: the caller sent too many requests; add a `Retry-After` header through `options.headers`. */
export class ThrottledError extends AppError {
  public constructor(detail = 'Too many requests; retry later.', options: AppErrorOptions = {}) {
    super({
      status: 429,
      slug: options.slug ?? 'throttled',
      title: options.title ?? 'Too Many Requests',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
