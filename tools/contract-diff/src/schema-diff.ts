import { canonical, deepEqual, isObject, show } from './json';
import type { Change, ChangeClass, Direction, JsonObject, JsonValue } from './types';

/**
 * Compares two JSON Schemas (OpenAPI 3.0 or 3.1 dialect, `$ref`s already inlined) from the
 * point of view of whoever must accept the data:
 * - `request`: the server accepts what clients send. A schema that accepts less (narrowed)
 *   breaks clients; one that accepts more (widened) does not.
 * - `response`: clients accept what the server sends. A widened response can surprise a
 *   client and is breaking; a narrowed one is not.
 * Two deliberate exceptions, because clients are expected to tolerate unknown fields:
 * adding a response property and opening a response's `additionalProperties` are
 * non-breaking. Removing any property is breaking in both directions.
 */
export function diffSchemas(
  base: JsonValue | undefined,
  head: JsonValue | undefined,
  direction: Direction,
  location: string,
): Change[] {
  const changes: Change[] = [];
  new SchemaWalker(direction, location, changes).walk(base, head, '');
  return changes;
}

type Variance = 'narrowed' | 'widened' | 'changed';

/** Keywords that describe, not constrain: changing them never breaks a client. */
const DOCUMENTATION = new Set([
  'title',
  'description',
  'example',
  'examples',
  'externalDocs',
  'xml',
  '$comment',
  'deprecated',
]);

/** Every keyword this module classifies; a change to any other keyword fails closed as breaking. */
const HANDLED = new Set([
  ...DOCUMENTATION,
  'type',
  'nullable',
  'format',
  'pattern',
  'enum',
  'const',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'readOnly',
  'writeOnly',
]);

const LOWER_BOUNDS = ['minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maxProperties'] as const;

class SchemaWalker {
  constructor(
    private readonly direction: Direction,
    private readonly location: string,
    private readonly out: Change[],
  ) {}

  walk(rawBase: JsonValue | undefined, rawHead: JsonValue | undefined, path: string): void {
    if (deepEqual(rawBase, rawHead)) return;
    if (rawBase === undefined || rawHead === undefined) {
      // A schema appearing where there was none (or vanishing) is a move from "anything" to
      // something specific: narrowing when it appears, widening when it goes.
      this.variance(
        rawBase === undefined ? 'narrowed' : 'widened',
        'schema',
        path,
        rawBase === undefined ? 'schema added' : 'schema removed',
      );
      return;
    }
    const base = normalize(rawBase);
    const head = normalize(rawHead);
    if (deepEqual(base, head)) return;

    this.types(base, head, path);
    this.numericBounds(base, head, path);
    for (const key of LOWER_BOUNDS) this.bound(key, 'lower', base[key], head[key], path);
    for (const key of UPPER_BOUNDS) this.bound(key, 'upper', base[key], head[key], path);
    this.optionalConstraint('pattern', base, head, path);
    this.optionalConstraint('format', base, head, path);
    this.multipleOf(base, head, path);
    this.flag('uniqueItems', base, head, path);
    this.enumeration(base, head, path);
    this.properties(base, head, path);
    this.additionalProperties(base, head, path);
    this.items(base, head, path);
    this.composition('oneOf', base, head, path);
    this.composition('anyOf', base, head, path);
    this.composition('allOf', base, head, path);
    this.not(base, head, path);
    this.defaults(base, head, path);
    this.documentation(base, head, path);
    this.unhandled(base, head, path);
  }

  // --- keyword groups -------------------------------------------------------------------

  private types(base: JsonObject, head: JsonObject, path: string): void {
    const from = typeSet(base);
    const to = typeSet(head);
    if (sameSet(from, to)) return;
    const narrowed = covers(from, to);
    const widened = covers(to, from);
    const variance: Variance =
      narrowed && !widened ? 'narrowed' : widened && !narrowed ? 'widened' : 'changed';
    this.variance(variance, 'type', path, `type ${describeTypes(from)} → ${describeTypes(to)}`);
  }

  private numericBounds(base: JsonObject, head: JsonObject, path: string): void {
    for (const side of ['lower', 'upper'] as const) {
      const from = numericBound(base, side);
      const to = numericBound(head, side);
      const key = side === 'lower' ? 'minimum' : 'maximum';
      if (from === undefined && to === undefined) continue;
      if (from && to && from.value === to.value && from.exclusive === to.exclusive) continue;
      const render = (b?: Bound) =>
        b
          ? `${b.exclusive ? (side === 'lower' ? '>' : '<') : side === 'lower' ? '≥' : '≤'} ${b.value}`
          : 'unbounded';
      const strictness = compareStrictness(from, to, side);
      this.variance(
        strictness > 0 ? 'narrowed' : 'widened',
        key,
        path,
        `${key} ${render(from)} → ${render(to)}`,
      );
    }
  }

