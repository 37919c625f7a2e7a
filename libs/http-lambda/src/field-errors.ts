import type { FieldError } from '@sm/errors';
import type { ValidatorError } from './contract';

/** The contract caps a validation problem at 100 errors and these lengths. */
const MAX_ERRORS = 100;
const MAX_POINTER = 300;
const MAX_MESSAGE = 500;

const escapePointerToken = (token: string): string =>
  token.replace(/~/g, '~0').replace(/\//g, '~1');

const pointerOf = (prefix: string, error: ValidatorError): string => {
  const base = `${prefix}${error.instancePath}`;
  const child =
    error.keyword === 'required'
      ? error.params.missingProperty
      : error.keyword === 'additionalProperties'
        ? error.params.additionalProperty
        : undefined;
  return typeof child === 'string' ? `${base}/${escapePointerToken(child)}` : base;
};

const messageOf = (error: ValidatorError): string => {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not allowed';
  return error.message ?? `must satisfy ${error.keyword}`;
};

/**
 * Turns ajv errors into the contract's `{ pointer, message }` entries. `prefix` names the request
 * part for body errors (`/body`); parameter errors already start with `/path`, `/query` or `/header`.
 * The pointer of a missing or unexpected property points at that property itself.
 */
export const toFieldErrors = (
  errors: readonly ValidatorError[] | null | undefined,
  prefix = '',
): FieldError[] => {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors ?? []) {
    const entry = {
      pointer: (pointerOf(prefix, error) || '/').slice(0, MAX_POINTER),
      message: messageOf(error).slice(0, MAX_MESSAGE),
    };
    const key = `${entry.pointer}\u0000${entry.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(entry);
    if (result.length === MAX_ERRORS) break;
  }
  return result;
};
