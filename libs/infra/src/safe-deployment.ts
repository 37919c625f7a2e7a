import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Duration, IgnoreMode, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  authorizerSmokeRequest,
  operationSmokeRequest,
  SMOKE_HOOK_BUNDLE_DIR,
  SMOKE_HOOK_BUNDLE_FILE,
  SMOKE_HOOK_ENVIRONMENT,
  SmokeRequestError,
  type SmokeRequest,
} from '@sm/deploy-hooks';
import type { ContractRestApi } from './contract-rest-api';
import { InfraConfigError } from './errors';
import { pascalCase } from './names';
import type { ServiceFunction } from './service-function';
import type { ServiceMonitoring } from './service-monitoring';
import {
  stageContext,
  stageNamed,
  type DeploymentPreference,
  type StageName,
  type TrafficShift,
} from './stages';
import { workspaceRoot } from './workspace';

/** CodeDeploy's configuration for each traffic shift a stage can choose. */
export const DEPLOYMENT_CONFIGS: {
  readonly [S in TrafficShift]: codedeploy.ILambdaDeploymentConfig;
} = {
  AllAtOnce: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
  Canary10Percent5Minutes: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  Canary10Percent10Minutes: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  Canary10Percent15Minutes: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  Canary10Percent30Minutes: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  Linear10PercentEvery1Minute: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  Linear10PercentEvery2Minutes: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  Linear10PercentEvery3Minutes: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  Linear10PercentEvery10Minutes: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
};

/** Lambda's limit on a function's environment variables, all together (names and values). */
const ENVIRONMENT_LIMIT_BYTES = 4096;

/** Properties of a {@link SafeDeployment}. */
export interface SafeDeploymentProps {
  /** The service (`location`): in the CodeDeploy application and deployment group names. */
  readonly service: string;
  /** The deployment stage: its preference (libs/infra `STAGES`) and every name. */
  readonly stage: StageName;
  /** Every function of the service; each gets a deployment group on its `live` alias. */
  readonly functions: readonly ServiceFunction[];
  /** The service's alarms: a function's own alarms and its API's 5XX alarm roll its deployment back. */
  readonly monitoring: ServiceMonitoring;
  /** The service's API: which operations each function serves, and the contract's examples for them. */
  readonly api: ContractRestApi;
  /**
   * The TOKEN authorizer, if it is one of `functions`: its smoke request is a token nobody was
   * issued, which it must refuse.
   * @default - none
   */
  readonly authorizer?: ServiceFunction;
  /**
   * How traffic shifts and whether smoke hooks run.
   * @default - the stage's `deployment` in libs/infra `STAGES`
   */
  readonly preference?: DeploymentPreference;
  /**
   * Directory holding the hook bundle `smoke-hook.js`.
   * @default - `dist/libs/deploy-hooks` under the workspace root (`npx nx run deploy-hooks:build`)
   */
  readonly hookBundleDir?: string;
}

/**
 * Safe deployments for a service's functions: each function's `live` alias is moved to the new
 * version by a CodeDeploy deployment group, with the stage's traffic shift (canary, linear or all
 * at once), which CodeDeploy stops and rolls back — the alias back on the old version, and with it
 * the CloudFormation update — when any of the function's alarms or its API's 5XX alarm goes to
 * ALARM before the shift completes. Optional smoke hooks invoke the new version directly before it
 * takes any traffic and again once it has all of it.
 *
 * Break glass: with context `stages.<stage>.ignoreDeploymentAlarms=true` deployments go ahead
 * while an alarm is in ALARM (CodeDeploy otherwise refuses to start one, which would also block a
 * fix); the shift and the hooks still apply.
 *
 * Construct ids are a contract: `Application`, `Role`, `<Entry>Group`, `<Entry>SmokeHook`.
 */
export class SafeDeployment extends Construct {
  readonly application: codedeploy.LambdaApplication;
  /** The role CodeDeploy deploys with: exactly the aliases, alarms and hooks of this service. */
  readonly role: iam.Role;
  /** The deployment group of each function, by bundle name (`get-location`). */
  readonly groups: { readonly [entry: string]: codedeploy.LambdaDeploymentGroup };
  /** The smoke hook function of each function, by bundle name, when the preference has hooks. */
  readonly smokeHooks: { readonly [entry: string]: lambda.Function };
  readonly preference: DeploymentPreference;