  private bound(
    key: string,
    side: 'lower' | 'upper',
    from: JsonValue | undefined,
    to: JsonValue | undefined,
    path: string,
  ): void {
    if (from === to) return;
    const a = typeof from === 'number' ? { value: from, exclusive: false } : undefined;
    const b = typeof to === 'number' ? { value: to, exclusive: false } : undefined;
    if (!a && !b) return;
    const strictness = compareStrictness(a, b, side);
    this.variance(
      strictness > 0 ? 'narrowed' : 'widened',
      key,
      path,
      `${key} ${show(from)} → ${show(to)}`,
    );
  }

  /** pattern/format: adding one narrows, removing widens, replacing one cannot be proven either way. */
  private optionalConstraint(
    key: 'pattern' | 'format',
    base: JsonObject,
    head: JsonObject,
    path: string,
  ): void {
    const from = base[key];
    const to = head[key];
    if (deepEqual(from, to)) return;
    const variance: Variance =
      from === undefined ? 'narrowed' : to === undefined ? 'widened' : 'changed';
    this.variance(variance, key, path, `${key} ${show(from)} → ${show(to)}`);
  }

  private multipleOf(base: JsonObject, head: JsonObject, path: string): void {
    const from = base['multipleOf'];
    const to = head['multipleOf'];
    if (from === to) return;
    let variance: Variance = 'changed';
    if (typeof from !== 'number') variance = 'narrowed';
    else if (typeof to !== 'number') variance = 'widened';
    else if (isMultiple(to, from)) variance = 'narrowed';
    else if (isMultiple(from, to)) variance = 'widened';
    this.variance(variance, 'multipleOf', path, `multipleOf ${show(from)} → ${show(to)}`);
  }

  private flag(key: 'uniqueItems', base: JsonObject, head: JsonObject, path: string): void {
    const from = base[key] === true;
    const to = head[key] === true;
    if (from === to) return;
    this.variance(to ? 'narrowed' : 'widened', key, path, `${key} ${from} → ${to}`);
  }

  private enumeration(base: JsonObject, head: JsonObject, path: string): void {
    const from = enumValues(base);
    const to = enumValues(head);
    if (!from && !to) return;
    if (!from || !to) {
      this.variance(
        from ? 'widened' : 'narrowed',
        'enum',
        path,
        from
          ? `enum ${show(base['enum'] ?? base['const'])} removed`
          : `enum ${show(head['enum'] ?? head['const'])} added`,
      );
      return;
    }
    const removed = [...from.keys()].filter((k) => !to.has(k));
    const added = [...to.keys()].filter((k) => !from.has(k));
    if (removed.length === 0 && added.length === 0) return;
    if (removed.length > 0) {
      this.variance(
        'narrowed',
        'enum',
        path,
        `enum value(s) removed: ${removed.map((k) => show(from.get(k))).join(', ')}`,
      );
    }
    if (added.length > 0) {
      this.variance(
        'widened',
        'enum',
        path,
        `enum value(s) added: ${added.map((k) => show(to.get(k))).join(', ')}`,
      );
    }
  }

