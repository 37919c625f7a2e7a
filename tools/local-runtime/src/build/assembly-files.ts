/**
 * Moving cloud assemblies into place: a synthesis writes into a directory of its own, and only a
 * complete assembly replaces `cdk.out`, so a failed synthesis never leaves half an assembly there.
 */
import { linkSync, mkdirSync, readdirSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Replaces `target` by the assembly in `staging` (renamed: the same file system). The earlier
 * assembly is moved beside `staging` and removed, so nothing is left beside `target`.
 */
export function replaceAssembly(staging: string, target: string): void {
  const old = join(dirname(staging), `replaced-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(target, old);
  } catch {
    // No earlier assembly.
  }
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Publishes a copy of `source` as `target` (hard links where the file system allows, ~free):
 * the runtime keeps running from `source` while `cdk.out` shows the same assembly.
 */
export function publishAssembly(source: string, target: string): void {
  const staging = join(dirname(source), `published-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  linkTree(source, staging);
  replaceAssembly(staging, target);
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}
