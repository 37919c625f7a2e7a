import { deepEqual, isObject } from './json';
import { diffDocuments } from './document-diff';
import { loadBundled } from './resolve';
import type { ContractSource } from './sources';
import type { Change, ContractReport, JsonObject } from './types';

/** Compares every contract present on either side, in path order. */
export function compareSources(base: ContractSource, head: ContractSource): ContractReport[] {
  const paths = [...new Set([...base.listContracts(), ...head.listContracts()])].sort();
  return paths.map((path) => {
    const baseDoc = base.listContracts().includes(path) ? loadBundled(base, path) : undefined;
    const headDoc = head.listContracts().includes(path) ? loadBundled(head, path) : undefined;
    return compareContract(path, baseDoc, headDoc);
  });
}

/** Classifies one contract's changes and applies the major-version rule. */
export function compareContract(
  path: string,
  base: JsonObject | undefined,
  head: JsonObject | undefined,
): ContractReport {
  const baseVersion = versionOf(base);
  const headVersion = versionOf(head);
  if (!base && !head) throw new Error(`${path}: absent on both sides`);
  if (!base) {
    return report(path, 'added', baseVersion, headVersion, false, [
      {
        class: 'non-breaking',
        code: 'contract-added',
        location: path,
        message: `new contract (version ${headVersion ?? 'unversioned'})`,
      },
    ]);
  }
  if (!head) {
    return report(path, 'removed', baseVersion, headVersion, false, [
      {
        class: 'breaking',
        code: 'contract-removed',
        location: path,
        message: 'contract removed: every client of this API breaks',
      },
    ]);
  }
  if (deepEqual(base, head)) return report(path, 'unchanged', baseVersion, headVersion, false, []);
  const changes = diffDocuments(base, head);
  if (changes.length === 0) {
    // Say so rather than "no changes": the file did change, just nowhere a client can see.
    changes.push({
      class: 'non-breaking',
      code: 'unreferenced-change',
      location: path,
      message: 'changed only in parts no operation uses (e.g. an unused component)',
    });
  }
  return report(
    path,
    'changed',
    baseVersion,
    headVersion,
    majorBumped(baseVersion, headVersion),
    changes,
  );
}

function report(
  path: string,
  status: ContractReport['status'],
  baseVersion: string | null,
  headVersion: string | null,
  bumped: boolean,
  changes: Change[],
): ContractReport {
  const breaking = changes.filter((c) => c.class === 'breaking').length;
  return {
    path,
    status,
    baseVersion,
    headVersion,
    majorBumped: bumped,
    changes,
    unmarkedBreaking: bumped ? 0 : breaking,
  };
}

function versionOf(document: JsonObject | undefined): string | null {
  const info = document?.['info'];
  const version = isObject(info) ? info['version'] : undefined;
  return version === undefined || version === null ? null : String(version);
}

/** `1.4.2` → `2.0.0` (or `v1` → `v2`) marks breaking changes as intended. */
export function majorBumped(base: string | null, head: string | null): boolean {
  const major = (v: string | null) => {
    const match = v ? /^v?(\d+)/.exec(v.trim()) : null;
    return match ? Number(match[1]) : undefined;
  };
  const a = major(base);
  const b = major(head);
  return a !== undefined && b !== undefined && b > a;
}
