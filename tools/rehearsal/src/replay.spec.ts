import type { BuildSpec, PipelineAction } from '@sm/release';
import {
  artifactDir,
  commandVerdict,
  gateStageOf,
  stagesDeployedBy,
  withQuickGate,
} from './replay';

const spec = (build: string[], extra: Partial<BuildSpec> = {}): BuildSpec => ({
  version: '0.2',
  phases: {
    install: { commands: ['bash tools/release/steps/install.sh'] },
    build: { commands: build },
  },
  ...extra,
});
const action = (name: string, build: string[]): PipelineAction => ({
  kind: 'build',
  stage: name,
  name,
  buildSpec: spec(build),
  variables: {},
  inputs: ['Source'],
  outputs: [],
});

describe('replaying the pipeline', () => {
  it('finds the stages the pipeline deploys, in order, from the deploy steps’ arguments', () => {
    const actions: PipelineAction[] = [
      { kind: 'source', stage: 'Source', name: 'Source', provider: 'CodeStarSourceConnection' },
      action('Test', ['bash tools/release/steps/test.sh']),
      action('DeployStaging', [
        'bash tools/release/steps/deploy.sh staging',
        'bash tools/release/steps/record.sh staging',
      ]),
      action('DeployProd', [
        'bash tools/release/steps/deploy.sh prod',
        'bash tools/release/steps/record.sh prod',
      ]),
    ];
    expect(stagesDeployedBy(actions)).toEqual(['staging', 'prod']);
  });

  it('recognises the gate and its stage, with or without --quick, and nothing else', () => {
    expect(gateStageOf(spec(['bash tools/release/steps/load-gate.sh staging']))).toBe('staging');
    expect(gateStageOf(spec(['bash tools/release/steps/load-gate.sh staging --quick']))).toBe(
      'staging',
    );
    expect(gateStageOf(spec(['bash tools/release/steps/deploy.sh staging']))).toBeUndefined();
  });

  it('adds --quick to the gate’s command only, leaving the buildspec it came from unchanged', () => {
    const original = spec(['bash tools/release/steps/load-gate.sh staging']);
    expect(withQuickGate(original).phases.build?.commands).toEqual([
      'bash tools/release/steps/load-gate.sh staging --quick',
    ]);
    expect(original.phases.build?.commands).toEqual([
      'bash tools/release/steps/load-gate.sh staging',
    ]);
    expect(
      withQuickGate(spec(['bash tools/release/steps/test.sh'])).phases.build?.commands,
    ).toEqual(['bash tools/release/steps/test.sh']);
  });

  it('puts an output artifact where the action’s work dir stands for .release, and refuses one outside it', () => {
    expect(
      artifactDir(
        spec([], { artifacts: { 'base-directory': '.release/gate', files: ['**/*'] } }),
        '/w/LoadGate',
      ),
    ).toBe('/w/LoadGate/gate');
    expect(() =>
      artifactDir(spec([], { artifacts: { 'base-directory': 'dist', files: ['**/*'] } }), '/w/X'),
    ).toThrow('artifacts.base-directory dist is outside .release/');
  });

  it('says what the stand-ins did in a deploy and a record step', () => {
    const state = {
      ssm: { '/sm/pipeline/staging/last-deployed-commit': '0123456789abcdef0123' },
      deployVia: 'nx' as const,
      calls: [
        {
          tool: 'npx',
          args: ['nx', 'run', 'auth:deploy:staging', '--outputStyle=stream'],
          failed: false,
        },
        {
          tool: 'npx',
          args: ['nx', 'run', 'auth:deploy:prod', '--outputStyle=stream'],
          failed: false,
        },
        { tool: 'npx', args: ['nx', 'show', 'projects', '--affected'], failed: false },
        {
          tool: 'npx',
          args: ['nx', 'run', 'profile:deploy:staging', '--outputStyle=stream'],
          failed: false,
        },
      ],
    };
    const command = (c: string, exitCode = 0) => ({
      phase: 'build' as const,
      command: c,
      exitCode,
      seconds: 1.5,
    });
    expect(
      commandVerdict(
        'DeployStaging/DeployStaging',
        command('bash tools/release/steps/deploy.sh staging'),
        state,
      ),
    ).toEqual({
      action: 'DeployStaging/DeployStaging',
      step: 'deploy staging',
      verdict: 'passed',
      seconds: 1.5,
      note: 'stand-in deploy targets: auth, profile',
    });
    expect(
      commandVerdict('a', command('bash tools/release/steps/record.sh staging'), state).note,
    ).toBe('stand-in SSM: /sm/pipeline/staging/last-deployed-commit = 0123456789ab');
    expect(
      commandVerdict(
        'a',
        command(
          'bash tools/release/steps/check-gate.sh staging "$CODEBUILD_SRC_DIR_GateReports"',
          1,
        ),
        state,
      ),
    ).toMatchObject({ step: 'check-gate staging', verdict: 'failed' });
    expect(
      commandVerdict(
        'LoadGate/LoadGate',
        command('bash tools/release/steps/load-gate.sh staging --quick', 1),
        state,
        { load: 'failed', fuzz: 'passed' },
      ),
    ).toMatchObject({
      step: 'load-gate staging --quick',
      verdict: 'failed',
      note: 'load failed, fuzz passed',
    });
  });
});
