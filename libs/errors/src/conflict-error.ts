import { AppError, type AppErrorOptions } from './app-error';

/** 409: the request conflicts with existing state. Domain errors extend it with their own slug,
 * e.g. `class UsernameTakenError extends ConflictError` with `slug: 'username-taken'`. */
export class ConflictError extends AppError {
  public constructor(
    detail = 'The request conflicts with the current state of the resource.',
    options: AppErrorOptions = {},
  ) {
    super({
      status: 409,
      slug: options.slug ?? 'conflict',
      title: options.title ?? 'Conflict',
      detail,
      cause: options.cause,
      headers: options.headers,
    });
  }
}
