/**
 * deploy_base (tools/release/steps/lib.sh) on real git repositories: which commit the deploy step
 * compares HEAD with, and when it must deploy everything instead. Deploying everything is always
 * safe; failing the build because history could not be deepened is not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, runWithLib } from './support';

const deployBase = (cwd: string, recorded: string) =>
  runWithLib('deploy_base "$1"', [recorded], cwd);

function commit(repo: string, file: string): string {
  writeFileSync(join(repo, file), `${file}\n`);
  git(repo, 'add', file);
  git(repo, 'commit', '-q', '-m', file);
  return git(repo, 'rev-parse', 'HEAD');
}

describe('deploy_base', () => {
  let root: string;
  let origin: string;
  let first: string;
  let second: string;
  let side: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'release-history-'));
    origin = join(root, 'origin');
    git(root, 'init', '-q', '-b', 'main', origin);
    first = commit(origin, 'a');
    second = commit(origin, 'b');
    git(origin, 'checkout', '-q', '-b', 'side', first);
    side = commit(origin, 'side');
    git(origin, 'checkout', '-q', 'main');
    commit(origin, 'c');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('compares with the recorded commit when it is an ancestor of HEAD, without touching the network', () => {
    const run = deployBase(origin, first);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(first);
    expect(run.stderr).not.toContain('shallow');
  });

  it.each([
    { recorded: 'none', reason: 'no deployment recorded yet' },
    { recorded: '', reason: 'no deployment recorded yet' },
    { recorded: '0123456789abcdef0123456789abcdef01234567', reason: 'is not in this clone' },
  ])('deploys everything when the record is "$recorded" ($reason)', ({ recorded, reason }) => {
    const run = deployBase(origin, recorded);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(reason);
  });

  it('deploys everything when the recorded commit is not an ancestor of HEAD (rewritten history)', () => {
    const run = deployBase(origin, side);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${side} is not an ancestor of`);
  });

  it('deepens a shallow clone and then compares with the recorded commit', () => {
    const clone = join(root, 'shallow-ok');
    git(root, 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const run = deployBase(clone, second);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(second);
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('false');
  });

  it('deploys everything, and does not fail, when a shallow clone cannot be deepened', () => {
    const clone = join(root, 'shallow-stuck');
    git(root, 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    git(clone, 'remote', 'set-url', 'origin', join(root, 'gone'));
    const run = deployBase(clone, second);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('could not deepen the shallow clone');
    expect(run.stderr).toContain(`${second} is not in this clone: deploying every service`);
  });

  it('fails outside a git repository (nx affected could not work there either)', () => {
    const notRepo = mkdtempSync(join(tmpdir(), 'release-norepo-'));
    try {
      const run = runWithLib('deploy_base "$1"; echo reached', [first], notRepo, {
        ...process.env,
        GIT_CEILING_DIRECTORIES: tmpdir(),
      });
      expect(run.status).not.toBe(0);
      expect(run.stdout).not.toContain('reached');
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });
});
