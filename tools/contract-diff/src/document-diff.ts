import { deepEqual, isObject, show } from './json';
import { diffSchemas } from './schema-diff';
import type { Change, ChangeClass, Direction, JsonObject, JsonValue } from './types';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Top-level and operation-level keys that only document. */
const DOC_KEYS = ['summary', 'description', 'tags', 'externalDocs', 'example', 'examples'] as const;

/**
 * Classifies every difference between two bundled OpenAPI 3.x documents (no `$ref` left).
 * Operations are matched by method and path template, ignoring path-parameter names, so
 * renaming `{id}` to `{userId}` shows up as a parameter change, not a removed operation.
 */
export function diffDocuments(base: JsonObject, head: JsonObject): Change[] {
  const out = new Changes();
  diffTopLevel(base, head, out);
  diffComponentNames(base, head, out);
  diffSecuritySchemes(base, head, out);
  diffPaths(base, head, out);
  return out.list;
}

class Changes {
  readonly list: Change[] = [];

  add(cls: ChangeClass, code: string, location: string, message: string): void {
    this.list.push({ class: cls, code, location, message });
  }

  addAll(changes: Change[]): void {
    this.list.push(...changes);
  }

  /** Report documentation-only differences of `keys` as non-breaking. */
  docs(base: JsonObject, head: JsonObject, keys: readonly string[], location: string): void {
    for (const key of keys) {
      if (!deepEqual(base[key], head[key]))
        this.add(
          'non-breaking',
          'documentation-changed',
          location,
          `${key} ${show(base[key])} → ${show(head[key])}`,
        );
    }
    for (const key of new Set([...Object.keys(base), ...Object.keys(head)])) {
      if (key.startsWith('x-') && !deepEqual(base[key], head[key])) {
        this.add(
          'non-breaking',
          'extension-changed',
          location,
          `${key} ${show(base[key])} → ${show(head[key])}`,
        );
      }
    }
  }

  /** Fail closed on keys this tool does not model. */
  unknown(base: JsonObject, head: JsonObject, known: ReadonlySet<string>, location: string): void {
    for (const key of new Set([...Object.keys(base), ...Object.keys(head)])) {
      if (known.has(key) || key.startsWith('x-') || deepEqual(base[key], head[key])) continue;
      this.add(
        'breaking',
        'unclassified-change',
        location,
        `'${key}' changed: not understood, treated as breaking — review by hand`,
      );
    }
  }
}

// --- document level ---------------------------------------------------------------------

const TOP_LEVEL = new Set([
  'openapi',
  'info',
  'servers',
  'paths',
  'components',
  'security',
  'tags',
  'externalDocs',
  'jsonSchemaDialect',
]);

function diffTopLevel(base: JsonObject, head: JsonObject, out: Changes): void {
  if (base['openapi'] !== head['openapi']) {
    out.add(
      'non-breaking',
      'openapi-version-changed',
      'openapi',
      `OpenAPI ${show(base['openapi'])} → ${show(head['openapi'])}`,
    );
  }
  const baseInfo = obj(base['info']);
  const headInfo = obj(head['info']);
  if (baseInfo['version'] !== headInfo['version']) {
    out.add(
      'non-breaking',
      'version-changed',
      'info.version',
      `${show(baseInfo['version'])} → ${show(headInfo['version'])}`,
    );
  }
  out.docs(
    baseInfo,
    headInfo,
    ['title', 'summary', 'description', 'termsOfService', 'contact', 'license'],
    'info',
  );
  out.docs(base, head, ['tags', 'externalDocs'], 'document');
  if (!deepEqual(base['servers'], head['servers'])) {
    // Deployments pass the base URL to clients explicitly; `servers` here is documentation.
    out.add(
      'non-breaking',
      'servers-changed',
      'servers',
      `${show(base['servers'])} → ${show(head['servers'])}`,
    );
  }
  out.unknown(base, head, TOP_LEVEL, 'document');
}

/**
 * Component schemas reach the wire only through operations, which are compared after
 * inlining. Adding or removing a name is still worth a line: generated TypeScript types are
 * keyed by it, and the monorepo's typecheck tells consumers what to update.
 */
