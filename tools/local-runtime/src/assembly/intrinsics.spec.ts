import type { StackArtifact, Template } from './cloud-assembly';
import { AssemblyError } from './errors';
import { IntrinsicResolver } from './intrinsics';

const stack = (stackName: string, template: Template): StackArtifact => ({
  stackName,
  stackId: stackName,
  artifactId: stackName,
  template,
  assemblyDir: '/assembly',
  assetDirsByObjectKey: new Map(),
});

const producer = stack('Producer', {
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'producer-fn' } },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
    Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'prod' } },
    Url: {
      Type: 'AWS::SSM::Parameter',
      Properties: {
        Name: '/x/api-url',
        Value: { 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Stage' }, '/']] },
      },
    },
    FnArn: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/x/fn-arn', Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
  },
  Outputs: { Exported: { Value: { 'Fn::Sub': '${Fn}-${AWS::AccountId}' }, Export: { Name: 'producer-export' } } },
});

const consumer = stack('Consumer', {
  Parameters: {
    UrlParam: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x/api-url' },
    ArnParam: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x/fn-arn' },
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
    Missing: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/nobody/publishes/this' },
  },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Loop: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::GetAtt': ['Loop', 'Value'] }, Value: 'x' } },
  },
});

function setup() {
  const resolver = new IntrinsicResolver([producer, consumer], { accountId: '111122223333', region: 'eu-west-1', origin: 'http://127.0.0.1:3000' });
  resolver.registerApiUrls([{ apiId: resolver.physicalId(producer, 'Api'), stageName: 'prod' }]);
  const at = (property: string) => ({ stack: consumer, resource: 'Fn', property });
  return { resolver, at };
}

describe('IntrinsicResolver', () => {
  it('resolves an SSM-typed template parameter through the stack that creates the parameter', () => {
    const { resolver, at } = setup();
    expect(resolver.resolve({ Ref: 'ArnParam' }, at('Environment'))).toBe('arn:aws:lambda:eu-west-1:111122223333:function:producer-fn');
  });

  it("turns a deployed API URL into that API's local base URL, API id and stage in the path", () => {
    const { resolver, at } = setup();
    const base = `http://127.0.0.1:3000/_aws/execute-api/${resolver.physicalId(producer, 'Api')}/prod`;
    expect(resolver.resolve({ Ref: 'UrlParam' }, at('Environment'))).toBe(`${base}/`);
    expect(resolver.resolve({ 'Fn::Join': ['', [{ Ref: 'UrlParam' }, 'loc/1']] }, at('Environment'))).toBe(`${base}/loc/1`);
  });

  it('leaves a URL alone that names another API or another stage of this one', () => {
    const { resolver, at } = setup();
    const apiId = resolver.physicalId(producer, 'Api');
    expect(resolver.resolve(`https://${apiId}.execute-api.eu-west-1.amazonaws.com/staging/x`, at('X'))).toBe(
      `https://${apiId}.execute-api.eu-west-1.amazonaws.com/staging/x`,
    );
    expect(resolver.resolve('https://zzzzzzzzzz.execute-api.eu-west-1.amazonaws.com/prod', at('X'))).toBe('https://zzzzzzzzzz.execute-api.eu-west-1.amazonaws.com/prod');
    expect(resolver.resolve(`https://${apiId}.execute-api.eu-west-1.amazonaws.com/production`, at('X'))).toBe(
      `https://${apiId}.execute-api.eu-west-1.amazonaws.com/production`,
    );
  });

  it('rebuilds an authorizer URI with Fn::Select and Fn::Split over the ARN, as CDK writes it', () => {
    const { resolver, at } = setup();
    const arn = { Ref: 'ArnParam' };
    const uri = {
      'Fn::Join': ['', ['arn:', { 'Fn::Select': [1, { 'Fn::Split': [':', arn] }] }, ':apigateway:', { 'Fn::Select': [3, { 'Fn::Split': [':', arn] }] }, ':lambda:path/2015-03-31/functions/', arn, '/invocations']],
    };
    expect(resolver.resolve(uri, at('AuthorizerUri'))).toBe(
      'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:producer-fn/invocations',
    );
  });

  it('resolves Fn::ImportValue against other stacks’ exports, and Fn::Sub with its variable map', () => {
    const { resolver, at } = setup();
    expect(resolver.resolve({ 'Fn::ImportValue': 'producer-export' }, at('X'))).toBe('producer-fn-111122223333');
    expect(resolver.resolve({ 'Fn::Sub': ['${A}/${AWS::StackName}/${!Literal}', { A: 'a' }] }, at('X'))).toBe('a/Consumer/${Literal}');
  });

  it('gives the CDK bootstrap version parameter a version and generated tables a stable name', () => {
    const { resolver, at } = setup();
    expect(resolver.resolve({ Ref: 'BootstrapVersion' }, at('X'))).toMatch(/^\d+$/);
    expect(resolver.resolve({ Ref: 'Table' }, at('X'))).toBe('Consumer-Table');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Table', 'Arn'] }, at('X'))).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/Consumer-Table');
  });

  it('fails naming stack, resource and property on what it cannot resolve', () => {
    const { resolver, at } = setup();
    expect(() => resolver.resolve({ 'Fn::Base64': 'x' }, at('Environment.Variables.X'))).toThrow(
      new AssemblyError('stack Consumer, resource Fn, property Environment.Variables.X: unsupported intrinsic Fn::Base64'),
    );
    expect(() => resolver.resolve({ Ref: 'Missing' }, at('Environment'))).toThrow(/stack Consumer, resource Fn, property Environment: .*\/nobody\/publishes\/this, which no stack/);
    expect(() => resolver.resolve({ 'Fn::GetAtt': ['Table', 'Nope'] }, at('P'))).toThrow(/unsupported Fn::GetAtt Table\.Nope/);
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'nobody' }, at('P'))).toThrow(/no stack exports it/);
  });
});
