import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError, type FieldError } from '@sm/errors';
import type { OperationManifestEntry, OperationValidators } from './contract';
import { toFieldErrors } from './field-errors';

/** Request parameters as the generated `parameters` validator expects them. */
export interface RawParameters {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
}

/** The request after validation: parameters coerced with defaults filled, body parsed. */
export interface ParsedRequest {
  readonly params: RawParameters;
  readonly body: unknown;
}

const definedEntries = (record: Record<string, string | undefined> | null | undefined) =>
  Object.entries(record ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);

/** Header names are case-insensitive; the contract's validators expect them lower case. */
export const lowerCaseHeaders = (event: APIGatewayProxyEvent): Record<string, string> =>
  Object.fromEntries(
    definedEntries(event.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );

const mediaTypeOf = (contentType: string | undefined): string | undefined =>
  contentType?.split(';')[0]?.trim().toLowerCase() || undefined;

/**
 * The body's size in bytes as the client sent it, without decoding it: a base64 body's decoded
 * length follows from its text (4 characters per 3 bytes, less the padding).
 */
const bodyBytes = (event: APIGatewayProxyEvent, text: string): number => {
  if (!event.isBase64Encoded) return Buffer.byteLength(text, 'utf8');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
};

const decodeBody = (event: APIGatewayProxyEvent): string | undefined => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

type BodyOutcome = { readonly body: unknown; readonly errors: readonly FieldError[] };

const parseBody = (
  event: APIGatewayProxyEvent,
  header: Record<string, string>,
  entry: OperationManifestEntry,
  validators: OperationValidators,
): BodyOutcome => {
  const declared = entry.requestBody;
  if (declared === null) return { body: undefined, errors: [] };
  // Refused before it is decoded or parsed: a body no valid request can have costs nothing more.
  const size = event.body ? bodyBytes(event, event.body) : 0;
  if (size > declared.maxBytes) {
    throw new PayloadTooLargeError(
      `The request body has ${size} bytes; ${entry.operationId} accepts at most ${declared.maxBytes}.`,
    );
  }
  const text = decodeBody(event);
  if (text === undefined) {
    return {
      body: undefined,
      errors: declared.required ? [{ pointer: '/body', message: 'is required' }] : [],
    };
  }
  if (mediaTypeOf(header['content-type']) !== declared.contentType.toLowerCase()) {
    throw new UnsupportedMediaTypeError(`Send the body as ${declared.contentType}.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { body: undefined, errors: [{ pointer: '/body', message: 'must be valid JSON' }] };
  }
  const validate = validators.body;
  if (validate === undefined || validate(body)) return { body, errors: [] };
  return { body, errors: toFieldErrors(validate.errors, '/body') };
};

/**
 * Validates an event against its operation: 413 for a body over the operation's byte limit (before
 * it is decoded or parsed); 415 for a body that is not the declared media type;
 * otherwise every parameter and body error together in one 400 validation problem. Parameters
 * are coerced and given their defaults in place by the generated validator.
 */
export const parseRequest = (
  event: APIGatewayProxyEvent,
  entry: OperationManifestEntry,
  validators: OperationValidators,
): ParsedRequest => {
  const header = lowerCaseHeaders(event);
  const params: RawParameters = {
    path: Object.fromEntries(definedEntries(event.pathParameters)),
    query: Object.fromEntries(definedEntries(event.queryStringParameters)),
    header: { ...header },
  };
  const { body, errors: bodyErrors } = parseBody(event, header, entry, validators);
  const parameterErrors = validators.parameters(params)
    ? []
    : toFieldErrors(validators.parameters.errors);
  const errors = [...parameterErrors, ...bodyErrors];
  if (errors.length > 0) throw new ValidationError(errors);
  return { params, body };
};
