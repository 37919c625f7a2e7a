import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { lastDeployedCommitParameterName, nagFindings, workspaceRoot, type StageName } from '@sm/infra';
import {
  checkPipelineCommands,
  installStandIns,
  readPipeline,
  readState,
  readWorkspace,
  releaseTopology,
  runBuildSpec,
  type BuildResult,
  type BuildSpec,
  type StandInState,
} from '@sm/release';
import { GATE_ARTIFACT, PipelineStack, type PipelineStackProps } from './pipeline-stack';

const STAGING_ACCOUNT = '111111111111';
const PROD_ACCOUNT = '222222222222';
const crossAccount: PipelineStackProps = {
  staging: { name: 'staging', account: STAGING_ACCOUNT, region: 'eu-west-1' },
  prod: { name: 'prod', account: PROD_ACCOUNT, region: 'eu-central-1' },
};

function synth(props: PipelineStackProps = {}) {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new PipelineStack(app, 'SmPipeline', props);
  return { app, stack, template: Template.fromStack(stack) };
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The synthesized template, read the way the pipeline will run it. */
function inspect(template: Template) {
  const json = template.toJSON() as Json;
  const resources = json['Resources'] as Record<string, Json>;
  const projectIds = Object.keys(template.findResources('AWS::CodeBuild::Project'));
  const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]?.[
    'Properties'
  ] as Json;
  const stages = (pipeline['Stages'] as Json[]).map((stage) => ({
    name: stage['Name'] as string,
    actions: stage['Actions'] as Json[],
  }));
  /** The project an action runs, by action name (logical id of the CodeBuild project). */
  const projectOf = (actionName: string) => {
    const action = stages.flatMap((s) => s.actions).find((a) => a['Name'] === actionName);
    return (action?.['Configuration']['ProjectName'] as { Ref: string }).Ref;
  };
  const buildSpec = (projectId: string) =>
    JSON.parse(resources[projectId]?.['Properties']['Source']['BuildSpec']) as BuildSpec;
  const variables = (projectId: string) =>
    Object.fromEntries(
      (resources[projectId]?.['Properties']['Environment']['EnvironmentVariables'] ?? []).map(
        (v: Json) => [v['Name'], v['Value']],
      ),
    );
  /** Every policy statement attached to the project's role. */
  const roleStatements = (projectId: string): Statement[] => {
    const role = (
      resources[projectId]?.['Properties']['ServiceRole'] as { 'Fn::GetAtt': [string, string] }
    )['Fn::GetAtt'][0];
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        (policy['Properties'].Roles as { Ref: string }[]).some((r) => r.Ref === role),
      )
      .flatMap((policy) => policy['Properties'].PolicyDocument.Statement as Statement[]);
  };
  return {
    json,
    resources,
    projectIds,
    pipeline,
    stages,
    projectOf,
    buildSpec,
    variables,
    roleStatements,
  };
}

const actions = (s: Statement) => [s.Action].flat();
const assumable = (statements: Statement[]) =>
  statements
    .filter((s) => actions(s).includes('sts:AssumeRole'))
    .map((s) => JSON.stringify(s.Resource));

