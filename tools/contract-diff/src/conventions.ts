import { isObject } from './json';
import type { Change, JsonObject, JsonValue } from './types';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The two checks oasdiff 1.39 does not make and this repository needs, on the bundled documents
 * of both sides. Everything else is oasdiff's (./oasdiff.ts); the fixture cases in
 * `__fixtures__/cases.ts` show which case each of these covers.
 *
 * - **A request schema closed** (`additionalProperties` absent/true/a schema → `false`): oasdiff has
 *   no rule on `additionalProperties` at all. Every request body here is closed, and a request an
 *   open schema accepted with an extra field is now refused with 400.
 * - **A request media type no longer accepted, when oasdiff pairs it with a `+json` variant**:
 *   oasdiff reports `application/json` → `application/merge-patch+json` as a media-type *name*
 *   change and has no request-side rule for that, so it says nothing; a client sending
 *   `application/json` gets 415.
 */
export function conventionChanges(base: JsonObject, head: JsonObject): Change[] {
  const changes: Change[] = [];
  for (const { method, path, baseOp, headOp } of sharedOperations(base, head)) {
    const operation = {
      method: method.toUpperCase(),
      path,
      ...(typeof baseOp['operationId'] === 'string' ? { operationId: baseOp['operationId'] } : {}),
    };
    const baseContent = contentOf(baseOp['requestBody']);
    const headContent = contentOf(headOp['requestBody']);
    for (const [mediaType, baseMedia] of Object.entries(baseContent)) {
      const headMedia = headContent[mediaType];
      if (headMedia === undefined) {
        if (Object.keys(headContent).length === 0) continue; // body removed: oasdiff reports it
        changes.push({
          class: 'breaking',
          level: 'error',
          code: 'request-body-media-type-removed',
          origin: 'convention',
          operation,
          location: `${operation.method} ${path} › request body`,
          message: `removed the media type \`${mediaType}\` from the request body (now only ${Object.keys(
            headContent,
          )
            .map((m) => `\`${m}\``)
            .join(', ')})`,
        });
        continue;
      }
      if (!isObject(baseMedia) || !isObject(headMedia)) continue;
      for (const jsonPath of closedSchemas(baseMedia['schema'], headMedia['schema'], '')) {
        changes.push({
          class: 'breaking',
          level: 'error',
          code: 'request-additional-properties-narrowed',
          origin: 'convention',
          operation,
          location: `${operation.method} ${path} › request body${jsonPath ? ` › ${jsonPath}` : ''}`,
          ...(jsonPath ? { jsonPath } : {}),
          message: `the request ${jsonPath ? `property \`${jsonPath.slice(1)}\`` : 'body'} no longer accepts additional properties (additionalProperties became false)`,
        });
      }
    }
  }
  return changes;
}

function* sharedOperations(base: JsonObject, head: JsonObject) {
  const basePaths = isObject(base['paths']) ? base['paths'] : {};
  const headPaths = isObject(head['paths']) ? head['paths'] : {};
  for (const [path, baseItem] of Object.entries(basePaths)) {
    const headItem = headPaths[path];
    if (!isObject(baseItem) || !isObject(headItem)) continue;
    for (const method of METHODS) {
      const baseOp = baseItem[method];
      const headOp = headItem[method];
      if (isObject(baseOp) && isObject(headOp)) yield { method, path, baseOp, headOp };
    }
  }
}

function contentOf(requestBody: JsonValue | undefined): JsonObject {
  const content = isObject(requestBody) ? requestBody['content'] : undefined;
  return isObject(content) ? content : {};
}

/** Property paths (oasdiff's `/a/items/b` form) whose object schema went from open to closed. */
function closedSchemas(
  base: JsonValue | undefined,
  head: JsonValue | undefined,
  at: string,
): string[] {
  if (!isObject(base) || !isObject(head)) return [];
  const found: string[] = [];
  const wasOpen = base['additionalProperties'] !== false;
  if (wasOpen && head['additionalProperties'] === false && isObjectSchema(base)) found.push(at);
  const baseProps = isObject(base['properties']) ? base['properties'] : {};
  const headProps = isObject(head['properties']) ? head['properties'] : {};
  for (const [name, schema] of Object.entries(baseProps)) {
    found.push(...closedSchemas(schema, headProps[name], `${at}/${name}`));
  }
  found.push(...closedSchemas(base['items'], head['items'], `${at}/items`));
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const baseList = base[keyword];
    const headList = head[keyword];
    if (!Array.isArray(baseList) || !Array.isArray(headList)) continue;
    baseList.forEach((branch, i) => found.push(...closedSchemas(branch, headList[i], at)));
  }
  return [...new Set(found)];
}

/** Only an object schema can take additional properties; `{ type: string }` closing is no change. */
function isObjectSchema(schema: JsonObject): boolean {
  return (
    schema['type'] === 'object' ||
    isObject(schema['properties']) ||
    (Array.isArray(schema['type']) && schema['type'].includes('object'))
  );
}

/** Drops a convention finding oasdiff already made (same check, operation and first `name`). */
export function withoutDuplicates(oasdiff: readonly Change[], ours: readonly Change[]): Change[] {
  const key = (c: Change) =>
    [c.code, c.operation?.method, c.operation?.path, /`([^`]+)`/.exec(c.message)?.[1]].join(' ');
  const seen = new Set(oasdiff.map(key));
  return ours.filter((change) => !seen.has(key(change)));
}
