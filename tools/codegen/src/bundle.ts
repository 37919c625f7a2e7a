import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parsePointer, resolvePointer } from './json-pointer';
import { relativePosix } from './workspace';

/** A JSON value as YAML or JSON parsing produces it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface BundleResult {
  /** The contract with every `$ref` to another file hoisted into its own `components`. */
  readonly document: JsonObject;
  /** Every file read, relative to the workspace root, the contract itself first. */
  readonly files: readonly string[];
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A component address: `#/components/<kind>/<name>` and nothing deeper. */
const componentPointer = /^\/components\/([^/]+)\/([^/]+)$/;

interface Origin {
  readonly file: string;
  readonly pointer: string;
}

function originKey(origin: Origin): string {
  return `${origin.file}#${origin.pointer}`;
}

/**
 * Bundles an OpenAPI document: a `$ref` to a component of another file
 * (`../common/components.yaml#/components/schemas/Problem`) becomes a local `$ref`
 * (`#/components/schemas/Problem`) and the component is copied into this document's
 * `components` under the same name; a `$ref` to anything that is not a component is inlined.
 * Local `$ref`s stay, so generated types keep their component names.
 *
 * A name used by two different components fails generation rather than renaming one silently.
 * Each `components.<kind>` map is sorted by name so the output never depends on visiting order.
 */
export function bundle(workspaceRoot: string, source: string): BundleResult {
  const files = new Map<string, JsonObject>();
  const rootFile = path.resolve(workspaceRoot, source);

  const load = (file: string): JsonObject => {
    const cached = files.get(file);
    if (cached) return cached;
    const parsed: unknown = parse(readFileSync(file, 'utf8'));
    if (!isObject(parsed))
      throw new Error(`${relativePosix(workspaceRoot, file)}: not a YAML object`);
    files.set(file, parsed);
    return parsed;
  };

  const root = structuredClone(load(rootFile));
  const rootComponents: JsonObject = isObject(root['components']) ? root['components'] : {};
  /** Hoisted components: kind → name → origin and value. */
  const hoisted = new Map<string, Map<string, { origin: string; value: Json }>>();
  /** Root components that were only a `$ref` to another file's component of the same name. */
  const aliases = new Set<string>();

  const where = (origin: Origin) =>
    `${relativePosix(workspaceRoot, origin.file)}#${origin.pointer}`;

  const resolveRef = (ref: string, baseFile: string): Origin => {
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    const file = filePart === '' ? baseFile : path.resolve(path.dirname(baseFile), filePart);
    return { file, pointer };
  };

  const hoist = (kind: string, name: string, origin: Origin): void => {
    const key = originKey(origin);
    const byName = hoisted.get(kind) ?? new Map<string, { origin: string; value: Json }>();
    hoisted.set(kind, byName);
    const existing = byName.get(name);
    if (existing) {
      if (existing.origin === key) return;
      throw new Error(
        `Two components named components/${kind}/${name}: ${existing.origin} and ${where(origin)}. ` +
          'Rename one of them in its contract.',
      );
    }
    const local = isObject(rootComponents[kind]) ? rootComponents[kind][name] : undefined;
    if (local !== undefined && !aliases.has(`${kind}/${name}`)) {
      throw new Error(
        `${where(origin)} would be bundled as components/${kind}/${name}, ` +
          `which ${relativePosix(workspaceRoot, rootFile)} already defines. Rename one of them.`,
      );
    }
    // Reserve the name before walking, so a component that refers to itself terminates.
    const entry = { origin: key, value: null as Json };
    byName.set(name, entry);
    const value = structuredClone(
      resolvePointer(load(origin.file), origin.pointer, where(origin)),
    ) as Json;
    entry.value = walk(value, origin.file, [key]);
  };

  const walk = (node: Json, baseFile: string, inlining: readonly string[]): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, baseFile, inlining));
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const origin = resolveRef(ref, baseFile);
      if (origin.file === rootFile)
        return node.$ref === `#${origin.pointer}` ? node : { ...node, $ref: `#${origin.pointer}` };
      const component = componentPointer.exec(origin.pointer);
      if (component) {
        const [, kind = '', name = ''] = component;
        hoist(kind, name, origin);
        return { ...node, $ref: `#/components/${kind}/${name}` };
      }
      // Not a component: inline a copy, guarding against a reference that contains itself.
      const key = originKey(origin);
      if (inlining.includes(key))
        throw new Error(`${where(origin)} refers to itself and cannot be inlined`);
      const target = structuredClone(
        resolvePointer(load(origin.file), origin.pointer, where(origin)),
      ) as Json;
      return walk(target, origin.file, [...inlining, key]);
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) out[key] = walk(value, baseFile, inlining);
    return out;
  };

  // A root component that is nothing but a `$ref` to the same-named component of another file
  // (`bearerAuth: { $ref: '../common/…/securitySchemes/bearerAuth' }`) takes that component's body.
  for (const [kind, byName] of Object.entries(rootComponents)) {
    if (!isObject(byName)) continue;
    for (const [name, value] of Object.entries(byName)) {
      if (!isObject(value) || typeof value['$ref'] !== 'string' || Object.keys(value).length !== 1)
        continue;
      const origin = resolveRef(value['$ref'], rootFile);
      const [, refKind, refName] = componentPointer.exec(origin.pointer) ?? [];
      if (origin.file !== rootFile && refKind === kind && refName === name) {
        aliases.add(`${kind}/${name}`);
        hoist(kind, name, origin);
        delete byName[name];
      }
    }
  }

  const document = walk(root, rootFile, []) as JsonObject;
  const components: JsonObject = isObject(document['components']) ? document['components'] : {};
  for (const [kind, byName] of hoisted) {
    const merged: JsonObject = isObject(components[kind]) ? components[kind] : {};
    for (const [name, { value }] of byName) merged[name] = value;
    components[kind] = merged;
  }
  for (const kind of Object.keys(components)) {
    const byName = components[kind];
    if (isObject(byName)) components[kind] = sortKeys(byName);
  }
  if (Object.keys(components).length > 0) document['components'] = components;

  const readFiles = [...files.keys()].map((f) => relativePosix(workspaceRoot, f));
  return { document, files: readFiles };
}

function sortKeys(object: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(object).sort()) out[key] = object[key] as Json;
  return out;
}

/** Resolves a local `$ref` (`#/components/…`) inside a bundled document; other values pass through. */
export function deref<T extends Json>(document: JsonObject, node: T | JsonObject): Json {
  let current: Json = node;
  const seen = new Set<string>();
  while (isObject(current) && typeof current['$ref'] === 'string') {
    const ref = current['$ref'];
    if (!ref.startsWith('#')) throw new Error(`Unbundled $ref "${ref}"`);
    if (seen.has(ref)) throw new Error(`$ref cycle through "${ref}"`);
    seen.add(ref);
    current = resolvePointer(document, ref, 'bundled document') as Json;
  }
  return current;
}

/** The component name a local schema `$ref` points to, if it is one. */
export function schemaRefName(node: Json | undefined): string | undefined {
  if (!isObject(node) || typeof node['$ref'] !== 'string') return undefined;
  const tokens = parsePointer(node['$ref']);
  return tokens.length === 3 && tokens[0] === 'components' && tokens[1] === 'schemas'
    ? tokens[2]
    : undefined;
}
