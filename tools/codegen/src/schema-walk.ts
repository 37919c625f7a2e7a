import { isObject, type Json, type JsonObject } from './bundle';

/** Keywords whose value is a map of name → subschema. */
export const schemaMapKeywords = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
]);
/** Keywords whose value is a list of subschemas. */
export const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value is one subschema (or, for these, possibly a boolean or list). */
export const schemaKeywords = new Set(['items', 'additionalProperties', 'additionalItems', 'not']);

/**
 * Applies `visit` to a schema and, bottom-up, to each of its subschemas, knowing which keywords
 * hold subschemas: property names inside `properties` are data, never keywords, and values such
 * as `enum`, `default` or `example` are never walked. `visit` receives the schema with its
 * subschemas already mapped and the JSON-pointer tokens of where it sits.
 */
export function mapSchema(
  schema: Json,
  visit: (schema: JsonObject, tokens: readonly string[]) => Json,
  tokens: readonly string[] = [],
): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (schemaMapKeywords.has(keyword) && isObject(value)) {
      const mapped: JsonObject = {};
      for (const [name, sub] of Object.entries(value))
        mapped[name] = mapSchema(sub, visit, [...tokens, keyword, name]);
      out[keyword] = mapped;
    } else if (schemaListKeywords.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((sub, i) => mapSchema(sub, visit, [...tokens, keyword, String(i)]));
    } else if (schemaKeywords.has(keyword)) {
      out[keyword] = Array.isArray(value)
        ? value.map((sub, i) => mapSchema(sub, visit, [...tokens, keyword, String(i)]))
        : mapSchema(value, visit, [...tokens, keyword]);
    } else {
      out[keyword] = value;
    }
  }
  return visit(out, tokens);
}