  constructor(scope: Construct, id: string, props: SafeDeploymentProps) {
    super(scope, id);
    const { service, stage } = props;
    if (props.functions.length === 0)
      throw new InfraConfigError(`${this.node.path}: give the service's functions`);
    this.preference = props.preference ?? stageNamed(stage).deployment;
    const ignoreAlarms = parseFlag(this, stage, 'ignoreDeploymentAlarms');
    const prefix = `sm-${stage}-${service}`;

    this.application = new codedeploy.LambdaApplication(this, 'Application', {
      applicationName: prefix,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
      description: `CodeDeploy shifting the live aliases of ${prefix}`,
    });
    // CDK would attach AWSCodeDeployRoleForLambdaLimited to a role it can change: that policy allows
    // every alias and alarm of the account, and S3 objects a CloudFormation deployment never reads
    // (its AppSpec travels inline). The groups get the role read-only; it holds exactly what follows.
    const groupRole = this.role.withoutPolicyUpdates();

    const hookDir = props.hookBundleDir ?? join(workspaceRoot(), SMOKE_HOOK_BUNDLE_DIR);
    const groups: Record<string, codedeploy.LambdaDeploymentGroup> = {};
    const hooks: Record<string, lambda.Function> = {};
    for (const fn of props.functions) {
      const key = pascalCase(fn.entry);
      const alarms = props.monitoring.rollbackAlarms(fn);
      const hook = this.preference.smokeHooks
        ? this.smokeHook(key, fn, this.smokeRequests(fn, props), hookDir)
        : undefined;
      const group = new codedeploy.LambdaDeploymentGroup(this, `${key}Group`, {
        application: this.application,
        deploymentGroupName: `${prefix}-${fn.entry}`,
        alias: fn.alias,
        deploymentConfig: DEPLOYMENT_CONFIGS[this.preference.trafficShift],
        alarms,
        ignoreAlarmConfiguration: ignoreAlarms,
        // Back to the old version when the shift fails, is stopped, or an alarm fires during it.
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
        role: groupRole,
        preHook: hook,
        postHook: hook,
      });
      groups[fn.entry] = group;
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: `Shift${key}`,
          actions: [
            'lambda:GetAlias',
            'lambda:UpdateAlias',
            'lambda:GetProvisionedConcurrencyConfig',
          ],
          resources: [fn.function.functionArn, fn.alias.functionArn],
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: `Watch${key}`,
          actions: ['cloudwatch:DescribeAlarms'],
          resources: alarms.map((alarm) => alarm.alarmArn),
        }),
      );
      if (hook) {
        hooks[fn.entry] = hook;
        this.role.addToPolicy(
          new iam.PolicyStatement({
            sid: `Hook${key}`,
            actions: ['lambda:InvokeFunction'],
            resources: [hook.functionArn],
          }),
        );
      }
    }
    this.groups = groups;
    this.smokeHooks = hooks;
  }

  /** The smoke requests of one function: its operations' examples, or the authorizer's refusal. */
  private smokeRequests(fn: ServiceFunction, props: SafeDeploymentProps): SmokeRequest[] {
    const where = `${this.node.path}: smoke requests of ${fn.entry}`;
    if (fn === props.authorizer) return [authorizerSmokeRequest()];
    const operations = props.api.operationsServedBy(fn);
    if (operations.length === 0) {
      throw new InfraConfigError(
        `${where}: the function serves no operation of the API and is not the authorizer; there is nothing to smoke-test it with`,
      );
    }
    const { operationExamples, apiGatewayModels } = props.api.contract;
    try {
      return operations.map((operation) => {
        const example = operationExamples?.[operation.operationId];
        if (!example)
          throw new SmokeRequestError(
            `the contract has no operationExamples for ${operation.operationId}; pass the generated operationExamples with the contract`,
          );
        const model = operation.requestBody
          ? apiGatewayModels.models[operation.requestBody.model]
          : undefined;
        const required = (model?.schema as { required?: unknown } | undefined)?.required;
        return operationSmokeRequest(
          { ...operation, responses: operation.responses ?? {} },
          example,
          Array.isArray(required)
            ? required.filter((name): name is string => typeof name === 'string')
            : [],
        );
      });
    } catch (error) {
      if (error instanceof SmokeRequestError)
        throw new InfraConfigError(`${where}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /**
   * The hook function of one function: the deploy-hooks bundle, the new version's ARN and the smoke
   * requests in its environment, allowed to invoke that version and nothing else. CodeDeploy runs
   * it before traffic moves and after it has moved; CDK lets it report to this deployment group.
   */
  private smokeHook(
    key: string,
    fn: ServiceFunction,
    requests: SmokeRequest[],
    hookDir: string,
  ): lambda.Function {
    const bundle = join(hookDir, SMOKE_HOOK_BUNDLE_FILE);
    if (!existsSync(bundle)) {
      throw new InfraConfigError(
        `${this.node.path}: the smoke hook bundle ${relative(workspaceRoot(), bundle) || bundle} does not exist. Build it first: npx nx run deploy-hooks:build`,
      );
    }
    const environment = {
      [SMOKE_HOOK_ENVIRONMENT.target]: fn.version.functionArn,
      [SMOKE_HOOK_ENVIRONMENT.requests]: JSON.stringify(requests),
    };
    // The ARN is a token until deployment; a version ARN is at most ~140 characters.
    const size =
      SMOKE_HOOK_ENVIRONMENT.requests.length +
      environment[SMOKE_HOOK_ENVIRONMENT.requests]!.length +
      SMOKE_HOOK_ENVIRONMENT.target.length +
      140;
    if (size > ENVIRONMENT_LIMIT_BYTES) {
      throw new InfraConfigError(
        `${this.node.path}: the smoke requests of ${fn.entry} take ${size} bytes of environment, over Lambda's ${ENVIRONMENT_LIMIT_BYTES}; shorten the contract's examples`,
      );
    }
    const scope = new Construct(this, `${key}SmokeHook`);
    const logGroup = new logs.LogGroup(scope, 'LogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Smoke hook of ${fn.service} ${fn.entry}: invokes its new version, reports to CodeDeploy`,
    });
    logGroup.grantWrite(role);
    const hook = new lambda.Function(scope, 'Function', {
      description: `Deployment smoke test of ${fn.service} ${fn.entry}: invokes the new version before and after it takes traffic`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: `${SMOKE_HOOK_BUNDLE_FILE.replace(/\.js$/, '')}.handler`,
      code: lambda.Code.fromAsset(hookDir, {
        exclude: ['*', `!${SMOKE_HOOK_BUNDLE_FILE}`, `!${SMOKE_HOOK_BUNDLE_FILE}.map`],
        ignoreMode: IgnoreMode.GLOB,
      }),
      memorySize: 256,
      // Every request may meet a cold start (10 s INIT at most) and run to the function's timeout.
      timeout: Duration.seconds(
        Math.min(900, 15 + requests.length * (fn.limits.timeoutSeconds + 10)),
      ),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: { ...environment, NODE_OPTIONS: '--enable-source-maps' },
    });
    fn.version.grantInvoke(role);
    this.acknowledgeHookFindings(hook, role);
    return hook;
  }

  private acknowledgeHookFindings(hook: lambda.Function, role: iam.Role): void {
    const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by active tracing) use "*": X-Ray has no resource-level permissions for them. The hook may invoke one version and report to one deployment group.',
      });
    }
    const runtimeReason =
      'Node.js 22 is pinned with the services (the bundles target node22, the local runtime runs Node 22); moving to 24 is one reviewed change for all functions.';
    Validations.of(hook.node.defaultChild as Construct).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'CodeDeploy invokes the hook asynchronously and waits for its PutLifecycleEventHookExecutionStatus: a hook that fails to report fails the deployment after its timeout, which is the safe outcome; an event in a queue would help no one.',
      },
    );
  }
}

/** A boolean context flag of a stage (`true`/`false`), false when absent. */
function parseFlag(scope: Construct, stage: StageName, key: string): boolean {
  const value = stageContext(scope, stage, key);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InfraConfigError(
    `context stages.${stage}.${key} must be true or false, got '${value}'`,
  );
}
