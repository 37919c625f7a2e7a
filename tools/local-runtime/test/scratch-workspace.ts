/**
 * A scratch copy of this workspace for tests that edit sources (watch mode, rebuilds): the
 * projects' sources and the root configuration copied, `node_modules` linked (read only), built
 * outputs and caches left behind. Lives under the OS temp directory, so nothing a test edits can
 * reach the real workspace.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export const workspaceRoot = resolve(__dirname, '../../..');

/** Outputs, caches and local state: never copied. */
const LEFT_OUT = new Set([
  'node_modules',
  'dist',
  'cdk.out',
  'tmp',
  'coverage',
  '.git',
  '.nx',
  '.local',
  '.venv',
]);

/**
 * Copies `dirs` (workspace-relative, e.g. `apps`, `tools/codegen`) and every root file into a new
 * temporary directory and links `node_modules`. Returns its path and a remover.
 */
export function scratchWorkspace(
  prefix: string,
  dirs: string[],
): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), `local-runtime-${prefix}-`));
  for (const entry of readdirSync(workspaceRoot, { withFileTypes: true })) {
    // Never `.git`: in a git worktree it is a file pointing at the real repository, and git in
    // the scratch copy would then commit to the real branch.
    if (entry.isFile() && !LEFT_OUT.has(entry.name))
      cpSync(join(workspaceRoot, entry.name), join(root, entry.name));
  }
  for (const dir of dirs) {
    cpSync(join(workspaceRoot, dir), join(root, dir), {
      recursive: true,
      filter: (source) => !LEFT_OUT.has(basename(source)),
    });
  }
  symlinkSync(join(workspaceRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
