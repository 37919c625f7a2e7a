import { posix } from 'node:path';
import { parse } from 'yaml';
import { isObject } from './json';
import type { ContractSource } from './sources';
import type { JsonObject, JsonValue } from './types';

/** A contract as one side holds it: bundled, and the text of every file it is made of. */
export interface LoadedContract {
  /** Every `$ref` inlined: plain data. */
  readonly document: JsonObject;
  /** Repository-relative path → text, for the contract and every file its `$ref`s reach. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Loads a contract from one side and inlines every `$ref` — local (`#/components/...`) and
 * relative-file (`../common/problem.yaml#/...`) — reading referenced files from the same side.
 * The conventions then compare plain data, and `files` is exactly what oasdiff needs to see the
 * same side (a change to a shared file shows up in every contract that uses it).
 *
 * This is also the gate in front of oasdiff: a remote (`https://…`) `$ref` or one that leaves the
 * repository is refused here, so nothing a pull request writes into a contract makes the check
 * fetch a URL (oasdiff itself would follow one).
 *
 * A reference cycle is left as a `{ $ref: '<file>#<pointer>' }` marker (compared as text):
 * recursive schemas are rare in HTTP contracts and this keeps the walk finite.
 */
export function loadContract(source: ContractSource, path: string): LoadedContract {
  const documents = new Map<string, JsonValue>();
  const files = new Map<string, string>();

  const load = (file: string): JsonValue => {
    const cached = documents.get(file);
    if (cached !== undefined) return cached;
    const text = source.read(file);
    if (text === undefined) throw new Error(`${file} not found in ${source.label}`);
    files.set(file, text);
    let parsed: JsonValue;
    try {
      parsed = parse(text) as JsonValue;
    } catch (error) {
      throw new Error(`${file} in ${source.label} is not valid YAML: ${(error as Error).message}`, {
        cause: error,
      });
    }
    documents.set(file, parsed);
    return parsed;
  };

  const resolve = (node: JsonValue, file: string, active: readonly string[]): JsonValue => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, file, active));
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const [target, pointer] = splitRef(ref, file);
      const key = `${target}#${pointer}`;
      if (active.includes(key)) return { $ref: key };
      const resolved = resolve(lookup(load(target), pointer, ref, file), target, [...active, key]);
      // OpenAPI 3.1 lets summary/description sit beside $ref and override the target's.
      const siblings = Object.entries(node).filter(([k]) => k !== '$ref');
      if (siblings.length === 0 || !isObject(resolved)) return resolved;
      return {
        ...resolved,
        ...Object.fromEntries(siblings.map(([k, v]) => [k, resolve(v, file, active)])),
      };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, file, active)]));
  };

  const root = resolve(load(path), path, []);
  if (!isObject(root))
    throw new Error(`${path} in ${source.label} is not an OpenAPI document (not a mapping)`);
  return { document: root, files };
}

/** The bundled document alone (see {@link loadContract}). */
export function loadBundled(source: ContractSource, path: string): JsonObject {
  return loadContract(source, path).document;
}

function splitRef(ref: string, from: string): [file: string, pointer: string] {
  const hash = ref.indexOf('#');
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
    throw new Error(
      `${from}: remote $ref '${ref}' is not supported (contracts reference files in the repository)`,
    );
  }
  if (!filePart) return [from, pointer];
  const target = posix.normalize(posix.join(posix.dirname(from), filePart));
  if (target.startsWith('../'))
    throw new Error(`${from}: $ref '${ref}' points outside the repository`);
  return [target, pointer];
}

function lookup(document: JsonValue, pointer: string, ref: string, from: string): JsonValue {
  if (pointer === '' || pointer === '/') return document;
  if (!pointer.startsWith('/'))
    throw new Error(`${from}: $ref '${ref}' has an invalid JSON pointer`);
  let node: JsonValue | undefined = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined)
      throw new Error(`${from}: $ref '${ref}' does not resolve (no '${token}')`);
  }
  return node;
}
