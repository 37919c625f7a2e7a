import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { isObject } from '../json';
import type { ContractSource } from '../sources';
import { CONTRACT_PATH } from '../sources';
import type { JsonObject, JsonValue } from '../types';

export const FIXTURE_ROOT = __dirname;
export const PETS = 'contracts/pets/openapi.yaml';
export const PROBLEM = 'contracts/common/problem.yaml';

/** Repository-relative path → parsed YAML: the raw (un-bundled) files of one side. */
export type FixtureFiles = Record<string, JsonObject>;

/** A fresh, mutable copy of the fixture contract and its shared file. */
export function loadFixtureFiles(): FixtureFiles {
  const read = (path: string) =>
    parse(readFileSync(join(FIXTURE_ROOT, path), 'utf8')) as JsonObject;
  return { [PETS]: read(PETS), [PROBLEM]: read(PROBLEM) };
}

/** Serves fixture files as one side of a comparison, the way a git ref or working tree would. */
export function memorySource(files: FixtureFiles, label = 'memory'): ContractSource {
  return {
    label,
    listContracts: () =>
      Object.keys(files)
        .filter((path) => CONTRACT_PATH.test(path))
        .sort(),
    read: (path) => (files[path] ? stringify(files[path]) : undefined),
  };
}

/** The object at `segments` below `root`; throws if the fixture does not have it (a broken test). */
export function at(root: JsonValue, ...segments: string[]): JsonObject {
  let node: JsonValue | undefined = root;
  for (const segment of segments) {
    node = isObject(node) ? node[segment] : Array.isArray(node) ? node[Number(segment)] : undefined;
  }
  if (!isObject(node)) throw new Error(`fixture has no object at ${segments.join(' › ')}`);
  return node;
}
