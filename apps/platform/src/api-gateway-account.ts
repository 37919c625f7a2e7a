import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of {@link ApiGatewayAccountSetting}. */
export interface ApiGatewayAccountSettingProps {
  /**
   * Waits between attempts while a new role propagates in IAM (API Gateway refuses a role it
   * cannot assume yet). @default about two minutes in all: 2, 4, 8, 15, 30, 30, 30 s
   */
  readonly retryDelays?: readonly Duration[];
}

/**
 * API Gateway's CloudWatch role for the account and region: the role (AmazonAPIGatewayPushToCloudWatchLogs)
 * and a custom resource that sets it as the account's one setting, instead of `AWS::ApiGateway::Account`,
 * because that setting is a singleton shared by every REST API in the account and region:
 * - it is set only when unset or when this resource set it (an update that replaces our own role);
 *   a role someone else set makes the deployment fail with a message saying how to adopt it;
 * - it is retried while the new role's trust policy propagates (API Gateway answers "The role ARN
 *   does not have required permissions" for a few seconds after the role is created);
 * - on delete the setting is left as it is and the role is retained with it, since other APIs may
 *   log through it; a failed first create removes both (RetainExceptOnCreate).
 *
 * Construct ids are a contract: `Role`, `Handler`, `HandlerRole`, `HandlerLogs`, `Setting`.
 */
export class ApiGatewayAccountSetting extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountSettingProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description:
        'Lets API Gateway write execution and access logs of every REST API in this account and region',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
        ),
      ],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    Validations.of(this.role.node.defaultChild as Construct).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy documented for the API Gateway account role; the role can only be assumed by apigateway.amazonaws.com and only writes CloudWatch Logs.',
    });

    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, without managed policies: it may write its log group, and what is granted below.
    const handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of the API Gateway account setting custom resource',
    });
    logGroup.grantWrite(handlerRole);
    const handler = new lambda.Function(this, 'Handler', {
      description:
        'Sets API Gateway’s CloudWatch role for the account and region, once, with retries (custom resource)',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        readFileSync(join(__dirname, 'api-gateway-account-handler.js'), 'utf8'),
      ),
      timeout: Duration.minutes(4),
      memorySize: 256,
      logGroup,
      role: handlerRole,
    });
    const accountArn = stack.formatArn({
      service: 'apigateway',
      account: '',
      resource: '/account',
    });
    handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['apigateway:GET', 'apigateway:PATCH'],
        resources: [accountArn],
      }),
    );
    this.role.grantPassRole(handler.grantPrincipal);

    const setting = new CustomResource(this, 'Setting', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::ApiGatewayAccountCloudWatchRole',
      properties: {
        CloudWatchRoleArn: this.role.roleArn,
        ...(props.retryDelays
          ? { RetryDelaysMs: props.retryDelays.map((d) => String(d.toMilliseconds())) }
          : {}),
      },
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    setting.node.addDependency(this.role);

    const reason = {
      runtime:
        'Node.js 22 like every function of the system (one runtime to test and patch); the handler uses only the SDK the runtime ships.',
      deployTime:
        'A deploy-time custom resource called synchronously by CloudFormation a few times per stack lifetime: failures go back to CloudFormation (the deployment fails and says why); no traffic to trace, no asynchronous event to dead-letter, no concurrency to reserve.',
    };
    Validations.of(handler.node.defaultChild as Construct).acknowledge(
      { id: 'AwsSolutions-L1', reason: reason.runtime },
      { id: 'Serverless-LambdaLatestVersion', reason: reason.runtime },
      { id: 'Serverless-LambdaDLQ', reason: reason.deployTime },
      { id: 'Serverless-LambdaTracing', reason: reason.deployTime },
    );
  }
}