function diffComponentNames(base: JsonObject, head: JsonObject, out: Changes): void {
  const from = obj(base['components']);
  const to = obj(head['components']);
  for (const section of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (section === 'securitySchemes') continue; // compared where operations use them
    const a = Object.keys(obj(from[section]));
    const b = Object.keys(obj(to[section]));
    for (const name of a.filter((n) => !b.includes(n))) {
      out.add(
        'non-breaking',
        'component-removed',
        `components.${section}.${name}`,
        `component removed (operations are compared by content; generated type '${name}' disappears)`,
      );
    }
    for (const name of b.filter((n) => !a.includes(n))) {
      out.add(
        'non-breaking',
        'component-added',
        `components.${section}.${name}`,
        'component added',
      );
    }
  }
}

// --- paths and operations -----------------------------------------------------------------

interface PathEntry {
  template: string;
  item: JsonObject;
}

function pathsByShape(document: JsonObject): Map<string, PathEntry> {
  const entries = Object.entries(obj(document['paths'])).map(
    ([template, item]) =>
      [template.replace(/\{[^}]*\}/g, '{}'), { template, item: obj(item) }] as const,
  );
  return new Map(entries);
}

function diffPaths(base: JsonObject, head: JsonObject, out: Changes): void {
  const from = pathsByShape(base);
  const to = pathsByShape(head);
  for (const shape of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const a = from.get(shape);
    const b = to.get(shape);
    for (const method of METHODS) {
      const opA = a && isObject(a.item[method]) ? a.item[method] : undefined;
      const opB = b && isObject(b.item[method]) ? b.item[method] : undefined;
      const where = `${method.toUpperCase()} ${(b ?? a)?.template}`;
      if (opA && !opB) {
        const removed = `${method.toUpperCase()} ${a?.template}`;
        out.add(
          'breaking',
          'operation-removed',
          removed,
          'operation removed: its clients get an error',
        );
      } else if (!opA && opB) {
        out.add('non-breaking', 'operation-added', where, 'operation added');
      } else if (opA && opB && a && b) {
        const renames = pathRenames(a.template, b.template);
        diffOperation({ base, head, pathA: a.item, pathB: b.item, opA, opB, where, renames }, out);
      }
    }
  }
}

interface OperationPair {
  base: JsonObject;
  head: JsonObject;
  pathA: JsonObject;
  pathB: JsonObject;
  opA: JsonObject;
  opB: JsonObject;
  where: string;
  /** Path parameters renamed in the template (same position, new name): old name → new name. */
  renames: Map<string, string>;
}

