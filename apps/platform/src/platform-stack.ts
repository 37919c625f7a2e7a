import { CfnParameter, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { InfraConfigError, ssmParameterNames, type StageName } from '@sm/infra';
import { ApiGatewayAccountSetting } from './api-gateway-account';

export interface PlatformStackProps extends StackProps {
  /** The deployment stage: in the alert topic's name and the SSM parameter that publishes it. */
  readonly stage: StageName;
  /**
   * An API Gateway CloudWatch role the account and region already use (context
   * `stages.<name>.apiGatewayCloudWatchRoleArn`): this stack then creates no role and leaves the
   * account setting alone. For a second stage in the same account and region, or an organisation
   * that sets it in its account baseline.
   * @default - this stack creates the role and sets it where the account has none
   */
  readonly apiGatewayCloudWatchRoleArn?: string;
}

/**
 * What the services of one stage share, deployed before them (see the README):
 * - the alert topic every alarm notifies (KMS-encrypted, TLS-only, an email subscription whose
 *   undeliverable messages land in a dead-letter queue), its ARN published in SSM;
 * - the account-wide CloudWatch role API Gateway needs to write execution and access logs
 *   (one per account and region, which is why the service APIs do not create it), set without
 *   overwriting anyone else's, or adopted.
 *
 * Construct ids are a contract: `AlertEmail`, `AlertTopicKey`, `AlertTopic`, `AlertDeadLetters`,
 * `AlertTopicArn`, `ApiGatewayAccount`.
 */
export class PlatformStack extends Stack {
  readonly alertTopic: sns.Topic;
  /** The role API Gateway writes logs with in this account and region: ours or the adopted one. */
  readonly apiGatewayCloudWatchRoleArn: string;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { description: 'Shared platform: alert topic and the API Gateway account logging role (serverless-microservices)', ...props });

    const email = new CfnParameter(this, 'AlertEmail', {
      type: 'String',
      description: 'Email address that receives the alarms of every service (confirm the subscription email once)',
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be an email address',
    });

    // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key.
    const key = new kms.Key(this, 'AlertTopicKey', {
      description: 'Encrypts the alert topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.alertTopic = new sns.Topic(this, 'AlertTopic', {
      // A fixed name keeps the ARN every alarm was deployed with valid by construction: a change
      // that would replace the topic fails instead of silently orphaning the services' alarm actions.
      topicName: `sm-${props.stage}-alerts`,
      displayName: `Serverless microservices alerts (${props.stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces the default one: allow the
    // account's CloudWatch alarms to publish explicitly.
    this.alertTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alertTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    const deadLetters = new sqs.Queue(this, 'AlertDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.alertTopic.addSubscription(new subscriptions.EmailSubscription(email.valueAsString, { deadLetterQueue: deadLetters }));
    const dlqReason =
      'This queue is itself the dead-letter queue of the alert email subscription: alerts SNS could not deliver are kept 14 days for inspection; a queue behind it would only move the problem.';
    Validations.of(deadLetters.node.defaultChild as Construct).acknowledge({ id: 'AwsSolutions-SQS3', reason: dlqReason }, { id: 'Serverless-SQSRedrivePolicy', reason: dlqReason });

    new ssm.StringParameter(this, 'AlertTopicArn', {
      parameterName: ssmParameterNames(props.stage).alertTopicArn,
      stringValue: this.alertTopic.topicArn,
      description: 'ARN of the alert topic; every service stack reads it at deployment for its alarm actions',
    });

    // API Gateway's CloudWatch role is one setting per account and region: adopt the one that is
    // there, or set ours only where none is (see ApiGatewayAccountSetting).
    if (props.apiGatewayCloudWatchRoleArn) {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(props.apiGatewayCloudWatchRoleArn)) {
        throw new InfraConfigError(`${id}: apiGatewayCloudWatchRoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '${props.apiGatewayCloudWatchRoleArn}'`);
      }
      this.apiGatewayCloudWatchRoleArn = props.apiGatewayCloudWatchRoleArn;
    } else {
      this.apiGatewayCloudWatchRoleArn = new ApiGatewayAccountSetting(this, 'ApiGatewayAccount').role.roleArn;
    }
  }
}
