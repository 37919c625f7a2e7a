import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { STAGES, type StageName } from '@sm/infra';
import { createApp, stackNameIn, StackIds, type StageStacks } from './app';
import { LIMITS_PROFILE_METADATA } from './limits';
import { ensureBundles } from './test-support';

type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown> & { RestApiId?: { Ref?: string } } }
>;

ensureBundles();
const { app, stages, pipeline } = createApp();
const assembly = app.synth();
const services = (s: StageStacks) => [s.platform, s.auth, s.location, s.profile];
const resourcesOf = (stack: Stack) => Template.fromStack(stack).toJSON().Resources as Resources;

/** Every name a resource is given in the template (the ones that must be unique per account and region). */
function fixedNames(stack: Stack): string[] {
  const nameProperties: Record<string, string> = {
    'AWS::CloudWatch::Alarm': 'AlarmName',
    'AWS::CloudWatch::Dashboard': 'DashboardName',
    'AWS::SSM::Parameter': 'Name',
    'AWS::SNS::Topic': 'TopicName',
    'AWS::ApiGateway::RestApi': 'Name',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::CodeDeploy::Application': 'ApplicationName',
    'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
  };
  return Object.values(resourcesOf(stack)).flatMap((resource) => {
    const property = nameProperties[resource.Type];
    const value = property ? resource.Properties?.[property] : undefined;
    return typeof value === 'string' ? [value] : [];
  });
}

describe('deployment stages', () => {
  it('wraps every stack of the system in one CDK Stage per stage, and keeps the pipeline at the top', () => {
    expect(STAGES.map((s) => [s.name, s.id])).toEqual([
      ['staging', 'Staging'],
      ['prod', 'Prod'],
    ]);
    for (const { name, id } of STAGES) {
      const stacks = services(stages[name]);
      expect(stacks.map((s) => s.node.path)).toEqual(
        ['SmPlatform', 'SmAuth', 'SmLocation', 'SmProfile'].map((stack) => `${id}/${stack}`),
      );
      expect(stacks.map((s) => s.stackName)).toEqual(
        ['SmPlatform', 'SmAuth', 'SmLocation', 'SmProfile'].map((stack) => `${id}-${stack}`),
      );
      expect(stackNameIn(name, StackIds.auth)).toBe(`${id}-SmAuth`);
      const nested = assembly.getNestedAssembly(`assembly-${id}`);
      expect(nested.stacks.map((s) => s.stackName).sort()).toEqual(
        stacks.map((s) => s.stackName).sort(),
      );
    }
    expect(pipeline.node.path).toBe('SmPipeline');
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['SmPipeline']);
  });

  it('gives every API the stage’s name as its API Gateway stage, and every fixed name the stage', () => {
    for (const { name } of STAGES) {
      for (const stack of services(stages[name])) {
        const apiStages = Object.values(resourcesOf(stack)).filter(
          (r) => r.Type === 'AWS::ApiGateway::Stage',
        );
        for (const apiStage of apiStages) expect(apiStage.Properties?.['StageName']).toBe(name);
        for (const fixed of fixedNames(stack))
          expect({ fixed, carriesStage: fixed.includes(name) }).toEqual({
            fixed,
            carriesStage: true,
          });
      }
    }
    const staging = new Set(services(stages.staging).flatMap(fixedNames));
    const prod = services(stages.prod).flatMap(fixedNames);
    expect(prod.length).toBeGreaterThan(60);
    expect(prod.filter((n) => staging.has(n))).toEqual([]);
  });

  it('leaves nothing behind when a stack’s first create fails: no plain Retain, only RetainExceptOnCreate', () => {
    for (const { name } of STAGES) {
      for (const stack of services(stages[name])) {
        const template = Template.fromStack(stack).toJSON() as {
          Resources: Record<string, { Type: string; DeletionPolicy?: string }>;
        };
        const retained = Object.entries(template.Resources).filter(
          ([, r]) => r.DeletionPolicy === 'Retain',
        );
        expect({ stack: stack.stackName, retained }).toEqual({
          stack: stack.stackName,
          retained: [],
        });
      }
    }
  });

  it('deploys the same limits in both stages unless a stage overrides them', () => {
    const limitsOf = (name: StageName) =>
      services(stages[name]).flatMap((stack) =>
        Object.entries(resourcesOf(stack))
          .filter(
            ([, r]) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::ApiGateway::Stage',
          )
          // Keyed by what does not name the stage: a function's handler, a stage's REST API.
          .map(([, r]) => [
            stack.node.id,
            r.Properties?.['Handler'] ?? r.Properties?.['RestApiId']?.Ref,
            r.Properties?.['ReservedConcurrentExecutions'] ?? null,
            r.Properties?.['MemorySize'] ?? null,
            r.Properties?.['Timeout'] ?? null,
            JSON.stringify(r.Properties?.['MethodSettings'] ?? null),
          ]),
      );
    expect(limitsOf('staging')).toEqual(limitsOf('prod'));
    expect(stages.staging.limits).toEqual(stages.prod.limits);
  });

  it('is environment-agnostic without context, and takes each stage’s account and region from context', () => {
    for (const { name } of STAGES)
      expect(stages[name].auth.environment).toBe('aws://unknown-account/unknown-region');
    const pinned = createApp({
      context: {
        'stages.staging.account': '111111111111',
        'stages.staging.region': 'eu-west-1',
        stages: { prod: { account: '222222222222', region: 'eu-central-1' } },
      },
    }).stages;
    expect(services(pinned.staging).map((s) => s.environment)).toEqual(
      Array(4).fill('aws://111111111111/eu-west-1'),
    );
    expect(services(pinned.prod).map((s) => s.environment)).toEqual(
      Array(4).fill('aws://222222222222/eu-central-1'),
    );
    expect(() => createApp({ context: { 'stages.prod.account': 'prod' } })).toThrow(
      "context stages.prod.account must be a 12-digit AWS account id, got 'prod'",
    );
  });

  it('applies a limits profile chosen by context to that stage only, and records it in the templates', () => {
    const { stages: chosen } = createApp({
      context: { 'stages.staging.limitsProfile': 'small-account' },
    });
    const reserved = (stack: Stack) =>
      Object.values(resourcesOf(stack))
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .reduce((sum, r) => sum + Number(r.Properties?.['ReservedConcurrentExecutions'] ?? 0), 0);
    expect(services(chosen.staging).reduce((sum, s) => sum + reserved(s), 0)).toBe(66);
    expect(services(chosen.prod).reduce((sum, s) => sum + reserved(s), 0)).toBe(565);
    expect(
      Template.fromStack(chosen.staging.auth).toJSON().Metadata?.[LIMITS_PROFILE_METADATA],
    ).toBe('small-account');
    expect(Template.fromStack(chosen.prod.auth).toJSON().Metadata?.[LIMITS_PROFILE_METADATA]).toBe(
      'default',
    );
    expect(() => createApp({ context: { 'stages.prod.limitsProfile': 'tiny' } })).toThrow(
      "context stages.prod.limitsProfile must be one of default, small-account, got 'tiny'",
    );
  });
});
