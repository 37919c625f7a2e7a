import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { testApp } from './__fixtures__/notes-stack';
import { notesContract } from './__fixtures__/notes-contract';
import { ApiWebAcl, MANAGED_RULE_GROUPS, WAF_THROTTLED_PROBLEM, type PerIpRateLimit } from './api-web-acl';
import type { ContractOperation } from './contract';

const createNote = notesContract.operationManifest.createNote as ContractOperation;
const getNote = notesContract.operationManifest.getNote as ContractOperation;

function synth(perIpRateLimits: PerIpRateLimit[]) {
  const stack = new Stack(testApp(), 'Waf');
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
  api.root.addMethod('GET', new apigw.MockIntegration());
  const acl = new ApiWebAcl(stack, 'WebAcl', { stage: api.deploymentStage, name: 'sm-prod-notes', perIpRateLimits });
  return { stack, acl, template: Template.fromStack(stack) };
}

describe('ApiWebAcl', () => {
  const { template } = synth([{ name: 'CreatePerIp', operations: [createNote], limit: 20, windowSeconds: 60 }]);
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL')) as [{ Properties: Record<string, any> }];

  it('is a regional web ACL associated with the API stage, allowing by default', () => {
    expect(acl.Properties).toMatchObject({ Name: 'sm-prod-notes', Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const [association] = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation')) as [{ Properties: Record<string, any> }];
    const stageId = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0]!;
    expect(JSON.stringify(association.Properties['ResourceArn'])).toContain(`{"Ref":"${stageId}"}`);
    const aclId = Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0]!;
    expect(association.Properties['WebACLArn']).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('counts, per source IP, only the named operations: their method and path, with or without a trailing slash', () => {
    const [rule] = acl.Properties['Rules'] as Record<string, any>[];
    const match = (field: string, constraint: string, value: string) => ({
      ByteMatchStatement: { FieldToMatch: { [field]: {} }, PositionalConstraint: constraint, SearchString: value, TextTransformations: [{ Priority: 0, Type: 'NONE' }] },
    });
    expect(rule).toMatchObject({
      Name: 'CreatePerIp',
      Priority: 0,
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: 20,
          EvaluationWindowSec: 60,
          ScopeDownStatement: {
            AndStatement: { Statements: [match('Method', 'EXACTLY', 'POST'), { OrStatement: { Statements: [match('UriPath', 'ENDS_WITH', '/notes'), match('UriPath', 'ENDS_WITH', '/notes/')] } }] },
          },
        },
      },
    });
  });

  it('answers a limited client 429 with the contract’s problem, Retry-After (the window), no-store and nosniff', () => {
    const [rule] = acl.Properties['Rules'] as Record<string, any>[];
    const response = rule!['Action']['Block']['CustomResponse'];
    expect(response).toEqual({
      ResponseCode: 429,
      CustomResponseBodyKey: 'PerIpThrottled',
      ResponseHeaders: [
        { Name: 'Retry-After', Value: '60' },
        { Name: 'Cache-Control', Value: 'no-store' },
        { Name: 'X-Content-Type-Options', Value: 'nosniff' },
      ],
    });
    expect(acl.Properties['CustomResponseBodies']).toEqual({ PerIpThrottled: { ContentType: 'APPLICATION_JSON', Content: JSON.stringify(WAF_THROTTLED_PROBLEM) } });
  });

  it('runs the managed rule groups after the rate rules', () => {
    const rules = acl.Properties['Rules'] as Record<string, any>[];
    expect(rules.slice(1).map((r) => [r['Priority'], r['Statement']['ManagedRuleGroupStatement'], r['OverrideAction']])).toEqual(
      MANAGED_RULE_GROUPS.map((name, index) => [index + 1, { VendorName: 'AWS', Name: name }, { None: {} }]),
    );
  });

  it.each([
    ['a templated path', { name: 'Get', operations: [getNote], limit: 20, windowSeconds: 60 }, /templated path/],
    ['a limit under WAF’s minimum', { name: 'Create', operations: [createNote], limit: 5, windowSeconds: 60 }, /at least 10/],
    ['no operation', { name: 'None', operations: [], limit: 20, windowSeconds: 60 }, /at least one operation/],
    ['a name WAF refuses', { name: 'per ip!', operations: [createNote], limit: 20, windowSeconds: 60 }, /letters, digits/],
  ] as const)('fails the synth on %s', (_label, limit, message) => {
    expect(() => synth([limit as unknown as PerIpRateLimit])).toThrow(message);
  });
});
