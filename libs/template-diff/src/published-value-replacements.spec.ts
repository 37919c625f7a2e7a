import type { StackTemplate } from '@sm/infra';
import { publishedValueReplacements } from './published-value-replacements';

/** A stack publishing a function's ARN and a topic's ARN, as CDK writes such templates. */
const stack = (resources: Record<string, unknown>): StackTemplate => ({
  stackName: 'Prod-SmAuth',
  template: { Resources: resources } as StackTemplate['template'],
});
const fn = (props: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    FunctionName: 'sm-prod-auth-authorize',
    Handler: 'authorize.handler',
    Runtime: 'nodejs22.x',
    MemorySize: 512,
    Role: 'arn:aws:iam::1:role/r',
    Code: { S3Bucket: 'b', S3Key: 'k.zip' },
    ...props,
  },
});
const parameter = (name: string, value: unknown) => ({
  Type: 'AWS::SSM::Parameter',
  Properties: { Name: name, Type: 'String', Value: value },
});
const ARN = '/sm/prod/auth/authorizer-function-arn';
const base = stack({
  AuthorizeFunction1A2B: fn(),
  AuthorizerFunctionArn9C8D: parameter(ARN, { 'Fn::GetAtt': ['AuthorizeFunction1A2B', 'Arn'] }),
});
const consumers = [
  {
    name: ARN,
    publisher: 'auth' as const,
    readAtDeploy: ['location', 'profile'] as const,
    readAtRunTime: [],
  },
];

describe('publishedValueReplacements', () => {
  it('finds a renamed construct: the source logical id goes and the value comes from a new one', () => {
    const head = stack({
      AuthorizerFunction7E6F: fn(),
      AuthorizerFunctionArn9C8D: parameter(ARN, {
        'Fn::GetAtt': ['AuthorizerFunction7E6F', 'Arn'],
      }),
    });
    expect(publishedValueReplacements([base], [head], consumers)).toEqual([
      {
        stackName: 'Prod-SmAuth',
        parameterName: ARN,
        resource: 'AuthorizeFunction1A2B',
        resourceType: 'AWS::Lambda::Function',
        why: 'the resource is removed and the value now comes from AuthorizerFunction7E6F (a renamed construct: a new resource, a new value)',
        readAtDeploy: ['location', 'profile'],
        readAtRunTime: [],
      },
    ]);
  });

  it('finds a property change CloudFormation can only make by replacing the resource', () => {
    const head = stack({
      AuthorizeFunction1A2B: fn({ FunctionName: 'sm-prod-auth-authorizer' }),
      AuthorizerFunctionArn9C8D: parameter(ARN, { 'Fn::GetAtt': ['AuthorizeFunction1A2B', 'Arn'] }),
    });
    expect(publishedValueReplacements([base], [head])).toEqual([
      expect.objectContaining({
        resource: 'AuthorizeFunction1A2B',
        why: 'CloudFormation will replace it (FunctionName changes)',
      }),
    ]);
  });

  it('finds a value no longer published', () => {
    const head = stack({ AuthorizeFunction1A2B: fn() });
    expect(publishedValueReplacements([base], [head])).toEqual([
      expect.objectContaining({
        parameterName: ARN,
        why: 'the parameter is no longer published by Prod-SmAuth',
      }),
    ]);
    expect(publishedValueReplacements([base], [])).toEqual([
      expect.objectContaining({ parameterName: ARN }),
    ]);
  });

  it('leaves out an update in place: new memory, new code, same function and ARN', () => {
    const head = stack({
      AuthorizeFunction1A2B: fn({ MemorySize: 1024, Code: { S3Bucket: 'b', S3Key: 'other.zip' } }),
      AuthorizerFunctionArn9C8D: parameter(ARN, { 'Fn::GetAtt': ['AuthorizeFunction1A2B', 'Arn'] }),
    });
    expect(publishedValueReplacements([base], [head])).toEqual([]);
  });

  it('follows values built with Fn::Join and Fn::Sub, such as an API URL', () => {
    const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'sm-prod-location' } };
    const url = '/sm/prod/location/api-url';
    const join = {
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: 'ApiF70053CD' },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/prod',
        ],
      ],
    };
    const before = stack({ ApiF70053CD: api, ApiUrlParameter: parameter(url, join) });
    const renamed = stack({
      LocationApi1234: api,
      ApiUrlParameter: parameter(url, {
        'Fn::Sub': 'https://${LocationApi1234}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod',
      }),
    });
    expect(publishedValueReplacements([before], [renamed])).toEqual([
      expect.objectContaining({
        resource: 'ApiF70053CD',
        resourceType: 'AWS::ApiGateway::RestApi',
        why: expect.stringContaining('now comes from LocationApi1234'),
      }),
    ]);
  });
});
