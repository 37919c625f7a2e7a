import { Template } from 'aws-cdk-lib/assertions';
import { publishedParameters, STAGES, type ServiceName, type StackTemplate } from '@sm/infra';
import { publishedValueReplacements } from '@sm/template-diff';
import { createApp, type StageStacks } from './app';
import { ensureBundles } from './test-support';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- template JSON

ensureBundles();
const { app, stages } = createApp();
app.synth();
const stacksOf = (s: StageStacks) => ({
  platform: s.platform,
  auth: s.auth,
  location: s.location,
  profile: s.profile,
});
const templateOf = (s: StageStacks, service: keyof ReturnType<typeof stacksOf>) =>
  Template.fromStack(stacksOf(s)[service]).toJSON() as {
    Parameters?: Record<string, { Type: string; Default?: string }>;
    Resources: Resources;
  };
const prodTemplates = (): StackTemplate[] =>
  Object.values(stacksOf(stages.prod)).map((stack) => ({
    stackName: stack.stackName,
    template: Template.fromStack(stack).toJSON(),
  }));

describe.each(STAGES.map((s) => s.name))('values shared through SSM in %s', (stage) => {
  const stacks = stages[stage];
  const declared = publishedParameters(stage);

  it('are each published by the stack the declaration names', () => {
    for (const parameter of declared) {
      const names = Object.values(templateOf(stacks, parameter.publisher).Resources)
        .filter((r) => r.Type === 'AWS::SSM::Parameter')
        .map((r) => r.Properties['Name']);
      expect({
        parameter: parameter.name,
        publishedBy: parameter.publisher,
        found: names.includes(parameter.name),
      }).toEqual({ parameter: parameter.name, publishedBy: parameter.publisher, found: true });
    }
  });

  it.each(['auth', 'location', 'profile'] as ServiceName[])(
    'are read by %s exactly as declared: at deployment, or at run time with a grant',
    (service) => {
      const template = templateOf(stacks, service);
      const atDeploy = Object.values(template.Parameters ?? {})
        .filter(
          (p) => p.Type.startsWith('AWS::SSM::Parameter::Value') && p.Default?.startsWith('/sm/'),
        )
        .map((p) => p.Default)
        .sort();
      expect(atDeploy).toEqual(
        declared
          .filter((p) => p.readAtDeploy.includes(service))
          .map((p) => p.name)
          .sort(),
      );

      const granted = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap(
          (r) =>
            r.Properties['PolicyDocument'].Statement as {
              Action: string | string[];
              Resource: unknown;
            }[],
        )
        .filter((s) => [s.Action].flat().includes('ssm:GetParameter'))
        .map((s) => JSON.stringify(s.Resource));
      const atRunTime = declared.filter((p) => p.readAtRunTime.includes(service));
      expect(granted).toHaveLength(atRunTime.length);
      for (const parameter of atRunTime)
        expect(granted.some((resource) => resource.includes(`:parameter${parameter.name}`))).toBe(
          true,
        );
    },
  );

  it('keep the authorizer’s and the alert topic’s ARNs stable by construction: fixed names that carry the stage', () => {
    const auth = templateOf(stacks, 'auth').Resources;
    const arn = Object.values(auth).find(
      (r) =>
        r.Type === 'AWS::SSM::Parameter' &&
        r.Properties['Name'] === `/sm/${stage}/auth/authorizer-function-arn`,
    )!;
    // The live alias's ARN: a fixed function name and a fixed alias name, whichever version it points to.
    const alias = auth[arn.Properties['Value'].Ref]!;
    expect(alias).toMatchObject({ Type: 'AWS::Lambda::Alias', Properties: { Name: 'live' } });
    expect(auth[alias.Properties['FunctionName'].Ref]).toMatchObject({
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: `sm-${stage}-auth-authorize`, Handler: 'authorize.handler' },
    });

    const platform = templateOf(stacks, 'platform').Resources;
    const topicArn = Object.values(platform).find(
      (r) =>
        r.Type === 'AWS::SSM::Parameter' &&
        r.Properties['Name'] === `/sm/${stage}/platform/alert-topic-arn`,
    )!;
    expect(platform[topicArn.Properties['Value'].Ref]).toMatchObject({
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: `sm-${stage}-alerts` },
    });
  });

  it('make every API’s authorizer call the published ARN, so its Deployment never needs to change for it', () => {
    for (const service of ['location', 'profile'] as const) {
      const template = templateOf(stacks, service);
      const arnParameter = Object.entries(template.Parameters ?? {}).find(
        ([, p]) => p.Default === `/sm/${stage}/auth/authorizer-function-arn`,
      )![0];
      const authorizers = Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::ApiGateway::Authorizer',
      );
      expect(authorizers).toHaveLength(1);
      expect(JSON.stringify(authorizers[0]!.Properties['AuthorizerUri'])).toContain(
        `{"Ref":"${arnParameter}"}`,
      );
    }
  });
});

describe('the replacement check (base templates against head templates)', () => {
  const base = prodTemplates();
  const declared = publishedParameters('prod');
  /** What renaming a construct does to its stack's template: every reference follows the new logical id. */
  const renamed = (stackName: string, from: string, to: string): StackTemplate[] =>
    base.map((s) =>
      s.stackName === stackName
        ? {
            stackName,
            template: JSON.parse(
              JSON.stringify(s.template).replace(new RegExp(`"${from}"`, 'g'), `"${to}"`),
            ),
          }
        : s,
    );
  const authorizeId = Object.entries(
    base.find((s) => s.stackName === 'Prod-SmAuth')!.template.Resources ?? {},
  ).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' && r.Properties?.['Handler'] === 'authorize.handler',
  )![0];
  const authorizeAliasId = Object.entries(
    base.find((s) => s.stackName === 'Prod-SmAuth')!.template.Resources ?? {},
  ).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Alias' &&
      (r.Properties?.['FunctionName'] as { Ref?: string } | undefined)?.Ref === authorizeId,
  )![0];

  it('passes when nothing that publishes a value changes', () => {
    expect(publishedValueReplacements(base, prodTemplates(), declared)).toEqual([]);
  });

  it('fails on a renamed authorizer function, naming the stacks that hold its ARN', () => {
    const findings = publishedValueReplacements(
      base,
      renamed('Prod-SmAuth', authorizeId, 'AuthorizerFn0A1B2C3D'),
      declared,
    );
    // The published value is the live alias's ARN; a new function means a new alias (its
    // FunctionName cannot change in place), so a new ARN.
    expect(findings).toEqual([
      {
        stackName: 'Prod-SmAuth',
        parameterName: '/sm/prod/auth/authorizer-function-arn',
        resource: authorizeAliasId,
        resourceType: 'AWS::Lambda::Alias',
        why: 'CloudFormation will replace it (FunctionName changes)',
        readAtDeploy: ['location', 'profile'],
        readAtRunTime: [],
      },
    ]);
  });

  it('reports a replaced location API, which only profile reads, and at run time', () => {
    const location = base.find((s) => s.stackName === 'Prod-SmLocation')!.template;
    const apiId = Object.entries(location.Resources ?? {}).find(
      ([, r]) => r.Type === 'AWS::ApiGateway::RestApi',
    )![0];
    const findings = publishedValueReplacements(
      base,
      renamed('Prod-SmLocation', apiId, 'LocationApi0A1B2C3D'),
      declared,
    );
    expect(
      findings.map((f) => [f.parameterName, f.resourceType, f.readAtDeploy, f.readAtRunTime]),
    ).toEqual([['/sm/prod/location/api-url', 'AWS::ApiGateway::RestApi', [], ['profile']]]);
  });
});
