import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssemblyError } from './errors';
import { readAssembly } from './read-assembly';

/** Writes a one-stack cloud assembly the way CDK lays it out (manifest, template, asset manifest, asset dir). */
function writeAssembly(resources: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'local-runtime-assembly-'));
  mkdirSync(join(dir, 'asset.abc'));
  writeFileSync(join(dir, 'asset.abc', 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        'Svc.assets': { type: 'cdk:asset-manifest', properties: { file: 'Svc.assets.json' } },
        Svc: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Svc.template.json' }, dependencies: ['Svc.assets'] },
      },
    }),
  );
  writeFileSync(
    join(dir, 'Svc.assets.json'),
    JSON.stringify({ files: { abc: { source: { path: 'asset.abc', packaging: 'zip' }, destinations: { d: { objectKey: 'abc.zip' } } } } }),
  );
  writeFileSync(join(dir, 'Svc.template.json'), JSON.stringify({ Resources: resources }));
  return dir;
}

const integration = (fn: string) => ({
  Type: 'AWS_PROXY',
  Uri: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [fn, 'Arn'] }, '/invocations']] },
});

const base = {
  Handler: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { S3Bucket: 'b', S3Key: 'abc.zip' }, Timeout: 7, ReservedConcurrentExecutions: 2 } },
  Inline: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'index.handler', Code: { ZipFile: 'def handler(e, c): pass' } } },
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'svc' } },
  Items: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'items' } },
  Item: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { Ref: 'Items' }, PathPart: '{id}' } },
  Stage: {
    Type: 'AWS::ApiGateway::Stage',
    Properties: {
      RestApiId: { Ref: 'Api' },
      StageName: 'prod',
      MethodSettings: [
        { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 },
        { HttpMethod: 'GET', ResourcePath: '/~1items~1{id}', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 2 },
      ],
    },
  },
};

describe('readAssembly', () => {
  it('reads functions from their asset, the resource tree, and stage and method throttling', () => {
    const dir = writeAssembly({
      ...base,
      GetItem: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { Ref: 'Item' }, HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: integration('Handler') } },
    });
    const system = readAssembly(dir, { origin: 'http://127.0.0.1:3000' });
    expect(system.functions).toEqual([
      expect.objectContaining({ id: 'Svc/Handler', functionName: 'Svc-Handler', codeDir: join(dir, 'asset.abc'), timeoutSeconds: 7, reservedConcurrency: 2, memorySizeMB: 128 }),
    ]);
    const [api] = system.apis;
    expect(api?.methods.map((m) => `${m.httpMethod} ${m.resourcePath} → ${m.integration.type === 'AWS_PROXY' ? m.integration.functionId : ''}`)).toEqual([
      'GET /items/{id} → Svc/Handler',
    ]);
    expect(api?.throttling.stageDefault).toEqual({ rateLimit: 100, burstLimit: 50 });
    expect(api?.throttling.perMethod.get('/items/{id} GET')).toEqual({ rateLimit: 5, burstLimit: 2 });
  });

  it('leaves out a function no API uses that cannot run here, saying why', () => {
    const system = readAssembly(writeAssembly(base), { origin: 'http://127.0.0.1:3000' });
    expect(system.skipped).toEqual([{ id: 'Svc/Inline', reason: 'stack Svc, resource Inline, property Runtime: python3.12 does not run locally (Node.js runtimes only)' }]);
  });

  it('fails at startup when an API needs a function that cannot run', () => {
    const dir = writeAssembly({
      ...base,
      GetItem: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { Ref: 'Item' }, HttpMethod: 'GET', Integration: integration('Inline') } },
    });
    expect(() => readAssembly(dir, { origin: 'http://127.0.0.1:3000' })).toThrow(AssemblyError);
    expect(() => readAssembly(dir, { origin: 'http://127.0.0.1:3000' })).toThrow(/API Api of stack Svc needs Svc\/Inline, which cannot run: .*python3\.12/);
  });
});

