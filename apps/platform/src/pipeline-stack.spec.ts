import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { nagFindings } from '@sm/infra';
import { PipelineStack, type PipelineStackProps } from './pipeline-stack';

function synth(props: PipelineStackProps = {}) {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new PipelineStack(app, 'SmPipeline', props);
  return { app, template: Template.fromStack(stack) };
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('PipelineStack', () => {
  const { app, template } = synth();
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy['Properties'].PolicyDocument.Statement as Statement[],
  );
  const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.['Properties'];
  const buildSpec = JSON.parse(project.Source.BuildSpec) as { phases: Record<string, { commands: string[]; 'runtime-versions'?: Record<string, string> }> };
  const commands = ['install', 'pre_build', 'build'].flatMap((phase) => buildSpec.phases[phase]?.commands ?? []);

  it('is a CodePipeline V2 pipeline fed by a CodeConnections repository by default', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      Stages: [
        Match.objectLike({
          Name: 'Source',
          Actions: [Match.objectLike({ ActionTypeId: Match.objectLike({ Provider: 'CodeStarSourceConnection' }), Configuration: Match.objectLike({ OutputArtifactFormat: 'CODEBUILD_CLONE_REF' }) })],
        }),
        Match.objectLike({ Name: 'TestAndDeploy' }),
      ],
    });
    expect(Object.keys(template.toJSON().Parameters)).toEqual(expect.arrayContaining(['ConnectionArn', 'Repository', 'Branch']));
  });

  it('supports a CodeCommit repository instead', () => {
    synth({ source: 'codecommit' }).template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([Match.objectLike({ Actions: [Match.objectLike({ ActionTypeId: Match.objectLike({ Provider: 'CodeCommit' }) })] })]),
    });
  });

  it('builds on Graviton in the Node.js 22 Debian image, or on x86 when asked', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Type: 'ARM_CONTAINER', Image: 'public.ecr.aws/docker/library/node:22-bookworm', PrivilegedMode: false }),
    });
    expect(commands[0]).toMatch(/apt-get install .*chromium python3-venv awscli/);
    synth({ architecture: 'x86_64' }).template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Type: 'LINUX_CONTAINER', Image: 'public.ecr.aws/docker/library/node:22-bookworm' }),
    });
  });

  it('tests, then deploys what changed since the last deployed commit, and only then advances it', () => {
    const order = ['npm ci', 'aws ssm get-parameter', 'npm test', 'npm run synth', 'npm run lint:cfn', 'npm run load:quick', 'npm run fuzz:quick', 'npx nx affected -t deploy --base="$BASE"', 'aws ssm put-parameter'];
    const positions = order.map((step) => commands.findIndex((command) => command.includes(step)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The parameter is advanced by the build phase's last command: only when every earlier one succeeded.
    expect(buildSpec.phases['build']?.commands.at(-1)).toMatch(/^aws ssm put-parameter --name "\$LAST_DEPLOYED_PARAMETER" --value "\$HEAD_COMMIT"/);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/sm/pipeline/prod/last-deployed-commit', Value: 'none' });
  });

  it('may assume only the CDK bootstrap roles and read and write only its own parameter', () => {
    const assume = statements.filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    const bootstrap = assume.filter((s) => JSON.stringify(s.Resource).includes(':role/cdk-'));
    expect(bootstrap).toHaveLength(1);
    const roles = JSON.stringify(bootstrap[0]?.Resource);
    for (const purpose of ['deploy', 'file-publishing', 'lookup']) expect(roles).toContain(`:role/cdk-hnb659fds-${purpose}-role-`);
    expect(roles).not.toContain('*');
    // The pipeline's own role assumes its action roles, defined in this stack, and nothing else.
    const localRoles = Object.keys(template.findResources('AWS::IAM::Role'));
    for (const s of assume.filter((s) => !bootstrap.includes(s))) {
      expect(localRoles).toContain((s.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
    }
    const ssmStatements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('ssm:')));
    expect(ssmStatements.flatMap((s) => [s.Action].flat()).sort()).toEqual(
      expect.arrayContaining(['ssm:GetParameter', 'ssm:PutParameter']),
    );
    for (const s of ssmStatements) expect(JSON.stringify(s.Resource)).toContain('LastDeployedCommit');
  });

  it('has no administrator or other managed policy, and no action wildcard beyond CDK’s bucket and key grants', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/AdministratorAccess|PowerUserAccess/);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) expect(role['Properties'].ManagedPolicyArns).toBeUndefined();
    const wildcardActions = statements.flatMap((s) => [s.Action].flat()).filter((a) => a.includes('*'));
    for (const action of wildcardActions) expect(action).toMatch(/^(s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*|kms:(GenerateDataKey|ReEncrypt)\*)$/);
    expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
  });

  it('passes cdk-nag with only the acknowledged findings, for either source', () => {
    expect(nagFindings(app)).toEqual([]);
    const codecommit = synth({ source: 'codecommit' });
    expect(nagFindings(codecommit.app)).toEqual([]);
  });
});
