import type { BuildSpec } from '../codebuild/buildspec';

/**
 * What each CodeBuild action of the release pipeline runs (apps/platform's PipelineStack turns
 * these into its projects). Every command is one versioned step script under
 * tools/release/steps/, so the commands can be run, tested and rehearsed on any machine, and a
 * change to a step ships with the commit it releases instead of with a pipeline deployment.
 */

/** The step scripts, by name (`tools/release/steps/<name>.sh`). */
export type StepName =
  'install' | 'test' | 'preflight' | 'deploy' | 'record' | 'load-gate' | 'check-gate';

export const STEPS_DIR = 'tools/release/steps';

/** The buildspec command that runs a step script. */
export function stepCommand(step: StepName, ...args: string[]): string {
  return [`bash ${STEPS_DIR}/${step}.sh`, ...args].join(' ');
}

/** Where the load gate leaves its reports and verdict (relative to the source directory). */
export const GATE_REPORTS_DIR = '.release/gate';

/** npm's download cache, kept between builds in the project's S3 cache (the image runs as root). */
export const NPM_CACHE_PATH = '/root/.npm/_cacache/**/*';

function buildSpec(phases: BuildSpec['phases'], extra: Partial<BuildSpec> = {}): BuildSpec {
  return {
    version: '0.2',
    env: {
      shell: 'bash',
      variables: {
        CI: 'true',
        NX_NO_CLOUD: 'true',
        NX_DAEMON: 'false',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
      },
    },
    phases: { install: { commands: [stepCommand('install')] }, ...phases },
    cache: { paths: [NPM_CACHE_PATH] },
    ...extra,
  };
}

/** Test: every gate CI runs (npm test, the short load tests and fuzzing), nothing deployed. */
export function testBuildSpec(): BuildSpec {
  return buildSpec({ build: { commands: [stepCommand('test')] } });
}

/**
 * Deploy one stage: the preflight, then the affected services (and the consumers of changed
 * parameters), then the stage's last-deployed commit. With `gate`, the gate's verdict for this
 * commit is checked first (the gate's output artifact is the action's secondary input, which
 * CodeBuild mounts at `$CODEBUILD_SRC_DIR_<artifact>`).
 */
export function deployBuildSpec(
  stage: string,
  gate?: { stage: string; artifact: string },
): BuildSpec {
  const checks = gate
    ? [stepCommand('check-gate', gate.stage, `"$CODEBUILD_SRC_DIR_${gate.artifact}"`)]
    : [];
  return buildSpec({
    pre_build: { commands: [...checks, stepCommand('preflight', stage)] },
    build: { commands: [stepCommand('deploy', stage), stepCommand('record', stage)] },
  });
}

/**
 * The load gate on a deployed stage: full load tests and fuzzing against its URLs; the reports
 * and verdict are the action's output artifact, and the fuzzing's JUnit files a CodeBuild test
 * report (kept even when the gate fails, unlike a failed action's output artifact).
 */
export function loadGateBuildSpec(stage: string): BuildSpec {
  return buildSpec(
    { build: { commands: [stepCommand('load-gate', stage)] } },
    {
      artifacts: { 'base-directory': GATE_REPORTS_DIR, files: ['**/*'] },
      reports: {
        fuzz: {
          'base-directory': `${GATE_REPORTS_DIR}/${stage}/fuzz`,
          files: ['**/junit.xml'],
          'file-format': 'JUNITXML',
        },
      },
    },
  );
}
