import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { conventionChanges, withoutDuplicates } from './conventions';
import { deepEqual, isObject } from './json';
import { severityLevelsFile } from './levels';
import { runOasdiff } from './oasdiff';
import { loadContract, type LoadedContract } from './resolve';
import type { ContractSource } from './sources';
import type { Change, ContractReport, JsonObject } from './types';

/**
 * Compares every contract present on either side, in path order: oasdiff classifies, this
 * repository's conventions add what oasdiff cannot see, and the major-version rule decides what
 * is allowed. Both sides are written to a scratch directory first (exactly the files each contract
 * is made of, `$ref`s checked by ./resolve.ts), so oasdiff reads git refs, the working tree and
 * test fixtures the same way.
 */
export function compareSources(base: ContractSource, head: ContractSource): ContractReport[] {
  const paths = [...new Set([...base.listContracts(), ...head.listContracts()])].sort();
  const workdir = mkdtempSync(join(tmpdir(), 'contract-diff-'));
  try {
    const levelsFile = join(workdir, 'severity-levels.txt');
    const configFile = join(workdir, 'oasdiff.yaml');
    writeFileSync(levelsFile, severityLevelsFile());
    writeFileSync(
      configFile,
      '# every setting is on the command line (tools/contract-diff/src/oasdiff.ts)\n',
    );
    return paths.map((path) => {
      const baseSide = base.listContracts().includes(path) ? loadContract(base, path) : undefined;
      const headSide = head.listContracts().includes(path) ? loadContract(head, path) : undefined;
      return compareContract(path, baseSide, headSide, (b, h) => {
        writeSide(workdir, 'base', b);
        writeSide(workdir, 'head', h);
        const flattenAllOf = [b, h].some((side) =>
          JSON.stringify(side.document).includes('"allOf"'),
        );
        return runOasdiff({ cwd: workdir, contract: path, levelsFile, configFile, flattenAllOf });
      });
    });
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

function writeSide(workdir: string, side: 'base' | 'head', contract: LoadedContract): void {
  rmSync(join(workdir, side), { recursive: true, force: true });
  for (const [path, text] of contract.files) {
    const file = join(workdir, side, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Classifies one contract's changes and applies the major-version rule. */
export function compareContract(
  path: string,
  base: LoadedContract | undefined,
  head: LoadedContract | undefined,
  oasdiff: (base: LoadedContract, head: LoadedContract) => Change[],
): ContractReport {
  const baseVersion = versionOf(base?.document);
  const headVersion = versionOf(head?.document);
  if (!base && !head) throw new Error(`${path}: absent on both sides`);
  if (!base) {
    return report(path, 'added', baseVersion, headVersion, false, [
      {
        class: 'non-breaking',
        level: 'info',
        code: 'contract-added',
        origin: 'convention',
        location: path,
        message: `new contract (version ${headVersion ?? 'unversioned'})`,
      },
    ]);
  }
  if (!head) {
    return report(path, 'removed', baseVersion, headVersion, false, [
      {
        class: 'breaking',
        level: 'error',
        code: 'contract-removed',
        origin: 'convention',
        location: path,
        message: 'contract removed: every client of this API breaks',
      },
    ]);
  }
  if (deepEqual(base.document, head.document))
    return report(path, 'unchanged', baseVersion, headVersion, false, []);
  const found = oasdiff(base, head);
  const changes = [
    ...found,
    ...withoutDuplicates(found, conventionChanges(base.document, head.document)),
  ];
  if (changes.length === 0) {
    // Say so rather than "no changes": the file did change, just nowhere a client can see.
    changes.push({
      class: 'non-breaking',
      level: 'info',
      code: 'no-contract-change',
      origin: 'convention',
      location: path,
      message:
        'changed only where no client can see it (descriptions, examples, an unused component)',
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
