import { AppError, type AppErrorOptions } from './app-error';

/** 502: a dependency answered with something unusable. */
export class BadGatewayError extends AppError {
  public constructor(
    detail = 'An upstream service returned an invalid response.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 502,
      slug: options.slug ?? 'bad-gateway',
      title: options.title ?? 'Bad Gateway',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
