import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The workspace these tests run in: its files become the scratch repository's first commit. */
export const WORKSPACE = resolve(__dirname, '../../..');

/**
 * A throwaway git repository holding a copy of this workspace (every file git tracks or would
 * track, as they are in the working tree now) with node_modules hard-linked in, so `nx`, `npm run
 * synth` and the review run there exactly as here. It lives in the workspace's git-ignored `tmp/`:
 * hard links need the same file system.
 */
export class ScratchRepo {
  readonly root: string;

  constructor() {
    mkdirSync(join(WORKSPACE, 'tmp'), { recursive: true });
    this.root = mkdtempSync(join(WORKSPACE, 'tmp', 'review-test-'));
    const files = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: WORKSPACE,
        encoding: 'utf8',
      },
    )
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(WORKSPACE, file)));
    // tar through a shell pipe: the files stream from one tar to the other, not through memory here.
    execFileSync('bash', ['-c', 'tar --null -T - -c -f - | tar -x -C "$1"', 'copy', this.root], {
      cwd: WORKSPACE,
      input: files.join('\0'),
    });
    execFileSync('cp', ['-al', join(WORKSPACE, 'node_modules'), join(this.root, 'node_modules')]);
    this.git('init', '-q', '-b', 'main');
    this.commit('base: the workspace as it is');
  }

  git(...args: string[]): string {
    return execFileSync(
      'git',
      [
        '-c',
        'user.name=review test',
        '-c',
        'user.email=review@example.invalid',
        '-c',
        'core.hooksPath=/dev/null',
        ...args,
      ],
      { cwd: this.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 },
    );
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Replaces `from` with `to` in a file; fails when `from` is not there (the workspace moved on). */
  edit(path: string, from: string, to: string): void {
    const file = join(this.root, path);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from))
      throw new Error(`${path} no longer contains ${JSON.stringify(from)}: update the test`);
    writeFileSync(file, text.replace(from, to));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
