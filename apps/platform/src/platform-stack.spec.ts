import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { nagFindings } from '@sm/infra';
import { PlatformStack } from './platform-stack';

describe('PlatformStack', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new PlatformStack(app, 'SmPlatform', { stage: 'staging' });
  const template = Template.fromStack(stack);

  it('has an alert topic encrypted with a rotated customer key that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('lets CloudWatch alarms use the key, from this account only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('subscribes the email address given at deployment, with a dead-letter queue', () => {
    expect(template.toJSON().Parameters['AlertEmail']).toMatchObject({ Type: 'String', AllowedPattern: expect.any(String) });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: { Ref: 'AlertEmail' },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it('names the topic after the stage, so its ARN is fixed by construction', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'sm-staging-alerts' });
  });

  it('publishes the topic ARN in SSM for the service stacks', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/sm/staging/platform/alert-topic-arn', Value: { Ref: Match.stringLikeRegexp('^AlertTopic') } });
  });

  it('sets the account’s API Gateway CloudWatch role through ApiGatewayAccountSetting (see api-gateway-account.spec.ts)', () => {
    template.resourceCountIs('Custom::ApiGatewayAccountCloudWatchRole', 1);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('passes cdk-nag with only the acknowledged findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});
