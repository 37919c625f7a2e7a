import type { OperationManifestEntry, OperationValidators } from './contract';
import { toFieldErrors } from './field-errors';

/** Thrown (in tests) when a handler's response breaks the contract. Not an `AppError`: it is a bug. */
export class ResponseValidationError extends Error {
  public constructor(
    public readonly operationId: string,
    public readonly status: number,
    public readonly violations: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Response ${status} of ${operationId} violates the contract: ${violations.join('; ')}`,
      options,
    );
    this.name = 'ResponseValidationError';
  }
}

/**
 * Checks a response against the contract: the status must be declared; its body must satisfy
 * the declared schema, or be absent when none is declared. `body` is what the client will parse
 * (the serialised JSON read back), so `undefined` members and dates are judged as sent.
 * Returns the violations, empty when the response conforms.
 */
export const responseViolations = (
  entry: OperationManifestEntry,
  validators: OperationValidators,
  status: number,
  body: unknown,
): string[] => {
  const key = String(status);
  if (!(key in entry.responses)) return [`status ${status} is not declared`];
  const validate = validators.responses[key];
  if (validate === undefined)
    return body === undefined ? [] : ['a body was sent where none is declared'];
  if (validate(body)) return [];
  return toFieldErrors(validate.errors, '/body').map(
    (error) => `${error.pointer} ${error.message}`,
  );
};
