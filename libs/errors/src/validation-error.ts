import { AppError, type AppErrorOptions } from './app-error';
import type { FieldError, ProblemDetails } from './problem-details';

/**
 * 400: the request breaks the contract or a domain rule. Each entry of `errors` names the
 * offending part with a JSON pointer (`/body/username`, `/query/cursor`) and says what is wrong.
 */
export class ValidationError extends AppError {
  public readonly errors: readonly FieldError[];

  public constructor(
    errors: readonly FieldError[],
    options: AppErrorOptions & { readonly detail?: string } = {},
  ) {
    super({
      status: 400,
      slug: options.slug ?? 'validation-error',
      title: options.title ?? 'Request Validation Failed',
      detail: options.detail ?? summarise(errors),
      cause: options.cause,
      headers: options.headers,
    });
    this.errors = errors;
  }

  /** Shortcut for the common single-field case. */
  public static of(pointer: string, message: string, options?: AppErrorOptions): ValidationError {
    return new ValidationError([{ pointer, message }], options);
  }

  public override toProblem(): ProblemDetails {
    return { ...super.toProblem(), errors: this.errors };
  }
}

const summarise = (errors: readonly FieldError[]): string => {
  const [first] = errors;
  if (first === undefined) return 'The request is invalid.';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `The request is invalid: ${first.pointer} ${first.message}${more}.`;
};
