import { deref, isObject, schemaRefName, type Json, type JsonObject } from './bundle';

export type ParameterLocation = 'path' | 'query' | 'header';

export interface ParameterInfo {
  /** The name as the contract spells it (`If-Match`). */
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly schema: Json;
  /** The contract's example value (the parameter's `example`, its first `examples`, else its schema's `example`). */
  readonly example?: Json;
}

export interface RequestBodyInfo {
  readonly required: boolean;
  readonly contentType: string;
  /** Component name of the body schema, or `<OperationId>Request` for an inline schema. */
  readonly model: string;
  readonly schema: Json;
  /** The contract's example body (the media type's `example`, its first `examples`, else its schema's `example`). */
  readonly example?: Json;
}

export interface ResponseInfo {
  readonly status: string;
  /** `null` when the response has no body (204). */
  readonly contentType: string | null;
  readonly schema: Json | null;
}

/** Everything the emitters need to know about one operation of a bundled contract. */
export interface OperationInfo {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly secured: boolean;
  readonly parameters: readonly ParameterInfo[];
  readonly requestBody: RequestBodyInfo | null;
  readonly responses: readonly ResponseInfo[];
}

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const locations = new Set<string>(['path', 'query', 'header']);

export function pascalCase(identifier: string): string {
  return identifier.charAt(0).toUpperCase() + identifier.slice(1);
}

function asObject(value: Json | undefined, where: string): JsonObject {
  if (!isObject(value)) throw new Error(`${where}: expected an object`);
  return value;
}

/** The single media type of a request body or response; a contract here declares exactly one. */
function singleContent(content: JsonObject, where: string): [string, JsonObject] {
  const entries = Object.entries(content);
  const [first] = entries;
  if (entries.length !== 1 || !first) {
    throw new Error(`${where}: declare exactly one media type (found ${entries.length})`);
  }
  return [first[0], asObject(first[1], `${where}.${first[0]}`)];
}

/**
 * The example a contract gives for a parameter or a media type: its own `example`, else the value
 * of its first `examples` entry, else its schema's `example` (through `$ref`s).
 */
function exampleOf(document: JsonObject, holder: JsonObject): Json | undefined {
  if (holder['example'] !== undefined) return holder['example'];
  const examples = holder['examples'];
  if (isObject(examples)) {
    const first = Object.values(examples)[0];
    const value = first === undefined ? undefined : deref(document, first as JsonObject);
    if (isObject(value) && value['value'] !== undefined) return value['value'];
  }
  const schema =
    holder['schema'] === undefined ? undefined : deref(document, holder['schema'] as JsonObject);
  return isObject(schema) ? schema['example'] : undefined;
}

function collectParameters(
  document: JsonObject,
  pathLevel: Json | undefined,
  opLevel: Json | undefined,
  where: string,
) {
  // Operation-level parameters override path-level ones with the same name and location.
  const byKey = new Map<string, ParameterInfo>();
  for (const list of [pathLevel, opLevel]) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`${where}: parameters must be an array`);
    for (const raw of list) {
      const parameter = asObject(deref(document, raw as JsonObject), `${where}.parameters`);
      const name = parameter['name'];
      const location = parameter['in'];
      if (typeof name !== 'string' || typeof location !== 'string' || !locations.has(location)) {
        throw new Error(
          `${where}: parameter ${JSON.stringify(name)} in ${JSON.stringify(location)} is not supported`,
        );
      }
      if (parameter['schema'] === undefined)
        throw new Error(`${where}: parameter "${name}" has no schema`);
      const info: ParameterInfo = {
        name,
        in: location as ParameterLocation,
        required: location === 'path' || parameter['required'] === true,
        schema: parameter['schema'],
        example: exampleOf(document, parameter),
      };
      byKey.set(`${location}:${name.toLowerCase()}`, info);
    }
  }
  return [...byKey.values()];
}

/**
 * Reads every operation of a bundled contract, in document order. Fails on what the emitters
 * cannot represent faithfully (several media types for one body, a missing operationId), naming
 * the operation, so a contract mistake is caught at generation time.
 */
export function collectOperations(document: JsonObject): OperationInfo[] {
  const globalSecurity = document['security'];
  const paths = asObject(document['paths'], 'paths');
  const operations: OperationInfo[] = [];
  const seen = new Set<string>();

  for (const [path, rawItem] of Object.entries(paths)) {
    const item = asObject(deref(document, rawItem as JsonObject), `paths.${path}`);
    for (const [method, rawOperation] of Object.entries(item)) {
      if (!httpMethods.has(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const operation = asObject(rawOperation, where);
      const operationId = operation['operationId'];
      if (typeof operationId !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(operationId)) {
        throw new Error(`${where}: needs an alphanumeric operationId`);
      }
      if (seen.has(operationId))
        throw new Error(`${where}: operationId "${operationId}" is used twice`);
      seen.add(operationId);

      const security = operation['security'] ?? globalSecurity;
      const secured =
        Array.isArray(security) &&
        security.length > 0 &&
        security.every((r) => isObject(r) && Object.keys(r).length > 0);

      let requestBody: RequestBodyInfo | null = null;
      if (operation['requestBody'] !== undefined) {
        const body = asObject(
          deref(document, operation['requestBody'] as JsonObject),
          `${where} requestBody`,
        );
        const [contentType, media] = singleContent(
          asObject(body['content'], `${where} requestBody.content`),
          `${where} requestBody`,
        );
        const schema = media['schema'];
        if (schema === undefined) throw new Error(`${where} requestBody: no schema`);
        requestBody = {
          required: body['required'] === true,
          contentType,
          model: schemaRefName(schema) ?? `${pascalCase(operationId)}Request`,
          schema,
          example: exampleOf(document, media),
        };
      }

      const responses: ResponseInfo[] = [];
      for (const [status, rawResponse] of Object.entries(
        asObject(operation['responses'], `${where} responses`),
      )) {
        if (!/^[1-5]\d\d$/.test(status))
          throw new Error(`${where}: response "${status}" must be an explicit status code`);
        const response = asObject(deref(document, rawResponse as JsonObject), `${where} ${status}`);
        if (response['content'] === undefined) {
          responses.push({ status, contentType: null, schema: null });
          continue;
        }
        const [contentType, media] = singleContent(
          asObject(response['content'], `${where} ${status}`),
          `${where} ${status}`,
        );
        responses.push({ status, contentType, schema: media['schema'] ?? null });
      }

      operations.push({
        operationId,
        method: method.toUpperCase(),
        path,
        secured,
        parameters: collectParameters(document, item['parameters'], operation['parameters'], where),
        requestBody,
        responses,
      });
    }
  }
  return operations;
}
