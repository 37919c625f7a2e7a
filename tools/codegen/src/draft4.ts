import { isObject, schemaRefName, type Json, type JsonObject } from './bundle';
import { toPointer } from './json-pointer';
import { mapSchema } from './schema-walk';

/**
 * One rule that could not travel to an API Gateway model as it is. The rule stays enforced by the
 * Lambda-side validator; the entry says so, so no rule is weakened without a record.
 */
export interface ReportEntry {
  /** The model the keyword was in, or `null` for a parameter. */
  readonly model: string | null;
  /** The operation, for a parameter entry. */
  readonly operationId?: string;
  /** JSON pointer inside the model schema, or `/<in>/<name>` for a parameter. */
  readonly pointer: string;
  readonly keyword: string;
  readonly action: string;
}

export const draft4SchemaUri = 'http://json-schema.org/draft-04/schema#';

/** Draft-4 keywords API Gateway applies as they are. */
const travels = new Set([
  'type',
  'title',
  'description',
  'default',
  'enum',
  'multipleOf',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'items',
  'additionalItems',
  'maxItems',
  'minItems',
  'uniqueItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'dependencies',
  'maxProperties',
  'minProperties',
  'allOf',
  'anyOf',
  'not',
]);

/** Keywords that only annotate: dropping them changes no validation outcome. */
const annotations = new Set([
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'xml',
  'externalDocs',
  '$comment',
]);

const lambdaEnforces = 'the Lambda validator enforces it';

export const actions = {
  annotation: 'dropped: annotation only, no effect on validation',
  format: `dropped: API Gateway models do not check formats; ${lambdaEnforces}`,
  oneOf: `dropped: API Gateway models do not support oneOf; ${lambdaEnforces}`,
  discriminator: `dropped: OpenAPI-only keyword; ${lambdaEnforces}`,
  unknown: `dropped: not a JSON Schema draft 4 keyword; ${lambdaEnforces}`,
  refSibling: 'dropped: OpenAPI 3.0 ignores keywords beside $ref',
  exclusiveBound: (bound: 'minimum' | 'maximum', value: number) =>
    `converted to draft 4 (${bound}: ${value} with exclusive${bound === 'minimum' ? 'Minimum' : 'Maximum'}: true); same rule`,
  exclusiveImplied: (bound: 'minimum' | 'maximum') =>
    `dropped: implied by the stricter ${bound}; same rule`,
} as const;

/** Replaces every local schema `$ref` by a copy of its target, so a model is self-contained. */
function inlineRefs(
  document: JsonObject,
  schema: Json,
  model: string,
  report: ReportEntry[],
  stack: readonly string[],
  base: readonly string[],
): Json {
  const schemas =
    isObject(document['components']) && isObject(document['components']['schemas'])
      ? document['components']['schemas']
      : {};
  return mapSchema(
    schema,
    (node, tokens) => {
      if (typeof node['$ref'] !== 'string') return node;
      const name = schemaRefName(node);
      if (name === undefined || schemas[name] === undefined)
        throw new Error(`${model}: cannot resolve $ref "${node['$ref']}"`);
      if (stack.includes(name)) {
        throw new Error(
          `${model}: schema ${[...stack, name].join(' → ')} is recursive and cannot be inlined into an API Gateway model`,
        );
      }
      for (const sibling of Object.keys(node)) {
        if (sibling !== '$ref')
          report.push({
            model,
            pointer: toPointer([...tokens, sibling]),
            keyword: sibling,
            action: actions.refSibling,
          });
      }
      return inlineRefs(document, schemas[name] as Json, model, report, [...stack, name], tokens);
    },
    base,
  );
}

function bound(
  node: JsonObject,
  out: JsonObject,
  side: 'minimum' | 'maximum',
  tokens: readonly string[],
  model: string,
  report: ReportEntry[],
) {
  const exclusiveKeyword = side === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const exclusive = node[exclusiveKeyword];
  if (typeof exclusive !== 'number') return;
  const inclusive = node[side];
  const pointer = toPointer([...tokens, exclusiveKeyword]);
  // Keep whichever bound is stricter, expressed the draft-4 way.
  const exclusiveIsStricter =
    typeof inclusive !== 'number' ||
    (side === 'minimum' ? exclusive >= inclusive : exclusive <= inclusive);
  if (exclusiveIsStricter) {
    out[side] = exclusive;
    out[exclusiveKeyword] = true;
    report.push({
      model,
      pointer,
      keyword: exclusiveKeyword,
      action: actions.exclusiveBound(side, exclusive),
    });
  } else {
    delete out[exclusiveKeyword];
    report.push({
      model,
      pointer,
      keyword: exclusiveKeyword,
      action: actions.exclusiveImplied(side),
    });
  }
}

/** Converts one (already inlined) schema node; subschemas were converted first. */
function convertNode(
  node: JsonObject,
  tokens: readonly string[],
  model: string,
  report: ReportEntry[],
): JsonObject {
  const out: JsonObject = {};
  const drop = (keyword: string, action: string) =>
    report.push({ model, pointer: toPointer([...tokens, keyword]), keyword, action });
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'nullable') continue; // folded into `type` / `enum` below
    if (keyword === 'required' && Array.isArray(value) && value.length === 0) continue; // draft 4 forbids []
    if (
      (keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') &&
      typeof value === 'number'
    ) {
      out[keyword] = value; // rewritten by bound() below
    } else if (travels.has(keyword)) {
      out[keyword] = value;
    } else if (annotations.has(keyword) || keyword.startsWith('x-')) {
      drop(keyword, actions.annotation);
    } else if (keyword === 'format') {
      drop(keyword, actions.format);
    } else if (keyword === 'oneOf') {
      drop(keyword, actions.oneOf);
    } else if (keyword === 'discriminator') {
      drop(keyword, actions.discriminator);
    } else {
      drop(keyword, actions.unknown);
    }
  }
  bound(node, out, 'minimum', tokens, model, report);
  bound(node, out, 'maximum', tokens, model, report);
  if (node['nullable'] === true) {
    // OpenAPI 3.0 `nullable` is draft 4's `type: [T, 'null']`; an enum must list null explicitly.
    const type = out['type'];
    if (typeof type === 'string') out['type'] = [type, 'null'];
    else if (Array.isArray(type) && !type.includes('null')) out['type'] = [...type, 'null'];
    const values = out['enum'];
    if (Array.isArray(values) && !values.includes(null)) out['enum'] = [...values, null];
  }
  return out;
}

/**
 * Converts an OpenAPI 3.0 schema into a self-contained JSON Schema draft 4 model for API Gateway:
 * `$ref`s inlined, `nullable` turned into type arrays, OpenAPI-only and untravelled keywords
 * dropped and each drop recorded in `report` with its pointer and why.
 */
export function toDraft4Model(
  document: JsonObject,
  schema: Json,
  model: string,
): { schema: JsonObject; report: ReportEntry[] } {
  const report: ReportEntry[] = [];
  const inlined = inlineRefs(document, schema, model, report, [], []);
  const converted = mapSchema(inlined, (node, tokens) => convertNode(node, tokens, model, report));
  if (!isObject(converted)) throw new Error(`${model}: a model schema must be an object`);
  const { title: _title, ...rest } = converted;
  return { schema: { $schema: draft4SchemaUri, title: model, ...rest }, report };
}
