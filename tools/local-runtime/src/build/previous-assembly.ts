/**
 * The previous build's cloud assembly, kept for the canary replay (`npm start -- --canary <fn>`):
 * the build step calls {@link keepPreviousAssembly} just before it replaces the assembly, so
 * `.local/assemblies/previous` always holds what ran before the latest build. One function, for
 * every build step to call (today's `npm start`; watch mode's re-synthesis).
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

/** Where the previous assembly is kept, under the workspace's `.local/`. */
export function previousAssemblyDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.local', 'assemblies', 'previous');
}

/**
 * Copies the assembly in `assemblyDir` (when it is a complete one) to `previousDir`, replacing what
 * was there, and returns whether it did. Asset directories (`asset.<hash>`) are hard-linked file by
 * file where the file system allows: CDK writes each once under a name that is its content's
 * hash and never rewrites it. Everything else (manifests, templates) is copied, since a synthesis
 * rewrites those in place. The copy is made beside the target and renamed over it: a failed copy
 * never leaves half an assembly as "previous".
 */
export function keepPreviousAssembly(assemblyDir: string, previousDir: string): boolean {
  if (!existsSync(join(assemblyDir, 'manifest.json'))) return false;
  const staging = `${previousDir}.next-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  copyTree(assemblyDir, staging, false);
  const old = `${previousDir}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(previousDir)) renameSync(previousDir, old);
  renameSync(staging, previousDir);
  rmSync(old, { recursive: true, force: true });
  return true;
}

function copyTree(from: string, to: string, immutable: boolean): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) {
      copyTree(source, target, immutable || entry.name.startsWith('asset.'));
    } else if (immutable) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    } else {
      copyFileSync(source, target);
    }
  }
}
