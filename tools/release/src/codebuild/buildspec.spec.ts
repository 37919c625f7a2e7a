import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuildSpec, type BuildSpec, type PhaseName } from './buildspec';

/** A buildspec whose commands append their name to a log, and fail where told. */
function spec(phases: Partial<Record<PhaseName, string[]>>): BuildSpec {
  return {
    version: '0.2',
    env: { shell: 'bash', variables: { FROM_BUILDSPEC: 'spec' } },
    phases: Object.fromEntries(
      Object.entries(phases).map(([phase, names]) => [
        phase,
        {
          commands: names.map((n) =>
            n.startsWith('fail') ? `echo ${n} >>"$LOG"; exit 3` : `echo ${n} >>"$LOG"`,
          ),
        },
      ]),
    ),
  };
}

describe('runBuildSpec (CodeBuild phase semantics)', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'buildspec-'));
    log = join(dir, 'log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const ran = () => readFileSync(log, 'utf8').trim().split('\n');
  const run = (s: BuildSpec, skip?: Partial<Record<PhaseName, string>>) =>
    runBuildSpec(s, { cwd: dir, env: { ...process.env, LOG: log }, output: () => undefined, skip });

  it.each([
    {
      name: 'all phases succeed',
      phases: { install: ['i'], pre_build: ['p'], build: ['b1', 'b2'], post_build: ['q'] },
      want: ['i', 'p', 'b1', 'b2', 'q'],
      status: 'SUCCEEDED',
      failed: undefined,
    },
    {
      name: 'a failing command ends its phase',
      phases: { build: ['b1', 'fail-b2', 'b3'], post_build: ['q'] },
      want: ['b1', 'fail-b2', 'q'],
      status: 'FAILED',
      failed: 'build',
    },
    {
      name: 'a failed install ends the build',
      phases: { install: ['fail-i'], pre_build: ['p'], build: ['b'], post_build: ['q'] },
      want: ['fail-i'],
      status: 'FAILED',
      failed: 'install',
    },
    {
      name: 'a failed pre_build ends the build',
      phases: { pre_build: ['fail-p'], build: ['b'], post_build: ['q'] },
      want: ['fail-p'],
      status: 'FAILED',
      failed: 'pre_build',
    },
    {
      name: 'a failed post_build fails the build',
      phases: { build: ['b'], post_build: ['fail-q'] },
      want: ['b', 'fail-q'],
      status: 'FAILED',
      failed: 'post_build',
    },
  ])('$name', async ({ phases, want, status, failed }) => {
    const result = await run(spec(phases));
    expect(ran()).toEqual(want);
    expect(result.status).toBe(status);
    expect(result.failedPhase).toBe(failed);
    expect(
      result.commands.filter((c) => c.exitCode !== 0).map((c) => [c.phase, c.exitCode]),
    ).toEqual(failed ? [[failed, 3]] : []);
  });

  it('gives commands the project’s variables, overridden by the buildspec’s', async () => {
    const result = await runBuildSpec(
      {
        version: '0.2',
        env: { variables: { A: 'spec' } },
        phases: { build: { commands: ['echo "$A $B" >"$LOG"'] } },
      },
      {
        cwd: dir,
        env: { ...process.env, LOG: log },
        projectVariables: { A: 'project', B: 'project' },
        output: () => undefined,
      },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(ran()).toEqual(['spec project']);
  });

  it('skips a phase on request and says so', async () => {
    const result = await run(spec({ install: ['i'], build: ['b'] }), {
      install: 'already installed',
    });
    expect(ran()).toEqual(['b']);
    expect(result.skipped).toEqual([{ phase: 'install', reason: 'already installed' }]);
  });
});
