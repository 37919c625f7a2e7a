import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  installStandIns,
  readState,
  type InstalledStandIns,
  type StandInState,
} from '../src/stand-ins/install';

export const WORKSPACE = resolve(__dirname, '../../..');
export const STEPS = join(WORKSPACE, 'tools/release/steps');

export interface StepRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bash <script> <args…>` (a step script) to completion. */
export function runStep(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = WORKSPACE,
): StepRun {
  const result = spawnSync('bash', [join(STEPS, script), ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs bash source with lib.sh sourced, in `cwd`. */
export function runWithLib(
  source: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): StepRun {
  const result = spawnSync(
    'bash',
    ['-c', `source '${join(STEPS, 'lib.sh')}'; ${source}`, 'lib', ...args],
    { cwd, env, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch directory with the stand-ins installed and a work dir for the steps' markers. */
export interface Scratch extends InstalledStandIns {
  readonly dir: string;
  readonly workDir: string;
  state(): StandInState;
  /** The calls the stand-ins received, rendered "<tool> <args…>". */
  calls(): string[];
  remove(): void;
}

export function scratchWithStandIns(state: StandInState): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'release-steps-'));
  const workDir = join(dir, 'work');
  const installed = installStandIns(join(dir, 'stand-ins'), state);
  return {
    ...installed,
    env: { ...installed.env, RELEASE_WORK_DIR: workDir, STAGE_READ_ROLE_ARN: '', STAGE_REGION: '' },
    dir,
    workDir,
    state: () => readState(installed.statePath),
    calls: () =>
      (readState(installed.statePath).calls ?? []).map((call) =>
        [call.tool, ...call.args].join(' '),
      ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `git` in a directory, failing the test on error. */
export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}