describe('PipelineStack', () => {
  const { app, template } = synth();
  const t = inspect(template);

  describe('the release path', () => {
    it('is one CodePipeline V2 pipeline, one execution at a time: Source → Test → DeployStaging → LoadGate → DeployProd', () => {
      expect(t.pipeline['PipelineType']).toBe('V2');
      expect(t.pipeline['ExecutionMode']).toBe('QUEUED');
      expect(t.stages.map((s) => s.name)).toEqual([
        'Source',
        'Test',
        'DeployStaging',
        'LoadGate',
        'DeployProd',
      ]);
      expect(t.stages.every((s) => s.actions.length === 1)).toBe(true);
    });

    it('puts a manual approval between the gate and prod when asked (context pipelineApproval=true)', () => {
      const approved = inspect(synth({ manualApproval: true }).template);
      expect(approved.stages.map((s) => s.name)).toEqual([
        'Source',
        'Test',
        'DeployStaging',
        'LoadGate',
        'ApproveProd',
        'DeployProd',
      ]);
      expect(approved.stages[4]?.actions[0]?.['ActionTypeId']).toMatchObject({
        Category: 'Approval',
        Provider: 'Manual',
      });
    });

    it('lets prod start only with the gate’s verdict: its input artifact, produced by the gate alone, checked before anything else', () => {
      const producers = t.stages.flatMap((s, index) =>
        s.actions
          .filter((a) =>
            (a['OutputArtifacts'] ?? []).some((o: Json) => o['Name'] === GATE_ARTIFACT),
          )
          .map(() => ({ stage: s.name, index })),
      );
      expect(producers).toEqual([{ stage: 'LoadGate', index: 3 }]);
      const prod = t.stages.find((s) => s.name === 'DeployProd')?.actions[0] as Json;
      expect(prod['InputArtifacts']).toEqual([{ Name: 'Source' }, { Name: GATE_ARTIFACT }]);
      expect(prod['Configuration']['PrimarySource']).toBe('Source');
      // No V2 stage condition or failure rule that could let a failed stage pass (ROLLBACK, skip, …).
      for (const stage of t.pipeline['Stages'] as Json[])
        for (const key of ['OnFailure', 'OnSuccess', 'BeforeEntry'])
          expect(stage[key]).toBeUndefined();
      expect(t.buildSpec(t.projectOf('DeployProd')).phases.pre_build?.commands[0]).toBe(
        `bash tools/release/steps/check-gate.sh staging "$CODEBUILD_SRC_DIR_${GATE_ARTIFACT}"`,
      );
    });

    it('runs what CI runs in Test, and deploys, records or tests a stage only in that stage’s actions', () => {
      const commands = (action: string) =>
        Object.values(t.buildSpec(t.projectOf(action)).phases).flatMap((p) => p?.commands ?? []);
      expect(commands('Test')).toEqual([
        'bash tools/release/steps/install.sh',
        'bash tools/release/steps/test.sh',
      ]);
      expect(commands('DeployStaging')).toEqual([
        'bash tools/release/steps/install.sh',
        'bash tools/release/steps/preflight.sh staging',
        'bash tools/release/steps/deploy.sh staging',
        'bash tools/release/steps/record.sh staging',
      ]);
      expect(commands('LoadGate')).toEqual([
        'bash tools/release/steps/install.sh',
        'bash tools/release/steps/load-gate.sh staging',
      ]);
      expect(commands('DeployProd')).toEqual([
        'bash tools/release/steps/install.sh',
        `bash tools/release/steps/check-gate.sh staging "$CODEBUILD_SRC_DIR_${GATE_ARTIFACT}"`,
        'bash tools/release/steps/preflight.sh prod',
        'bash tools/release/steps/deploy.sh prod',
        'bash tools/release/steps/record.sh prod',
      ]);
    });

    it('keeps the gate’s reports and verdict as its output artifact and the fuzzing’s JUnit files as a test report', () => {
      const gate = t.buildSpec(t.projectOf('LoadGate'));
      expect(gate.artifacts).toEqual({ 'base-directory': '.release/gate', files: ['**/*'] });
      expect(gate.reports).toEqual({
        fuzz: {
          'base-directory': '.release/gate/staging/fuzz',
          files: ['**/junit.xml'],
          'file-format': 'JUNITXML',
        },
      });
    });
    it('reads back from the cloud assembly action by action, as the rehearsal replays it', () => {
      const { app: approved } = synth({ manualApproval: true });
      const actions = readPipeline(approved.synth().directory);
      expect(actions.map((a) => `${a.stage}/${a.name}:${a.kind}`)).toEqual([
        'Source/Source:source',
        'Test/Test:build',
        'DeployStaging/DeployStaging:build',
        'LoadGate/LoadGate:build',
        'ApproveProd/ApproveProd:approval',
        'DeployProd/DeployProd:build',
      ]);
      expect(actions[3]).toMatchObject({
        outputs: [GATE_ARTIFACT],
        variables: {
          STAGE_READ_ROLE_ARN:
            'arn:aws:iam::000000000000:role/cdk-hnb659fds-lookup-role-000000000000-eu-west-1',
          STAGE_REGION: 'eu-west-1',
        },
      });
      expect(actions[5]).toMatchObject({
        inputs: ['Source', GATE_ARTIFACT],
        buildSpec: t.buildSpec(t.projectOf('DeployProd')),
      });
    });
  });

  describe('the load gate reads staging, never prod', () => {
    const cross = inspect(synth(crossAccount).template);
    const gate = cross.projectOf('LoadGate');

    it('runs against staging with staging’s read-only (lookup) role and region', () => {
      expect(cross.variables(gate)).toEqual({
        STAGE_READ_ROLE_ARN: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              `:iam::${STAGING_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${STAGING_ACCOUNT}-eu-west-1`,
            ],
          ],
        },
        STAGE_REGION: 'eu-west-1',
      });
      expect(assumable(cross.roleStatements(gate))).toEqual([
        JSON.stringify({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              `:iam::${STAGING_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${STAGING_ACCOUNT}-eu-west-1`,
            ],
          ],
        }),
      ]);
    });

    it('cannot reach prod’s account, deploy, or touch any record', () => {
      const everything = JSON.stringify([
        cross.variables(gate),
        cross.roleStatements(gate),
        cross.buildSpec(gate),
      ]);
      expect(everything).not.toContain(PROD_ACCOUNT);
      expect(everything).not.toMatch(/\bprod\b/);
      expect(everything).not.toMatch(/deploy-role|file-publishing-role|ssm:/);
    });
  });

  describe('permissions', () => {
    const cross = inspect(synth(crossAccount).template);
    const bootstrap = (account: string, region: string, purposes: string[]) =>
      JSON.stringify(
        purposes.map((p) => ({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              `:iam::${account}:role/cdk-hnb659fds-${p}-role-${account}-${region}`,
            ],
          ],
        })),
      );

    it('lets each deploy action assume only its own stage’s CDK bootstrap roles', () => {
      expect(assumable(cross.roleStatements(cross.projectOf('DeployStaging')))).toEqual([
        bootstrap(STAGING_ACCOUNT, 'eu-west-1', ['deploy', 'file-publishing', 'lookup']),
      ]);
      expect(assumable(cross.roleStatements(cross.projectOf('DeployProd')))).toEqual([
        bootstrap(PROD_ACCOUNT, 'eu-central-1', ['deploy', 'file-publishing', 'lookup']),
      ]);
      expect(assumable(cross.roleStatements(cross.projectOf('Test')))).toEqual([]);
    });

    it('lets only a stage’s deploy action read and write that stage’s last-deployed record, in the pipeline’s account', () => {
      const record = (stage: StageName) =>
        Object.entries(cross.resources).find(
          ([, r]) =>
            r['Type'] === 'AWS::SSM::Parameter' &&
            r['Properties']['Name'] === lastDeployedCommitParameterName(stage),
        );
      for (const [stage, action] of [
        ['staging', 'DeployStaging'],
        ['prod', 'DeployProd'],
      ] as const) {
        const [id, resource] = record(stage) ?? [];
        expect(resource?.['Properties']).toMatchObject({ Value: 'none', Type: 'String' });
        for (const other of ['Test', 'DeployStaging', 'LoadGate', 'DeployProd']) {
          const ssm = cross
            .roleStatements(cross.projectOf(other))
            .filter((s) => actions(s).some((a) => a.startsWith('ssm:')));
          if (other === action) {
            expect(ssm.flatMap(actions).sort()).toEqual([
              'ssm:DescribeParameters',
              'ssm:GetParameter',
              'ssm:GetParameterHistory',
              'ssm:GetParameters',
              'ssm:PutParameter',
            ]);
            expect(ssm.every((s) => JSON.stringify(s.Resource).includes(id as string))).toBe(true);
          } else {
            expect(JSON.stringify(ssm)).not.toContain(id);
          }
        }
      }
    });

    it('grants UseConnection under both service prefixes on the one connection, to the source action and every project', () => {
      const grants = Object.values(template.findResources('AWS::IAM::Policy'))
        .flatMap((p) => p['Properties'].PolicyDocument.Statement as Statement[])
        .filter((s) => s.Sid === 'UseConnection');
      expect(grants).toHaveLength(5);
      for (const s of grants) {
        expect(actions(s)).toEqual([
          'codestar-connections:UseConnection',
          'codeconnections:UseConnection',
        ]);
        expect(s.Resource).toEqual({ Ref: 'ConnectionArn' });
      }
      template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
        Stages: Match.arrayWith([
          Match.objectLike({
            Name: 'Source',
            Actions: [
              Match.objectLike({
                RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SourceActionRole'), 'Arn'] },
              }),
            ],
          }),
        ]),
      });
    });

    it('has no administrator or other managed policy, and no action wildcard beyond CDK’s bucket and key grants', () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (p) => p['Properties'].PolicyDocument.Statement as Statement[],
      );
      expect(JSON.stringify(t.json)).not.toMatch(/AdministratorAccess|PowerUserAccess/);
      for (const role of Object.values(template.findResources('AWS::IAM::Role')))
        expect(role['Properties'].ManagedPolicyArns).toBeUndefined();
      for (const action of statements.flatMap(actions).filter((a) => a.includes('*'))) {
        expect(action).toMatch(
          /^(s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*|kms:(GenerateDataKey|ReEncrypt)\*)$/,
        );
      }
      expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
    });

    it('passes cdk-nag with only the acknowledged findings: either source, with approval, across accounts', () => {
      expect(nagFindings(app)).toEqual([]);
      expect(nagFindings(synth({ source: 'codecommit' }).app)).toEqual([]);
      expect(nagFindings(synth({ ...crossAccount, manualApproval: true }).app)).toEqual([]);
    });
  });

  describe('build machines', () => {
    it('builds on Graviton in the Node.js 22 Debian image, or on x86 when asked', () => {
      for (const id of t.projectIds) {
        expect(t.resources[id]?.['Properties']['Environment']).toMatchObject({
          Type: 'ARM_CONTAINER',
          Image: 'public.ecr.aws/docker/library/node:22-bookworm',
          PrivilegedMode: false,
        });
      }
      synth({ architecture: 'x86_64' }).template.hasResourceProperties('AWS::CodeBuild::Project', {
        Environment: Match.objectLike({
          Type: 'LINUX_CONTAINER',
          Image: 'public.ecr.aws/docker/library/node:22-bookworm',
        }),
      });
    });

    it('keeps npm’s download cache in a real cache: S3, in the artifact bucket, for every project', () => {
      for (const id of t.projectIds) {
        expect(t.resources[id]?.['Properties']['Cache']).toEqual({
          Type: 'S3',
          Location: {
            'Fn::Join': ['/', [{ Ref: expect.stringMatching(/^Artifacts/) }, 'build-cache']],
          },
        });
        expect(t.buildSpec(id).cache).toEqual({ paths: ['/root/.npm/_cacache/**/*'] });
      }
    });
  });

  describe('every command the buildspecs run exists', () => {
    const buildspecs = Object.fromEntries(
      ['Test', 'DeployStaging', 'LoadGate', 'DeployProd'].map((action) => [
        action,
        t.buildSpec(t.projectOf(action)),
      ]),
    );
    const deploys = { services: releaseTopology('staging').services, stages: ['staging', 'prod'] };

    it('finds every step script, every npm script it runs and every deploy target in this workspace', () => {
      expect(checkPipelineCommands(buildspecs, readWorkspace(workspaceRoot()), deploys)).toEqual(
        [],
      );
    });

    it('fails on a renamed npm script, a missing executable, a missing deploy configuration, and inline shell in a buildspec', () => {
      const workspace = readWorkspace(workspaceRoot());
      const { load: _load, ...renamed } = workspace.scripts;
      const broken = {
        ...buildspecs,
        Test: {
          ...buildspecs['Test'],
          phases: { build: { commands: ['npm test && npm run load:quick'] } },
        } as BuildSpec,
      };
      const bins = workspace.bins.filter((bin) => bin !== 'tsx');
      expect(
        checkPipelineCommands(
          broken,
          { ...workspace, scripts: { ...renamed, 'load:full': 'x' }, bins },
          { ...deploys, stages: [...deploys.stages, 'qa'] },
        ),
      ).toEqual([
        `Test build: 'npm test && npm run load:quick' is not a single step script call (bash tools/release/steps/<step>.sh <args>)`,
        `tools/release/steps/deploy.sh: 'npx tsx' is not installed by package.json (node_modules/.bin)`,
        `tools/release/steps/load-gate.sh: 'npm run load' is not a script in package.json`,
        ...deploys.services.map(
          (service) =>
            `${service}: the deploy target has no 'qa' configuration (nx run ${service}:deploy:qa)`,
        ),
      ]);
    });
  });

  describe('the synthesized buildspecs, run with local stand-ins for aws, cdk, npm and npx', () => {
    const root = workspaceRoot();
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    // The step scripts name the record themselves (bash); it must be the name libs/infra gives it.
    const record = (stage: StageName) => lastDeployedCommitParameterName(stage);
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pipeline-buildspec-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs one action's synthesized buildspec (install skipped: this checkout is installed). */
    async function runAction(
      action: string,
      state: Partial<StandInState>,
      extraEnv: Record<string, string> = {},
    ) {
      const standIns = installStandIns(join(dir, 'stand-ins'), {
        ssm: { [record('staging')]: 'none', [record('prod')]: 'none' },
        deployVia: 'nx',
        // The preflight reads the account's Lambda quota (AWS): stood in here, tested in its own project.
        npm: { '^run -s preflight': 'pass' },
        ...state,
      });
      let output = '';
      const result: BuildResult = await runBuildSpec(t.buildSpec(t.projectOf(action)), {
        cwd: root,
        env: { ...standIns.env, RELEASE_WORK_DIR: join(dir, 'work'), ...extraEnv },
        projectVariables: { STAGE_READ_ROLE_ARN: '', STAGE_REGION: '' },
        skip: { install: 'this checkout is already installed' },
        output: (text) => (output += text),
      });
      const after = readState(standIns.statePath);
      const calls = (after.calls ?? []).map((c) => [c.tool, ...c.args].join(' '));
      return {
        result,
        output,
        ssm: after.ssm,
        calls,
        deploys: calls.filter((c) => /^npx nx run \w+:deploy/.test(c)),
      };
    }

    it('deploys staging, then records its commit as the last step, and leaves prod’s record alone', async () => {
      const run = await runAction('DeployStaging', {});
      expect(run.result.status).toBe('SUCCEEDED');
      expect(run.deploys).toEqual(
        ['auth', 'location', 'profile'].map(
          (s) => `npx nx run ${s}:deploy:staging --outputStyle=stream`,
        ),
      );
      expect(run.calls.at(-1)).toBe(
        `aws ssm put-parameter --name ${record('staging')} --value ${head} --type String --overwrite`,
      );
      expect(run.ssm).toMatchObject({ [record('staging')]: head, [record('prod')]: 'none' });
    });

    it('fails the build and keeps the record when the first of several deploys fails (no loop exits with its last status)', async () => {
      const run = await runAction('DeployStaging', { fail: ['^npx nx run auth:deploy'] });
      expect(run.result).toMatchObject({ status: 'FAILED', failedPhase: 'build' });
      expect(run.deploys).toEqual(['npx nx run auth:deploy:staging --outputStyle=stream']);
      expect(run.calls.filter((c) => c.startsWith('aws ssm put-parameter'))).toEqual([]);
      expect(run.ssm[record('staging')]).toBe('none');
      expect(run.result.commands.map((c) => c.command)).not.toContain(
        'bash tools/release/steps/record.sh staging',
      );
    });

    it('deploys nothing when the preflight refuses', async () => {
      const run = await runAction('DeployStaging', { npm: { '^run -s preflight': 'fail' } });
      expect(run.result).toMatchObject({ status: 'FAILED', failedPhase: 'pre_build' });
      expect(run.deploys).toEqual([]);
      expect(run.ssm[record('staging')]).toBe('none');
    });

    function gateVerdict(content: object): Record<string, string> {
      const artifact = join(dir, 'gate-artifact');
      mkdirSync(join(artifact, 'staging'), { recursive: true });
      writeFileSync(join(artifact, 'staging/verdict.json'), JSON.stringify(content));
      return { [`CODEBUILD_SRC_DIR_${GATE_ARTIFACT}`]: artifact };
    }

    it('does not start prod’s deploy on a failed gate verdict', async () => {
      const run = await runAction(
        'DeployProd',
        {},
        gateVerdict({
          stage: 'staging',
          commit: head,
          load: 'failed',
          fuzz: 'passed',
          passed: false,
        }),
      );
      expect(run.result).toMatchObject({ status: 'FAILED', failedPhase: 'pre_build' });
      expect(run.calls).toEqual([]);
      expect(run.ssm[record('prod')]).toBe('none');
    });

    it('deploys prod after the gate passed for this commit, and records only prod', async () => {
      const run = await runAction(
        'DeployProd',
        { ssm: { [record('staging')]: head, [record('prod')]: 'none' } },
        gateVerdict({
          stage: 'staging',
          commit: head,
          load: 'passed',
          fuzz: 'passed',
          passed: true,
        }),
      );
      expect(run.result.status).toBe('SUCCEEDED');
      expect(run.deploys).toEqual(
        ['auth', 'location', 'profile'].map(
          (s) => `npx nx run ${s}:deploy:prod --outputStyle=stream`,
        ),
      );
      expect(run.calls.filter((c) => c.startsWith('aws ssm put-parameter'))).toEqual([
        `aws ssm put-parameter --name ${record('prod')} --value ${head} --type String --overwrite`,
      ]);
    });
  });
});
