import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, runOrThrow, runOrThrowAsync } from '../exec';
import { git } from '../git';

export interface Synthesized {
  /** The cloud assembly directory (`cdk.out`). */
  readonly assembly: string;
  readonly ms: number;
  /** How the checkout got its packages: hard links to the head's node_modules, `npm ci` (the lockfile differs), or its own. */
  readonly packages: 'shared' | 'npm ci' | 'own';
  /** Removes what was created for it (the base checkout); a no-op for the head. */
  cleanup(): void;
}

/**
 * The head's assembly: `npm run synth` in the working tree, the same command CI and the pipeline
 * run (every bundle built by Nx, every stack synthesized with cdk-nag), into its `cdk.out`.
 */
export async function synthHead(root: string, log: (line: string) => void): Promise<Synthesized> {
  const started = Date.now();
  log('synthesizing the head (npm run synth in the working tree)');
  await runOrThrowAsync('npm', ['run', '-s', 'synth'], { cwd: root, env: childEnv() });
  return {
    assembly: join(root, 'cdk.out'),
    ms: Date.now() - started,
    packages: 'own',
    cleanup: () => undefined,
  };
}

/**
 * The base's assembly, from a scratch checkout of `commit` (`git archive`: no worktree is
 * registered, nothing in the repository changes) built with the base's own `npm run synth`.
 *
 * The checkout lives in the repository's git-ignored `tmp/` and gets a hard-linked copy of the
 * head's node_modules (about a second) when both sides have the same package-lock.json. A symlink
 * would be faster but wrong: esbuild follows it, so every source map would name
 * `../../../work/…/node_modules/…` instead of `../../node_modules/…`, every bundle would differ
 * from the head's, and every function would show as changed. Hard links keep the paths, and
 * need the same file system, hence `tmp/` rather than the system's temp directory. When the
 * lockfile changed, it runs `npm ci` there (slow, but the base must be built with its packages).
 */
export async function synthBase(
  root: string,
  commit: string,
  log: (line: string) => void,
): Promise<Synthesized> {
  const started = Date.now();
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const scratch = mkdtempSync(join(root, 'tmp', 'review-base-'));
  const checkout = join(scratch, 'repo');
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  try {
    mkdirSync(checkout);
    log(`checking out the base ${commit.slice(0, 12)} into ${checkout}`);
    runOrThrow(
      'bash',
      ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'archive', root, commit, checkout],
      {
        cwd: root,
      },
    );
    const sameLockfile =
      git(root, 'diff', '--name-only', commit, '--', 'package-lock.json').trim() === '';
    let packages: Synthesized['packages'];
    if (sameLockfile && existsSync(join(root, 'node_modules'))) {
      runOrThrow('cp', ['-al', join(root, 'node_modules'), join(checkout, 'node_modules')], {
        cwd: root,
      });
      // A tool that rewrote a cache file in place would write through the link into the head's copy.
      rmSync(join(checkout, 'node_modules', '.cache'), { recursive: true, force: true });
      packages = 'shared';
    } else {
      log('package-lock.json differs from the base: npm ci in the base checkout');
      await runOrThrowAsync('npm', ['ci', '--no-audit', '--no-fund'], {
        cwd: checkout,
        env: childEnv(),
      });
      packages = 'npm ci';
    }
    log('synthesizing the base (its own npm run synth)');
    await runOrThrowAsync('npm', ['run', '-s', 'synth'], {
      cwd: checkout,
      // Its own Nx cache: the head's is keyed to the head's workspace and would not be hit anyway.
      env: childEnv({ NX_CACHE_DIRECTORY: join(checkout, '.nx', 'cache') }),
    });
    return { assembly: join(checkout, 'cdk.out'), ms: Date.now() - started, packages, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
