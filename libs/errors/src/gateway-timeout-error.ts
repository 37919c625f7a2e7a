import { AppError, type AppErrorOptions } from './app-error';

/** 504: a dependency did not answer within its time budget. */
export class GatewayTimeoutError extends AppError {
  public constructor(
    detail = 'An upstream service did not answer in time.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 504,
      slug: options.slug ?? 'gateway-timeout',
      title: options.title ?? 'Gateway Timeout',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
