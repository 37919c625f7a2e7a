import { Match, Template } from 'aws-cdk-lib/assertions';
import { App } from 'aws-cdk-lib';
import { nagFindings } from '@sm/infra';
import { startAwsStandIn, type AwsStandIn } from './deploy/__fixtures__/aws-stand-in';
import { PlatformStack } from './platform-stack';

const ROLE = 'arn:aws:iam::123456789012:role/Prod-SmPlatform-ApiGatewayAccountRole-1A2B3C';
const FOREIGN = 'arn:aws:iam::123456789012:role/org-baseline-apigateway-logs';

type Handler = (
  event: Record<string, unknown>,
  context: unknown,
) => Promise<{ Status: string; Reason: string; Data: Record<string, string> }>;

describe('the API Gateway account setting (a singleton per account and region)', () => {
  describe('in the template', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const template = Template.fromStack(new PlatformStack(app, 'SmPlatform', { stage: 'prod' }));

    it('sets the role through the custom resource, never through AWS::ApiGateway::Account', () => {
      expect(
        template.toJSON().Resources[
          Object.keys(template.findResources('AWS::Lambda::Function'))[0]!
        ].Properties.Code.ZipFile,
      ).toContain('PROPAGATING');
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
      template.hasResourceProperties('Custom::ApiGatewayAccountCloudWatchRole', {
        ServiceToken: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^ApiGatewayAccountHandler'), 'Arn'],
        },
        CloudWatchRoleArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^ApiGatewayAccountRole'), 'Arn'],
        },
      });
    });

    it('keeps role and setting on update and delete, but not after a failed first create', () => {
      template.hasResource('AWS::IAM::Role', {
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          AssumeRolePolicyDocument: Match.objectLike({
            Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
          }),
        }),
      });
      template.hasResource('Custom::ApiGatewayAccountCloudWatchRole', {
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('lets the handler read and change only the account setting and pass only that role', () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (p) => p['Properties'].PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
      );
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: ['apigateway:GET', 'apigateway:PATCH'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':apigateway:',
                  { Ref: 'AWS::Region' },
                  '::/account',
                ],
              ],
            },
          }),
          expect.objectContaining({
            Action: 'iam:PassRole',
            Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ApiGatewayAccountRole/), 'Arn'] },
          }),
        ]),
      );
      expect(nagFindings(app)).toEqual([]);
    });

    it('adopts a role given by context: no role, no setting', () => {
      const adopted = Template.fromStack(
        new PlatformStack(new App({ builtinCloudFormationValidation: false }), 'SmPlatform', {
          stage: 'staging',
          apiGatewayCloudWatchRoleArn: FOREIGN,
        }),
      );
      adopted.resourceCountIs('Custom::ApiGatewayAccountCloudWatchRole', 0);
      adopted.resourceCountIs('AWS::IAM::Role', 0);
      expect(
        () =>
          new PlatformStack(new App({ builtinCloudFormationValidation: false }), 'Bad', {
            stage: 'prod',
            apiGatewayCloudWatchRoleArn: 'logs-role',
          }),
      ).toThrow(
        "apiGatewayCloudWatchRoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got 'logs-role'",
      );
    });
  });

  describe('the handler, run against a stand-in for API Gateway and CloudFormation’s response URL', () => {
    let standIn: AwsStandIn;
    const saved = { ...process.env };
    const run = async (
      account: Parameters<typeof startAwsStandIn>[0],
      event: Record<string, unknown>,
    ) => {
      standIn = await startAwsStandIn(account);
      Object.assign(process.env, standIn.environment());
      let handler!: Handler;
      jest.isolateModules(() => {
        handler = (require('./api-gateway-account-handler.js') as { handler: Handler }).handler;
      });
      const base = {
        StackId: 'stack',
        RequestId: 'req-1',
        LogicalResourceId: 'Setting',
        ResponseURL: `${standIn.endpoint}/cfn-response/req-1`,
      };
      return handler({ ...base, ...event }, {});
    };
    afterEach(async () => {
      process.env = { ...saved };
      await standIn.close();
    });
    const create = {
      RequestType: 'Create',
      ResourceProperties: { CloudWatchRoleArn: ROLE, RetryDelaysMs: ['10', '10', '10'] },
    };

    it('sets the role where none is, retrying while IAM propagates, and answers CloudFormation', async () => {
      const result = await run(
        { accountId: '123456789012', concurrency: 1000, functions: [], propagationFailures: 2 },
        create,
      );
      expect(result).toMatchObject({
        Status: 'SUCCESS',
        Data: { CloudWatchRoleArn: ROLE, Changed: 'true', Attempts: '3' },
      });
      expect(standIn.apiGatewayAccount.cloudWatchRoleArn).toBe(ROLE);
      expect(standIn.requests.filter((r) => r === 'PATCH /account')).toHaveLength(3);
      expect(standIn.cfnResponses).toEqual([
        expect.objectContaining({
          Status: 'SUCCESS',
          RequestId: 'req-1',
          PhysicalResourceId: 'apigateway-account-eu-west-1',
        }),
      ]);
    });

    it('gives up after its retries and fails the deployment with API Gateway’s reason', async () => {
      const result = await run(
        { accountId: '123456789012', concurrency: 1000, functions: [], propagationFailures: 10 },
        create,
      );
      expect(result.Status).toBe('FAILED');
      expect(result.Reason).toContain('The role ARN does not have required permissions');
      expect(standIn.requests.filter((r) => r === 'PATCH /account')).toHaveLength(4);
      expect(standIn.cfnResponses[0]).toMatchObject({ Status: 'FAILED' });
    });

    it('refuses to replace a role it did not set, saying how to adopt it', async () => {
      const result = await run(
        {
          accountId: '123456789012',
          concurrency: 1000,
          functions: [],
          apiGateway: { rateLimit: 10_000, burstLimit: 5_000, cloudWatchRoleArn: FOREIGN },
        },
        create,
      );
      expect(result.Status).toBe('FAILED');
      expect(result.Reason).toContain(
        `already writes its logs through ${FOREIGN}, which this stack did not set`,
      );
      expect(result.Reason).toContain(
        `context stages.<stage>.apiGatewayCloudWatchRoleArn=${FOREIGN}`,
      );
      expect(standIn.apiGatewayAccount.cloudWatchRoleArn).toBe(FOREIGN);
      expect(standIn.requests).not.toContain('PATCH /account');
    });

    it('replaces its own previous role on update, and leaves the setting alone on delete', async () => {
      const next = 'arn:aws:iam::123456789012:role/Prod-SmPlatform-ApiGatewayAccountRole-9Z8Y7X';
      const updated = await run(
        {
          accountId: '123456789012',
          concurrency: 1000,
          functions: [],
          apiGateway: { rateLimit: 10_000, burstLimit: 5_000, cloudWatchRoleArn: ROLE },
        },
        {
          RequestType: 'Update',
          PhysicalResourceId: 'apigateway-account-eu-west-1',
          ResourceProperties: { CloudWatchRoleArn: next },
          OldResourceProperties: { CloudWatchRoleArn: ROLE },
        },
      );
      expect(updated).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
      expect(standIn.apiGatewayAccount.cloudWatchRoleArn).toBe(next);
      await standIn.close();
      const deleted = await run(
        {
          accountId: '123456789012',
          concurrency: 1000,
          functions: [],
          apiGateway: { rateLimit: 10_000, burstLimit: 5_000, cloudWatchRoleArn: next },
        },
        {
          RequestType: 'Delete',
          PhysicalResourceId: 'apigateway-account-eu-west-1',
          ResourceProperties: { CloudWatchRoleArn: next },
        },
      );
      expect(deleted.Status).toBe('SUCCESS');
      expect(standIn.requests.filter((r) => r.includes('/account'))).toEqual([]);
      expect(standIn.cfnResponses).toEqual([
        expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: 'apigateway-account-eu-west-1',
        }),
      ]);
    });
  });
});
