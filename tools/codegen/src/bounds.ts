import { deref, isObject, type Json, type JsonObject } from './bundle';
import { schemaKeywords, schemaListKeywords, schemaMapKeywords } from './schema-walk';

/**
 * Size bounds of a contract (OWASP API4, unrestricted resource consumption): every string and
 * every array a client sends or receives has a maximum, and every request body has a byte limit
 * derived from them, which the Lambda adapter enforces with 413 before it parses the body.
 */

/** A string without `maxLength` or an array without `maxItems`, and where it is. */
export interface UnboundedSchema {
  /** JSON pointer into the bundled contract. */
  readonly pointer: string;
  readonly kind: 'string' | 'array';
}

const escapeToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

const typesOf = (schema: JsonObject): string[] => {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
};

/** An enum's values are all known: its strings are bounded by the longest of them. */
const isEnumerated = (schema: JsonObject): boolean => Array.isArray(schema['enum']);

/**
 * Every string schema without `maxLength` and every array schema without `maxItems` anywhere in
 * the contract's schemas, parameters, request bodies, responses and headers (an `enum` counts as
 * bounded). `$ref`s are not followed: each component is visited where it is defined, once.
 */
export function findUnbounded(document: JsonObject): UnboundedSchema[] {
  const found: UnboundedSchema[] = [];
  const visitSchema = (schema: Json, pointer: string): void => {
    if (!isObject(schema) || typeof schema['$ref'] === 'string') return;
    const types = typesOf(schema);
    if (types.includes('string') && schema['maxLength'] === undefined && !isEnumerated(schema)) {
      found.push({ pointer, kind: 'string' });
    }
    if ((types.includes('array') || schema['items'] !== undefined) && schema['maxItems'] === undefined) {
      found.push({ pointer, kind: 'array' });
    }
    for (const [keyword, value] of Object.entries(schema)) {
      if (schemaMapKeywords.has(keyword) && isObject(value)) {
        for (const [name, sub] of Object.entries(value)) visitSchema(sub, `${pointer}/${keyword}/${escapeToken(name)}`);
      } else if (schemaListKeywords.has(keyword) && Array.isArray(value)) {
        value.forEach((sub, index) => visitSchema(sub, `${pointer}/${keyword}/${index}`));
      } else if (schemaKeywords.has(keyword)) {
        if (Array.isArray(value)) value.forEach((sub, index) => visitSchema(sub, `${pointer}/${keyword}/${index}`));
        else visitSchema(value, `${pointer}/${keyword}`);
      }
    }
  };
  // Every place OpenAPI 3.0 holds a schema: wherever an object has `schema`, and the components.
  const visitNode = (node: Json, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visitNode(item, `${pointer}/${index}`));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${escapeToken(key)}`;
      if (key === 'schema' || (pointer === '/components/schemas' && isObject(value))) visitSchema(value, at);
      else if (key !== 'example' && key !== 'examples' && key !== 'x-generated') visitNode(value, at);
    }
  };
  visitNode(document, '');
  return found;
}

/** Fails generation, naming every unbounded string and array, so none reaches a contract. */
export function checkBounded(contractName: string, document: JsonObject): void {
  const unbounded = findUnbounded(document);
  if (unbounded.length === 0) return;
  throw new Error(
    `contract ${contractName}: every string needs a maxLength and every array a maxItems ` +
      `(an unbounded value lets one request consume unbounded memory and storage; OWASP API4). Unbounded:\n` +
      unbounded.map((u) => `  ${u.kind} at #${u.pointer}`).join('\n'),
  );
}

/**
 * The longest a JSON number can be written (`-1.2345678901234567e-308`): numbers are not bounded by
 * their value's size but by their text, and a double never needs more.
 */
const NUMBER_BYTES = 24;
/**
 * Bytes one character of a string can take in JSON text: a code point outside the BMP escaped as
 * two `\uXXXX` sequences. `maxLength` counts code points (ajv counts surrogate pairs once).
 */
const BYTES_PER_CHARACTER = 12;

/**
 * The largest compact JSON text (no insignificant whitespace) of any value the schema accepts, in
 * bytes; throws naming the place when a value is unbounded (a string without `maxLength`, an
 * array without `maxItems`, an object open to more properties).
 */
export function maxCompactJsonBytes(document: JsonObject, schema: Json, where: string): number {
  const resolved = deref(document, schema as JsonObject);
  if (!isObject(resolved)) throw new Error(`${where}: a boolean schema has no size bound`);
  const alternatives = ['anyOf', 'oneOf'].flatMap((keyword) => (Array.isArray(resolved[keyword]) ? (resolved[keyword] as Json[]) : []));
  if (alternatives.length > 0) {
    return Math.max(...alternatives.map((sub, index) => maxCompactJsonBytes(document, sub, `${where}/anyOf/${index}`)));
  }
  if (Array.isArray(resolved['allOf'])) {
    // Every branch must hold; the tightest bound of one branch is a bound of the whole.
    return Math.min(...(resolved['allOf'] as Json[]).map((sub, index) => maxCompactJsonBytes(document, sub, `${where}/allOf/${index}`)));
  }
  if (Array.isArray(resolved['enum'])) {
    return Math.max(...(resolved['enum'] as Json[]).map((value) => Buffer.byteLength(JSON.stringify(value), 'utf8')));
  }
  const types = typesOf(resolved);
  const nullable = resolved['nullable'] === true || types.includes('null');
  const sizes = types.filter((type) => type !== 'null').map((type) => {
    switch (type) {
      case 'string': {
        const maxLength = resolved['maxLength'];
        if (typeof maxLength !== 'number') throw new Error(`${where}: a string without maxLength has no size bound`);
        return 2 + maxLength * BYTES_PER_CHARACTER;
      }
      case 'number':
      case 'integer':
        return NUMBER_BYTES;
      case 'boolean':
        return 5;
      case 'array': {
        const maxItems = resolved['maxItems'];
        if (typeof maxItems !== 'number') throw new Error(`${where}: an array without maxItems has no size bound`);
        if (maxItems === 0) return 2;
        return 2 + maxItems * maxCompactJsonBytes(document, resolved['items'] ?? {}, `${where}/items`) + (maxItems - 1);
      }
      case 'object': {
        if (resolved['additionalProperties'] !== false) {
          throw new Error(`${where}: an object that allows additional properties has no size bound; set additionalProperties: false`);
        }
        const properties = isObject(resolved['properties']) ? resolved['properties'] : {};
        const members = Object.entries(properties).map(
          ([name, sub]) => Buffer.byteLength(JSON.stringify(name), 'utf8') + 1 + maxCompactJsonBytes(document, sub, `${where}/properties/${escapeToken(name)}`),
        );
        return 2 + members.reduce((sum, size) => sum + size, 0) + Math.max(0, members.length - 1);
      }
      default:
        throw new Error(`${where}: a schema without a type has no size bound`);
    }
  });
  if (sizes.length === 0) throw new Error(`${where}: a schema without a type has no size bound`);
  return Math.max(...sizes, nullable ? 4 : 0);
}

/**
 * The byte limit of an operation's request body: twice the largest compact JSON of a valid body
 * (room for indentation and spacing, which JSON allows anywhere), plus 1 KiB, rounded up to a whole
 * KiB. A body above it cannot be a valid request written by any reasonable client; the adapter
 * answers 413 without reading it further.
 */
export function requestBodyLimitBytes(document: JsonObject, operationId: string, body: { readonly schema: Json }): number {
  const compact = maxCompactJsonBytes(document, body.schema, `${operationId} requestBody`);
  return Math.ceil((2 * compact + 1024) / 1024) * 1024;
}