  private properties(base: JsonObject, head: JsonObject, path: string): void {
    const from = visibleProperties(base, this.direction);
    const to = visibleProperties(head, this.direction);
    const requiredFrom = requiredSet(base, hiddenProperties(base, this.direction));
    const requiredTo = requiredSet(head, hiddenProperties(head, this.direction));
    const names = new Set([...from.keys(), ...to.keys(), ...requiredFrom, ...requiredTo]);
    const side = this.direction;
    for (const name of [...names].sort()) {
      const child = `${path}/${name}`;
      const inBase = from.has(name) || requiredFrom.has(name);
      const inHead = to.has(name) || requiredTo.has(name);
      if (inBase && !inHead) {
        this.emit(
          'breaking',
          `${side}-property-removed`,
          child,
          side === 'request'
            ? `property '${name}' removed: clients that send it may be rejected`
            : `property '${name}' removed: clients that read it will miss it`,
        );
        continue;
      }
      if (!inBase && inHead) {
        const required = requiredTo.has(name);
        if (side === 'request' && required) {
          this.emit(
            'breaking',
            'request-property-added-required',
            child,
            `required property '${name}' added: existing clients do not send it`,
          );
        } else {
          this.emit(
            'non-breaking',
            `${side}-property-added`,
            child,
            `${required ? 'required' : 'optional'} property '${name}' added`,
          );
        }
        continue;
      }
      const wasRequired = requiredFrom.has(name);
      const isRequired = requiredTo.has(name);
      if (wasRequired !== isRequired) {
        if (side === 'request') {
          this.emit(
            isRequired ? 'breaking' : 'non-breaking',
            `request-property-${isRequired ? 'became-required' : 'became-optional'}`,
            child,
            isRequired
              ? `property '${name}' is now required: clients that omit it are rejected`
              : `property '${name}' is now optional`,
          );
        } else {
          this.emit(
            isRequired ? 'non-breaking' : 'breaking',
            `response-property-${isRequired ? 'became-required' : 'became-optional'}`,
            child,
            isRequired
              ? `property '${name}' is now always present`
              : `property '${name}' is no longer always present: clients that rely on it may fail`,
          );
        }
      }
      this.walk(from.get(name) ?? {}, to.get(name) ?? {}, child);
    }
  }

  private additionalProperties(base: JsonObject, head: JsonObject, path: string): void {
    const from = base['additionalProperties'];
    const to = head['additionalProperties'];
    if (deepEqual(from, to)) return;
    const openness = (v: JsonValue | undefined) =>
      v === undefined || v === true ? 'open' : v === false ? 'closed' : 'schema';
    const a = openness(from);
    const b = openness(to);
    if (a === 'schema' && b === 'schema') {
      this.walk(from, to, `${path}/*`);
      return;
    }
    if (a === b) return; // undefined ↔ true
    const rank = { open: 2, schema: 1, closed: 0 } as const;
    const variance: Variance = rank[b] < rank[a] ? 'narrowed' : 'widened';
    const message = `additionalProperties ${show(from)} → ${show(to)}`;
    if (this.direction === 'response' && variance === 'widened') {
      // Clients already tolerate added response fields (see module doc), so they tolerate this too.
      this.emit(
        'non-breaking',
        'response-additionalProperties-widened',
        path,
        `${message}: responses may carry extra fields`,
      );
      return;
    }
    this.variance(variance, 'additionalProperties', path, message);
  }

  private items(base: JsonObject, head: JsonObject, path: string): void {
    const from = base['items'];
    const to = head['items'];
    if (deepEqual(from, to)) return;
    if (Array.isArray(from) || Array.isArray(to)) {
      const a = Array.isArray(from) ? from : [];
      const b = Array.isArray(to) ? to : [];
      for (let i = 0; i < Math.max(a.length, b.length); i++)
        this.walk(a[i] ?? {}, b[i] ?? {}, `${path}[${i}]`);
      return;
    }
    this.walk(from ?? {}, to ?? {}, `${path}[]`);
  }

  /**
   * Branches are matched by equality first, then pairwise in order. An extra branch widens
   * (oneOf/anyOf) or narrows (allOf); a missing one does the opposite.
   */
  private composition(
    key: 'oneOf' | 'anyOf' | 'allOf',
    base: JsonObject,
    head: JsonObject,
    path: string,
  ): void {
    const from = base[key];
    const to = head[key];
    if (deepEqual(from, to)) return;
    if (!Array.isArray(from) || !Array.isArray(to)) {
      this.variance(
        'changed',
        key,
        path,
        `${key} ${from === undefined ? 'introduced' : to === undefined ? 'removed' : 'changed'}: compatibility cannot be proven`,
      );
      return;
    }
    const unmatchedTo = to.map((branch, index) => ({ branch, index }));
    const unmatchedFrom: { branch: JsonValue; index: number }[] = [];
    from.forEach((branch, index) => {
      const match = unmatchedTo.findIndex((candidate) => deepEqual(candidate.branch, branch));
      if (match === -1) unmatchedFrom.push({ branch, index });
      else unmatchedTo.splice(match, 1);
    });
    const pairs = Math.min(unmatchedFrom.length, unmatchedTo.length);
    for (let i = 0; i < pairs; i++) {
      this.walk(
        unmatchedFrom[i]?.branch,
        unmatchedTo[i]?.branch,
        `${path}<${key}#${unmatchedTo[i]?.index}>`,
      );
    }
    const more: Variance = key === 'allOf' ? 'narrowed' : 'widened';
    const less: Variance = key === 'allOf' ? 'widened' : 'narrowed';
    for (const { index } of unmatchedTo.slice(pairs))
      this.variance(more, key, path, `${key} branch #${index} added`);
    for (const { index } of unmatchedFrom.slice(pairs))
      this.variance(less, key, path, `${key} branch #${index} removed`);
  }

