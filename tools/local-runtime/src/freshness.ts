import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What a build and synth read: when none of it changed, the last cloud assembly is still current. */
const INPUT_DIRS = ['apps', 'libs', 'contracts', 'tools/codegen'];
// cdk.context.json: the stages' accounts, regions and limits profiles (README, "Deploying").
const INPUT_FILES = [
  'package-lock.json',
  'tsconfig.base.json',
  'nx.json',
  'cdk.json',
  'cdk.context.json',
];
const SKIPPED = new Set(['node_modules', 'dist', 'cdk.out', 'coverage', '.nx', 'tmp']);

/**
 * A fingerprint of the build and synth inputs from file names, sizes and modification times: cheap
 * enough (a few ms) to run on every start, and it changes whenever a source does. `extraFiles`
 * (workspace-relative) are inputs outside those directories: the CDK app's own sources, wherever
 * they live (the pipeline stack imports `tools/release`), as its last synthesis recorded them.
 */
export function inputsFingerprint(
  workspaceRoot: string,
  extraFiles: readonly string[] = [],
): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && !/\.(spec|test)\.ts$/.test(entry.name)) {
        const stat = statSync(path);
        hash.update(`${path}\u0000${stat.size}\u0000${stat.mtimeMs}\n`);
      }
    }
  };
  for (const dir of INPUT_DIRS) visit(join(workspaceRoot, dir));
  for (const file of [...extraFiles].sort()) {
    const path = join(workspaceRoot, file);
    try {
      const stat = statSync(path);
      hash.update(`${path}\u0000${stat.size}\u0000${stat.mtimeMs}\n`);
    } catch {
      hash.update(`${path}\u0000gone\n`);
    }
  }
  for (const file of INPUT_FILES) {
    const path = join(workspaceRoot, file);
    if (existsSync(path)) hash.update(`${path}\u0000${readFileSync(path)}`);
  }
  return hash.digest('hex');
}

/** What the last successful build and synth recorded. */
export interface Stamp {
  /** `inputsFingerprint` before that build started. */
  fingerprint: string;
  /** Per contract, a hash of what its generated code was made from. */
  generated?: Record<string, string>;
  /** The CDK app's own source files (workspace-relative), part of the fingerprint. */
  appInputs?: string[];
}

/** The stamp recorded after the last successful build and synth. */
export function readStamp(stampFile: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export function writeStamp(stampFile: string, stamp: Stamp): void {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
}
