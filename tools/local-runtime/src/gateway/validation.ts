import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';
import type { MethodModel } from '../assembly';
import type { GatewayError } from './gateway-responses';

/**
 * API Gateway's request validators: required request parameters, and the body against the
 * method's draft-4 model. Messages follow API Gateway's (its validator's) wording, because
 * templates put `$context.error.validationErrorString` in front of clients.
 */
export class RequestValidation {
  private readonly ajv = new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false, logger: false });
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  /** Compiles every model up front so the first request pays nothing and bad schemas fail at startup. */
  prepare(methods: MethodModel[]): void {
    for (const method of methods) {
      if (!method.validateBody) continue;
      for (const { schema } of method.requestModels.values()) this.compile(schema);
    }
  }

  checkParameters(
    method: MethodModel,
    headers: Record<string, string | string[] | undefined>,
    query: URLSearchParams,
    pathParameters: Record<string, string> | null,
  ): GatewayError | undefined {
    if (!method.validateParameters) return undefined;
    const missing: string[] = [];
    for (const [key, required] of Object.entries(method.requestParameters)) {
      if (!required) continue;
      const [, location, name] = /^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/.exec(key) ?? [];
      if (!location || !name) continue;
      const present =
        location === 'header' || location === 'multivalueheader'
          ? headers[name.toLowerCase()] !== undefined
          : location === 'path'
            ? pathParameters?.[name] !== undefined
            : query.has(name);
      if (!present) missing.push(name);
    }
    if (missing.length === 0) return undefined;
    const message = `Missing required request parameters: [${missing.join(', ')}]`;
    return { type: 'BAD_REQUEST_PARAMETERS', message, validationErrorString: message };
  }

  checkBody(method: MethodModel, contentType: string | undefined, body: string): GatewayError | undefined {
    if (!method.validateBody || method.requestModels.size === 0) return undefined;
    const mediaType = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    const model = method.requestModels.get(mediaType) ?? method.requestModels.get('$default');
    if (!model) return undefined;
    let data: unknown = {};
    if (body.trim() !== '') {
      try {
        data = JSON.parse(body);
      } catch (error) {
        return { type: 'BAD_REQUEST_BODY', validationErrorString: `[Invalid JSON: ${(error as Error).message}]` };
      }
    }
    const validate = this.compile(model.schema);
    if (validate(data)) return undefined;
    return { type: 'BAD_REQUEST_BODY', validationErrorString: formatValidationErrors(validate.errors ?? []) };
  }

  private compile(schema: object): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

/**
 * `[object has missing required properties (["username"]), …]`: the wording of the JSON Schema
 * validator API Gateway uses. Errors inside an anyOf/oneOf/allOf/not branch are summarised by the
 * combinator's own message, as that validator does.
 */
export function formatValidationErrors(errors: ErrorObject[]): string {
  const messages: string[] = [];
  const grouped = new Map<string, { keyword: string; names: string[] }>();
  for (const error of errors) {
    if (/\/(anyOf|oneOf|allOf|not)\/./.test(error.schemaPath.replace(/^#/, ''))) continue;
    if (error.keyword === 'required' || error.keyword === 'additionalProperties') {
      const key = `${error.keyword} ${error.instancePath}`;
      const name = String(error.params['missingProperty'] ?? error.params['additionalProperty']);
      const group = grouped.get(key);
      if (group) {
        group.names.push(name);
        continue;
      }
      grouped.set(key, { keyword: error.keyword, names: [name] });
      messages.push(`\u0000${key}`);
      continue;
    }
    messages.push(describe(error));
  }
  const rendered = messages.map((message) => {
    if (!message.startsWith('\u0000')) return message;
    const group = grouped.get(message.slice(1))!;
    const names = JSON.stringify([...group.names].sort());
    return group.keyword === 'required'
      ? `object has missing required properties (${names})`
      : `object instance has properties which are not allowed by the schema: ${names}`;
  });
  return `[${rendered.join(', ')}]`;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  const data = error.data;
  switch (error.keyword) {
    case 'type': {
      const allowed = new Set(String(p['type']).split(','));
      if (allowed.has('number')) allowed.add('integer');
      return `instance type (${jsonType(data)}) does not match any allowed primitive type (allowed: ${JSON.stringify([...allowed].sort())})`;
    }
    case 'enum':
      return `instance value (${JSON.stringify(data)}) not found in enum (possible values: ${JSON.stringify(p['allowedValues'])})`;
    case 'minLength':
      return `string ${JSON.stringify(data)} is too short (length: ${[...String(data)].length}, required minimum: ${p['limit']})`;
    case 'maxLength':
      return `string ${JSON.stringify(data)} is too long (length: ${[...String(data)].length}, maximum allowed: ${p['limit']})`;
    case 'pattern':
      return `ECMA 262 regex ${JSON.stringify(p['pattern'])} does not match input string ${JSON.stringify(data)}`;
    case 'minimum':
      return p['comparison'] === '>'
        ? `numeric instance is not strictly greater than the required minimum ${p['limit']}`
        : `numeric instance is lower than the required minimum (minimum: ${p['limit']}, found: ${data})`;
    case 'maximum':
      return p['comparison'] === '<'
        ? `numeric instance is not strictly lower than the required maximum ${p['limit']}`
        : `numeric instance is greater than the required maximum (maximum: ${p['limit']}, found: ${data})`;
    case 'minItems':
      return `array is too short: must have at least ${p['limit']} elements but instance has ${(data as unknown[]).length} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${p['limit']} elements but instance has ${(data as unknown[]).length} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'multipleOf':
      return `remainder of division is not zero (${data} / ${p['multipleOf']})`;
    case 'minProperties':
      return `object has too few properties (found ${Object.keys(data as object).length} but schema requires at least ${p['limit']})`;
    case 'maxProperties':
      return `object has too many properties (found ${Object.keys(data as object).length} but schema requires at most ${p['limit']})`;
    case 'oneOf':
      return `instance failed to match exactly one schema (matched ${p['passingSchemas'] ? (p['passingSchemas'] as number[]).length : 0} out of ${schemaCount(error)})`;
    case 'anyOf':
      return `instance failed to match at least one required schema among ${schemaCount(error)}`;
    case 'not':
      return 'instance matched a schema which it should not have';
    default:
      return error.message ?? error.keyword;
  }
}

function schemaCount(error: ErrorObject): number {
  return Array.isArray(error.schema) ? error.schema.length : 0;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