  private not(base: JsonObject, head: JsonObject, path: string): void {
    if (deepEqual(base['not'], head['not'])) return;
    const variance: Variance =
      base['not'] === undefined ? 'narrowed' : head['not'] === undefined ? 'widened' : 'changed';
    this.variance(variance, 'not', path, `not ${show(base['not'])} → ${show(head['not'])}`);
  }

  private defaults(base: JsonObject, head: JsonObject, path: string): void {
    if (deepEqual(base['default'], head['default'])) return;
    // Valid input stays valid and the shape is the same; only what an omitted value means changes.
    this.emit(
      'non-breaking',
      'default-changed',
      path,
      `default ${show(base['default'])} → ${show(head['default'])}`,
    );
  }

  private documentation(base: JsonObject, head: JsonObject, path: string): void {
    for (const key of DOCUMENTATION) {
      if (deepEqual(base[key], head[key])) continue;
      const code = key === 'deprecated' ? 'deprecated-changed' : 'documentation-changed';
      this.emit('non-breaking', code, path, `${key} ${show(base[key])} → ${show(head[key])}`);
    }
    for (const key of new Set([...Object.keys(base), ...Object.keys(head)])) {
      if (key.startsWith('x-') && !deepEqual(base[key], head[key])) {
        this.emit(
          'non-breaking',
          'extension-changed',
          path,
          `${key} ${show(base[key])} → ${show(head[key])}`,
        );
      }
    }
  }

  /** Fail closed: a keyword we do not understand might constrain data, so its change is breaking. */
  private unhandled(base: JsonObject, head: JsonObject, path: string): void {
    for (const key of new Set([...Object.keys(base), ...Object.keys(head)])) {
      if (HANDLED.has(key) || key.startsWith('x-') || deepEqual(base[key], head[key])) continue;
      this.emit(
        'breaking',
        'unclassified-schema-change',
        path,
        `'${key}' ${show(base[key])} → ${show(head[key])}: not understood, treated as breaking — review by hand`,
      );
    }
  }

  // --- emitting ---------------------------------------------------------------------------

  private variance(variance: Variance, keyword: string, path: string, message: string): void {
    const impact = {
      request: {
        narrowed: ['breaking', 'requests valid before may now be rejected'],
        widened: ['non-breaking', 'the server accepts more than before'],
        changed: ['breaking', 'requests valid before may now be rejected'],
      },
      response: {
        narrowed: ['non-breaking', 'responses stay within what clients accept'],
        widened: ['breaking', 'clients may receive values they do not expect'],
        changed: ['breaking', 'clients may receive values they do not expect'],
      },
    } as const;
    const [cls, why] = impact[this.direction][variance];
    this.emit(
      cls,
      `${this.direction}-${keyword}-${variance}`,
      path,
      `${message} (${variance}: ${why})`,
    );
  }

  private emit(cls: ChangeClass, code: string, path: string, message: string): void {
    this.out.push({
      class: cls,
      code,
      location: path ? `${this.location} › ${path}` : this.location,
      message,
    });
  }
}

// --- helpers ----------------------------------------------------------------------------

/** `true`/`false` schemas become objects, and `allOf` members merge into their parent when they can. */
function normalize(schema: JsonValue): JsonObject {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  if (!isObject(schema)) return { const: schema };
  const allOf = schema['allOf'];
  if (!Array.isArray(allOf) || !allOf.every(isObject)) return schema;
  const { allOf: _members, ...rest } = schema;
  let merged: JsonObject | undefined = rest;
  for (const member of allOf) {
    merged = merged && mergeSchemas(merged, normalize(member));
  }
  return merged ?? schema;
}

/**
 * The conjunction of two schemas as one schema, or `undefined` when they constrain the same
 * keyword differently in a way one schema cannot express (then `allOf` is compared branch-wise).
 */
