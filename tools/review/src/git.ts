import { runOrThrow } from './exec';

export function git(root: string, ...args: string[]): string {
  return runOrThrow('git', args, { cwd: root }).stdout;
}

/** The commit `ref` names; throws with a clear message for an unknown ref. */
export function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`).trim();
  } catch {
    throw new Error(`--base ${ref}: not a commit in ${root}`);
  }
}

/** True when the working tree or index differs from HEAD (untracked files included). */
export function isDirty(root: string): boolean {
  return git(root, 'status', '--porcelain').trim() !== '';
}

/** Repository-relative files that differ between `commit` and the working tree (untracked included). */
export function changedFiles(root: string, commit: string): string[] {
  const tracked = git(root, 'diff', '--name-only', '--no-renames', commit).split('\n');
  const untracked = git(root, 'ls-files', '--others', '--exclude-standard').split('\n');
  return [...new Set([...tracked, ...untracked].filter(Boolean))].sort();
}