describe('readAssembly: versions, aliases and the CodeDeploy groups that move them', () => {
  const aliasIntegration = (alias: string) => ({
    Type: 'AWS_PROXY',
    Uri: {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':apigateway:',
          { Ref: 'AWS::Region' },
          ':lambda:path/2015-03-31/functions/',
          { Ref: alias },
          '/invocations',
        ],
      ],
    },
  });
  const resources = {
    ...base,
    HandlerVersionB: {
      Type: 'AWS::Lambda::Version',
      Properties: { FunctionName: { Ref: 'Handler' } },
    },
    HandlerVersionA: {
      Type: 'AWS::Lambda::Version',
      Properties: { FunctionName: { Ref: 'Handler' } },
    },
    Errors: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: 'svc-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'Handler' } }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
    App: {
      Type: 'AWS::CodeDeploy::Application',
      Properties: { ComputePlatform: 'Lambda', ApplicationName: 'svc' },
    },
    Group: {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: { Ref: 'App' },
        DeploymentGroupName: 'svc-handler',
        DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
        AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: 'Errors' } }] },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
      },
    },
    Live: {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        Name: 'live',
        FunctionName: { Ref: 'Handler' },
        FunctionVersion: { 'Fn::GetAtt': ['HandlerVersionB', 'Version'] },
        RoutingConfig: {
          AdditionalVersionWeights: [
            {
              FunctionVersion: { 'Fn::GetAtt': ['HandlerVersionA', 'Version'] },
              FunctionWeight: 0.25,
            },
          ],
        },
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
      },
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'App' },
          DeploymentGroupName: { Ref: 'Group' },
          BeforeAllowTrafficHook: { Ref: 'Handler' },
        },
      },
    },
    Published: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: '/svc/arn', Type: 'String', Value: { Ref: 'Live' } },
    },
    VersionArn: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: '/svc/version', Type: 'String', Value: { Ref: 'HandlerVersionB' } },
    },
    GetItem: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Item' },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: aliasIntegration('Live'),
      },
    },
  };

  it('numbers the versions, resolves the alias, its routing and its deployment group, and keeps the qualifier integrations name', () => {
    const system = readAssembly(writeAssembly(resources), { origin: 'http://127.0.0.1:3000' });
    expect(system.lambdaVersions.versions).toEqual([
      { id: 'Svc/HandlerVersionB', functionId: 'Svc/Handler', version: '2' },
      { id: 'Svc/HandlerVersionA', functionId: 'Svc/Handler', version: '1' },
    ]);
    const [alias] = system.lambdaVersions.aliases;
    expect(alias).toMatchObject({
      functionId: 'Svc/Handler',
      name: 'live',
      version: '2',
      additionalVersionWeights: { '1': 0.25 },
      provisionedConcurrency: 2,
    });
    expect(alias?.deployment).toEqual({
      group: {
        id: 'Svc/Group',
        name: 'svc-handler',
        applicationName: 'svc',
        deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
        alarmNames: ['svc-errors'],
        alarmsEnabled: true,
        autoRollbackEvents: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
      beforeAllowTrafficHook: 'Svc/Handler',
      afterAllowTrafficHook: undefined,
    });
    expect(system.functions[0]).toMatchObject({
      id: 'Svc/Handler',
      version: '2',
      invokedQualifier: 'live',
    });
    const method = system.apis[0]!.methods[0]!;
    expect(method.integration).toMatchObject({
      type: 'AWS_PROXY',
      functionId: 'Svc/Handler',
      qualifier: 'live',
    });
    expect(system.parameters.map((p) => p.value)).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:Svc-Handler:live',
      'arn:aws:lambda:us-east-1:123456789012:function:Svc-Handler:2',
    ]);
  });

  it('numbers this assembly’s versions after the previous build’s when told to (a canary replay)', () => {
    const system = readAssembly(writeAssembly(resources), {
      origin: 'http://127.0.0.1:3000',
      versionBase: 1,
    });
    expect(system.lambdaVersions.versions.map((v) => v.version)).toEqual(['3', '2']);
    expect(system.parameters.find((p) => p.name === '/svc/version')?.value).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:Svc-Handler:3',
    );
  });

  it('fails at startup when an alias names a deployment group the assembly does not have', () => {
    const live = {
      ...resources.Live,
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'App' },
          DeploymentGroupName: 'svc-elsewhere',
        },
      },
    };
    expect(() =>
      readAssembly(writeAssembly({ ...resources, Live: live }), {
        origin: 'http://127.0.0.1:3000',
      }),
    ).toThrow(
      'stack Svc, resource Live: its UpdatePolicy names deployment group svc-elsewhere, which is not in the assembly',
    );
  });
});
