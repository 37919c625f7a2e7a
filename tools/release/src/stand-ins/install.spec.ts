import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installStandIns } from './install';

describe('installStandIns', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stand-ins-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes calls through to the real npx and npm, never to another stand-in installed before it', () => {
    const outer = installStandIns(join(dir, 'outer'), { ssm: {}, deployVia: 'nx' });
    const inner = installStandIns(join(dir, 'inner'), { ssm: {}, deployVia: 'nx' }, outer.env);
    for (const tool of ['NPX', 'NPM'] as const) {
      expect(inner.env[`RELEASE_REAL_${tool}`]).toBe(outer.env[`RELEASE_REAL_${tool}`]);
      expect(inner.env[`RELEASE_REAL_${tool}`]).not.toContain(dir);
    }
    const version = spawnSync('npx', ['--version'], {
      env: inner.env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses, naming itself, when no state is set', () => {
    const standIns = installStandIns(join(dir, 's'), { ssm: {}, deployVia: 'nx' });
    const run = spawnSync('aws', ['ssm', 'get-parameter'], {
      env: { ...standIns.env, RELEASE_STANDIN_STATE: '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(70);
    expect(run.stderr).toContain('stand-in: RELEASE_STANDIN_STATE is not set');
  });

  it('refuses an aws command the steps do not run, as the CLI refuses a usage error', () => {
    const standIns = installStandIns(join(dir, 's'), { ssm: {}, deployVia: 'nx' });
    const run = spawnSync('aws', ['ssm', 'delete-parameter', '--name', '/x'], {
      env: standIns.env,
      encoding: 'utf8',
    });
    expect(run.status).toBe(252);
    expect(run.stderr).toContain(
      "[stand-in aws] the stand-in does not implement 'aws ssm delete-parameter'",
    );
  });
});