function mergeSchemas(a: JsonObject, b: JsonObject): JsonObject | undefined {
  const out: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    if (existing === undefined || deepEqual(existing, value)) {
      out[key] = value;
    } else if (key === 'required' && Array.isArray(existing) && Array.isArray(value)) {
      out[key] = [...new Set([...existing, ...value])] as JsonValue[];
    } else if (key === 'properties' && isObject(existing) && isObject(value)) {
      const props: JsonObject = { ...existing };
      for (const [name, schema] of Object.entries(value)) {
        const prior = props[name];
        props[name] = prior === undefined ? schema : normalize({ allOf: [prior, schema] });
      }
      out[key] = props;
    } else if (
      ['minimum', 'minLength', 'minItems', 'minProperties'].includes(key) &&
      typeof existing === 'number' &&
      typeof value === 'number'
    ) {
      out[key] = Math.max(existing, value);
    } else if (
      ['maximum', 'maxLength', 'maxItems', 'maxProperties'].includes(key) &&
      typeof existing === 'number' &&
      typeof value === 'number'
    ) {
      out[key] = Math.min(existing, value);
    } else if (DOCUMENTATION.has(key)) {
      // The outer schema's words win; documentation never affects validation.
    } else {
      return undefined;
    }
  }
  return out;
}

type TypeSet = Set<string> | undefined; // undefined: any type

function typeSet(schema: JsonObject): TypeSet {
  const type = schema['type'];
  if (type === undefined) return undefined;
  const types = new Set(Array.isArray(type) ? type.map(String) : [String(type)]);
  if (schema['nullable'] === true) types.add('null');
  return types;
}

function sameSet(a: TypeSet, b: TypeSet): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && [...a].every((t) => b.has(t));
}

/** True when every value of type set `inner` is also allowed by `outer`. */
function covers(outer: TypeSet, inner: TypeSet): boolean {
  if (!outer) return true;
  if (!inner) return false;
  return [...inner].every((t) => outer.has(t) || (t === 'integer' && outer.has('number')));
}

function describeTypes(types: TypeSet): string {
  return types ? [...types].sort().join('|') : 'any';
}

interface Bound {
  value: number;
  exclusive: boolean;
}

/** Effective numeric bound, from OpenAPI 3.0 (boolean `exclusive*`) or 3.1 (numeric `exclusive*`). */
function numericBound(schema: JsonObject, side: 'lower' | 'upper'): Bound | undefined {
  const inclusiveKey = side === 'lower' ? 'minimum' : 'maximum';
  const exclusiveKey = side === 'lower' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const inclusive = schema[inclusiveKey];
  const exclusive = schema[exclusiveKey];
  const candidates: Bound[] = [];
  if (typeof inclusive === 'number')
    candidates.push({ value: inclusive, exclusive: exclusive === true });
  if (typeof exclusive === 'number') candidates.push({ value: exclusive, exclusive: true });
  if (candidates.length === 0) return undefined;
  return candidates.reduce((a, b) => (compareStrictness(a, b, side) > 0 ? b : a));
}

/** > 0 when `to` is stricter than `from`, < 0 when looser, 0 when equal. */
function compareStrictness(
  from: Bound | undefined,
  to: Bound | undefined,
  side: 'lower' | 'upper',
): number {
  if (!from && !to) return 0;
  if (!from) return 1;
  if (!to) return -1;
  if (from.value !== to.value) {
    const tighter = side === 'lower' ? to.value > from.value : to.value < from.value;
    return tighter ? 1 : -1;
  }
  if (from.exclusive === to.exclusive) return 0;
  return to.exclusive ? 1 : -1;
}

function isMultiple(value: number, of: number): boolean {
  const ratio = value / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

function enumValues(schema: JsonObject): Map<string, JsonValue> | undefined {
  const values = Array.isArray(schema['enum'])
    ? schema['enum']
    : 'const' in schema
      ? [schema['const'] as JsonValue]
      : undefined;
  if (!values) return undefined;
  return new Map(values.map((v) => [canonical(v), v] as const));
}

/** Properties a party can actually see in this direction: readOnly ones are never sent in requests. */
function visibleProperties(schema: JsonObject, direction: Direction): Map<string, JsonValue> {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const hidden = hiddenProperties(schema, direction);
  return new Map(Object.entries(properties).filter(([name]) => !hidden.has(name)));
}

function hiddenProperties(schema: JsonObject, direction: Direction): Set<string> {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
  return new Set(
    Object.entries(properties)
      .filter(([, s]) => isObject(s) && s[flag] === true)
      .map(([name]) => name),
  );
}

/** Required names, minus those this direction never carries (a required readOnly field is not sent). */
function requiredSet(schema: JsonObject, hidden: Set<string>): Set<string> {
  const required = schema['required'];
  return new Set(
    (Array.isArray(required) ? required.map(String) : []).filter((name) => !hidden.has(name)),
  );
}