function pathRenames(from: string, to: string): Map<string, string> {
  const names = (template: string) => [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');
  const a = names(from);
  const b = names(to);
  const renames = new Map<string, string>();
  a.forEach((name, i) => {
    const renamed = b[i];
    if (renamed !== undefined && renamed !== name) renames.set(name, renamed);
  });
  return renames;
}

const OPERATION_KEYS = new Set([
  ...DOC_KEYS,
  'operationId',
  'deprecated',
  'parameters',
  'requestBody',
  'responses',
  'security',
  'servers',
  'callbacks',
]);

function diffOperation(pair: OperationPair, out: Changes): void {
  const { opA, opB, where } = pair;
  if (opA['operationId'] !== opB['operationId']) {
    // Generated clients, types and the operation manifest are keyed by operationId.
    out.add(
      'breaking',
      'operation-id-changed',
      where,
      `operationId ${show(opA['operationId'])} → ${show(opB['operationId'])}: generated clients refer to it`,
    );
  }
  out.docs(opA, opB, DOC_KEYS, where);
  if (!deepEqual(opA['deprecated'], opB['deprecated'])) {
    out.add(
      'non-breaking',
      'deprecated-changed',
      where,
      `deprecated ${show(opA['deprecated'])} → ${show(opB['deprecated'])}`,
    );
  }
  if (!deepEqual(opA['servers'], opB['servers']))
    out.add(
      'non-breaking',
      'servers-changed',
      where,
      `servers ${show(opA['servers'])} → ${show(opB['servers'])}`,
    );
  if (!deepEqual(opA['callbacks'], opB['callbacks'])) {
    out.add(
      'breaking',
      'unclassified-change',
      `${where} › callbacks`,
      'callbacks changed: not modelled, treated as breaking — review by hand',
    );
  }
  diffSecurity(pair, out);
  const before = parametersOf(pair.pathA, opA);
  for (const [oldName, newName] of pair.renames) {
    // The URL a client builds is unchanged; only generated clients' parameter names differ.
    const location = `${where} › parameter path.${newName}`;
    const message = `path parameter '${oldName}' renamed to '${newName}': generated clients pass it by name`;
    out.add('breaking', 'request-parameter-renamed', location, message);
    const parameter = before.get(`path.${oldName}`);
    before.delete(`path.${oldName}`);
    if (parameter) before.set(`path.${newName}`, { ...parameter, name: newName });
  }
  diffParameters(before, parametersOf(pair.pathB, opB), where, out);
  diffRequestBody(opA['requestBody'], opB['requestBody'], where, out);
  diffResponses(obj(opA['responses']), obj(opB['responses']), where, out);
  out.unknown(opA, opB, OPERATION_KEYS, where);
}

// --- security ---------------------------------------------------------------------------------

type Requirement = Map<string, Set<string>>;

function requirementsOf(document: JsonObject, operation: JsonObject): Requirement[] {
  const raw = operation['security'] ?? document['security'] ?? [];
  const list = Array.isArray(raw) ? raw : [];
  return list.map(
    (alternative) =>
      new Map(
        Object.entries(obj(alternative)).map(([scheme, scopes]) => [
          scheme,
          new Set(Array.isArray(scopes) ? scopes.map(String) : []),
        ]),
      ),
  );
}

/** `need` is met by a client holding `held`: every scheme it names, with at least its scopes. */
function satisfiedBy(need: Requirement, held: Requirement): boolean {
  return [...need].every(([scheme, scopes]) => {
    const have = held.get(scheme);
    return have !== undefined && [...scopes].every((s) => have.has(s));
  });
}

function describeRequirements(list: Requirement[]): string {
  if (list.length === 0) return 'none';
  return list
    .map((r) =>
      r.size === 0
        ? '{}'
        : [...r]
            .map(([s, scopes]) => (scopes.size ? `${s}[${[...scopes].join(',')}]` : s))
            .join('+'),
    )
    .join(' or ');
}

function diffSecurity(pair: OperationPair, out: Changes): void {
  const from = requirementsOf(pair.base, pair.opA);
  const to = requirementsOf(pair.head, pair.opB);
  const was = describeRequirements(from);
  const now = describeRequirements(to);
  const isPublic = (list: Requirement[]) => list.length === 0 || list.some((r) => r.size === 0);
  // Every way a client could authenticate before must still be accepted.
  const everyOldClientStillPasses = (isPublic(from) ? [new Map()] : from).every(
    (held) => isPublic(to) || to.some((need) => satisfiedBy(need, held)),
  );
  if (!everyOldClientStillPasses) {
    const code = isPublic(from) ? 'security-added' : 'security-tightened';
    out.add(
      'breaking',
      code,
      `${pair.where} › security`,
      `security ${was} → ${now}: clients that called it before are now refused`,
    );
  } else if (was !== now) {
    out.add(
      'non-breaking',
      'security-relaxed',
      `${pair.where} › security`,
      `security ${was} → ${now}`,
    );
  }
}

/** Every security scheme the head document's operations use, judged once per scheme. */
function diffSecuritySchemes(base: JsonObject, head: JsonObject, out: Changes): void {
  const used = new Set<string>();
  for (const item of Object.values(obj(head['paths']))) {
    for (const method of METHODS) {
      const operation = obj(item)[method];
      if (!isObject(operation)) continue;
      for (const requirement of requirementsOf(head, operation))
        for (const name of requirement.keys()) used.add(name);
    }
  }
  const schemesA = obj(obj(base['components'])['securitySchemes']);
  const schemesB = obj(obj(head['components'])['securitySchemes']);
  // What decides how a client authenticates; description and bearerFormat only document.
  const wire = (s: JsonObject): JsonObject => {
    const fields: JsonObject = {};
    for (const key of ['type', 'scheme', 'in', 'name', 'flows', 'openIdConnectUrl']) {
      const value = s[key];
      if (value !== undefined) fields[key] = key === 'scheme' ? String(value).toLowerCase() : value;
    }
    return fields;
  };
  for (const scheme of [...used].sort()) {
    const location = `components.securitySchemes.${scheme}`;
    const b = schemesB[scheme];
    if (!isObject(b)) {
      out.add(
        'breaking',
        'security-scheme-missing',
        location,
        `security scheme '${scheme}' is used but not defined`,
      );
      continue;
    }
    const a = schemesA[scheme];
    if (!isObject(a)) continue; // a new scheme: judged by the requirement change of each operation
    if (!deepEqual(wire(a), wire(b))) {
      out.add(
        'breaking',
        'security-scheme-changed',
        location,
        `how '${scheme}' authenticates changed: ${show(wire(a))} → ${show(wire(b))}`,
      );
    } else {
      out.docs(a, b, ['description', 'bearerFormat'], location);
    }
  }
}

// --- parameters -------------------------------------------------------------------------------

function parameterKey(parameter: JsonObject): string {
  const location = String(parameter['in']);
  const name = String(parameter['name']);
  // HTTP header names are case-insensitive.
  return `${location}.${location === 'header' ? name.toLowerCase() : name}`;
}

/** Path-level parameters apply to every operation unless the operation redefines them. */
function parametersOf(pathItem: JsonObject, operation: JsonObject): Map<string, JsonObject> {
  const all = new Map<string, JsonObject>();
  for (const list of [pathItem['parameters'], operation['parameters']]) {
    for (const p of Array.isArray(list) ? list : []) if (isObject(p)) all.set(parameterKey(p), p);
  }
  return all;
}

function diffParameters(
  from: Map<string, JsonObject>,
  to: Map<string, JsonObject>,
  where: string,
  out: Changes,
): void {
  for (const key of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const a = from.get(key);
    const b = to.get(key);
    const location = `${where} › parameter ${key}`;
    if (a && !b) {
      out.add(
        'breaking',
        'request-parameter-removed',
        location,
        'parameter removed: clients that send it may be rejected or silently ignored',
      );
      continue;
    }
    if (!a && b) {
      if (b['required'] === true)
        out.add(
          'breaking',
          'request-parameter-added-required',
          location,
          'required parameter added: existing clients do not send it',
        );
      else out.add('non-breaking', 'request-parameter-added', location, 'optional parameter added');
      continue;
    }
    if (!a || !b) continue;
    const wasRequired = a['required'] === true;
    const isRequired = b['required'] === true;
    if (wasRequired !== isRequired) {
      if (isRequired)
        out.add(
          'breaking',
          'request-parameter-became-required',
          location,
          'parameter is now required: clients that omit it are rejected',
        );
      else
        out.add(
          'non-breaking',
          'request-parameter-became-optional',
          location,
          'parameter is now optional',
        );
    }
    for (const key of ['style', 'explode', 'allowReserved', 'allowEmptyValue'] as const) {
      if (!deepEqual(a[key], b[key])) {
        // How the value is serialised on the wire: a different encoding breaks clients.
        const loosened = key === 'allowEmptyValue' && b[key] === true;
        out.add(
          loosened ? 'non-breaking' : 'breaking',
          `request-parameter-${key}-changed`,
          location,
          `${key} ${show(a[key])} → ${show(b[key])}`,
        );
      }
    }
    if (!deepEqual(a['deprecated'], b['deprecated']))
      out.add(
        'non-breaking',
        'deprecated-changed',
        location,
        `deprecated ${show(a['deprecated'])} → ${show(b['deprecated'])}`,
      );
    out.docs(a, b, ['description', 'example', 'examples'], location);
    out.addAll(diffSchemas(a['schema'], b['schema'], 'request', location));
    if (a['content'] !== undefined || b['content'] !== undefined)
      diffContent(a['content'], b['content'], 'request', location, out);
  }
}

// --- request body --------------------------------------------------------------------------------

function diffRequestBody(
  rawA: JsonValue | undefined,
  rawB: JsonValue | undefined,
  where: string,
  out: Changes,
): void {
  const location = `${where} › request body`;
  if (rawA === undefined && rawB === undefined) return;
  if (rawA !== undefined && rawB === undefined) {
    out.add(
      'breaking',
      'request-body-removed',
      location,
      'request body removed: clients that send one may be rejected',
    );
    return;
  }
  const a = obj(rawA);
  const b = obj(rawB);
  if (rawA === undefined) {
    if (b['required'] === true)
      out.add(
        'breaking',
        'request-body-added-required',
        location,
        'required request body added: existing clients do not send it',
      );
    else out.add('non-breaking', 'request-body-added', location, 'optional request body added');
    return;
  }
  const wasRequired = a['required'] === true;
  const isRequired = b['required'] === true;
  if (wasRequired !== isRequired) {
    if (isRequired)
      out.add('breaking', 'request-body-became-required', location, 'request body is now required');
    else
      out.add(
        'non-breaking',
        'request-body-became-optional',
        location,
        'request body is now optional',
      );
  }
  out.docs(a, b, ['description'], location);
  diffContent(a['content'], b['content'], 'request', location, out);
}

/**
 * Media types: in a request, dropping one the server accepted breaks its clients; in a
 * response, dropping one breaks clients that read it, and adding one is negotiated (`Accept`).
 */
function diffContent(
  rawA: JsonValue | undefined,
  rawB: JsonValue | undefined,
  direction: Direction,
  location: string,
  out: Changes,
): void {
  const a = obj(rawA);
  const b = obj(rawB);
  for (const type of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const where = `${location} ${type}`;
    const mediaA = a[type];
    const mediaB = b[type];
    if (mediaA !== undefined && mediaB === undefined) {
      out.add(
        'breaking',
        `${direction}-media-type-removed`,
        where,
        direction === 'request'
          ? 'media type no longer accepted'
          : 'media type no longer returned: clients that read it break',
      );
      continue;
    }
    if (mediaA === undefined) {
      out.add('non-breaking', `${direction}-media-type-added`, where, 'media type added');
      continue;
    }
    const ma = obj(mediaA);
    const mb = obj(mediaB);
    out.docs(ma, mb, ['example', 'examples'], where);
    if (!deepEqual(ma['encoding'], mb['encoding']))
      out.add('breaking', `${direction}-encoding-changed`, where, 'multipart encoding changed');
    out.addAll(diffSchemas(ma['schema'], mb['schema'], direction, where));
  }
}

// --- responses -------------------------------------------------------------------------------------

function isSuccess(status: string): boolean {
  return /^[23]/.test(status);
}

function diffResponses(from: JsonObject, to: JsonObject, where: string, out: Changes): void {
  for (const status of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    if (status.startsWith('x-')) continue;
    const location = `${where} › response ${status}`;
    const a = from[status];
    const b = to[status];
    if (a !== undefined && b === undefined) {
      out.add(
        'breaking',
        'response-status-removed',
        location,
        `status ${status} no longer returned: clients that handle it break`,
      );
      continue;
    }
    if (a === undefined) {
      if (isSuccess(status)) {
        // A new success status changes the success type clients decode (e.g. 200 → 200|201).
        out.add(
          'breaking',
          'response-success-status-added',
          location,
          `new success status ${status}: clients expecting the previous success response may mis-handle it`,
        );
      } else {
        // Every error is the same problem+json shape, which clients must handle for any status.
        out.add(
          'non-breaking',
          'response-error-status-added',
          location,
          `new error status ${status} declared`,
        );
      }
      continue;
    }
    const ra = obj(a);
    const rb = obj(b);
    out.docs(ra, rb, ['description'], location);
    diffResponseHeaders(obj(ra['headers']), obj(rb['headers']), location, out);
    const hadBody = Object.keys(obj(ra['content'])).length > 0;
    const hasBody = Object.keys(obj(rb['content'])).length > 0;
    if (!hadBody && hasBody)
      out.add('non-breaking', 'response-body-added', location, 'response now has a body');
    else diffContent(ra['content'], rb['content'], 'response', location, out);
  }
  out.docs(from, to, [], where);
}

function diffResponseHeaders(
  from: JsonObject,
  to: JsonObject,
  location: string,
  out: Changes,
): void {
  for (const name of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    const where = `${location} › header ${name}`;
    const a = from[name];
    const b = to[name];
    if (a !== undefined && b === undefined) {
      out.add(
        'breaking',
        'response-header-removed',
        where,
        'response header removed: clients that read it break',
      );
      continue;
    }
    if (a === undefined) {
      out.add('non-breaking', 'response-header-added', where, 'response header added');
      continue;
    }
    const ha = obj(a);
    const hb = obj(b);
    const wasRequired = ha['required'] === true;
    const isRequired = hb['required'] === true;
    if (wasRequired && !isRequired)
      out.add('breaking', 'response-header-became-optional', where, 'header no longer always sent');
    if (!wasRequired && isRequired)
      out.add('non-breaking', 'response-header-became-required', where, 'header now always sent');
    out.docs(ha, hb, ['description', 'example', 'examples', 'deprecated'], where);
    out.addAll(diffSchemas(ha['schema'], hb['schema'], 'response', where));
  }
}

function obj(value: JsonValue | undefined): JsonObject {
  return isObject(value) ? value : {};
}
