import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stage, Tags, type Environment } from 'aws-cdk-lib';
import { addNagChecks, STAGES, stageContext, stageEnvironment, stageLimitsProfile, workspaceRoot, type StageName } from '@sm/infra';
import { limitsFor, LIMITS_PROFILE_METADATA, type SystemLimits } from './limits';
import { PipelineStack, type PipelineSourceKind } from './pipeline-stack';
import { PlatformStack } from './platform-stack';
import { AuthStack, LocationStack, ProfileStack, type AuthStackProps, type LocationStackProps, type ProfileStackProps } from './services';

/**
 * Stack ids: inside each stage (`Prod/SmAuth`, stack name `Prod-SmAuth`), and the pipeline's at
 * the top. Part of every command, of the deploy targets and of the pipeline.
 */
export const StackIds = {
  platform: 'SmPlatform',
  auth: 'SmAuth',
  profile: 'SmProfile',
  location: 'SmLocation',
  pipeline: 'SmPipeline',
} as const;

/** `Prod-SmAuth`: the CloudFormation stack name CDK gives a stack inside a stage. */
export function stackNameIn(stage: StageName, stackId: string): string {
  return `${STAGES.find((s) => s.name === stage)?.id ?? stage}-${stackId}`;
}

/** Options of {@link createApp}; everything defaults to what `cdk synth` uses. */
export interface SmAppOptions {
  /** Where to synthesize. @default - the CDK CLI's choice (cdk.json `output`), else a temp dir */
  readonly outdir?: string;
  /** Context values; the root cdk.json's context is always loaded first. @default - none */
  readonly context?: Record<string, unknown>;
  /** Overrides for the service stacks of every stage (limits, bundle directories) in tests. @default - none */
  readonly auth?: Partial<AuthStackProps>;
  readonly profile?: Partial<ProfileStackProps>;
  readonly location?: Partial<LocationStackProps>;
}

/** The stacks of one deployment stage. */
export interface StageStacks {
  readonly stage: Stage;
  readonly platform: PlatformStack;
  readonly auth: AuthStack;
  readonly location: LocationStack;
  readonly profile: ProfileStack;
  /** The limits the stage's service stacks were built with (profile and overrides applied). */
  readonly limits: SystemLimits;
}

/** The context of the root cdk.json: feature flags and settings, so in-process synth equals `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(workspaceRoot(), 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * The whole system as one CDK app: per deployment stage (libs/infra `STAGES`) a CDK `Stage`
 * (`Staging`, `Prod`) with the platform and the three service stacks, and the pipeline stack at
 * the top; every stack checked by cdk-nag's AwsSolutions and Serverless packs at synthesis.
 *
 * Each stage takes its account and region from context (`stages.<name>.account|region`); without
 * them its stacks are environment-agnostic, which is what synth needs offline. Its limits are the
 * services' own unless the stage chooses a profile (`stages.<name>.limitsProfile`) or overrides
 * them in `STAGES`.
 *
 * Stack dependencies only order `cdk deploy --all` within a stage: the stacks share values through
 * SSM parameters, never CloudFormation exports, so each service still deploys on its own.
 */
export function createApp(options: SmAppOptions = {}) {
  const app = new App({
    outdir: options.outdir,
    context: { ...cdkJsonContext(), ...options.context },
    // CDK's built-in schema validation takes ~10 s of a ~15 s synth here and only warns; cfn-lint
    // (`npm run lint:cfn`, pinned, fails on errors) checks the same templates more thoroughly.
    builtinCloudFormationValidation: false,
  });
  const context = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const source = (context('pipelineSource') ?? 'connection') as PipelineSourceKind;
  if (source !== 'connection' && source !== 'codecommit') {
    throw new Error(`context pipelineSource must be 'connection' or 'codecommit', got '${String(source)}'`);
  }

  // Cost allocation and ownership: every resource says which system, stage and stack it belongs to.
  Tags.of(app).add('sm:system', 'serverless-microservices');

  const stages = {} as Record<StageName, StageStacks>;
  for (const { name, id } of STAGES) {
    const stage = new Stage(app, id, { env: stageEnvironment(app, name) });
    const limitsProfile = stageLimitsProfile(app, name);
    const limits = limitsFor(name, limitsProfile);
    const platform = new PlatformStack(stage, StackIds.platform, { stage: name, apiGatewayCloudWatchRoleArn: stageContext(app, name, 'apiGatewayCloudWatchRoleArn') });
    const auth = new AuthStack(stage, StackIds.auth, { stage: name, limits: limits.auth, ...options.auth });
    const location = new LocationStack(stage, StackIds.location, { stage: name, limits: limits.location, ...options.location });
    const profile = new ProfileStack(stage, StackIds.profile, { stage: name, limits: limits.profile, ...options.profile });
    auth.addStackDependency(platform, 'alarms notify the alert topic published by the platform');
    location.addStackDependency(auth, 'the API is guarded by the authorizer whose ARN auth publishes');
    profile.addStackDependency(location, 'get-profile calls the location API that location publishes');
    Tags.of(stage).add('sm:stage', name);
    for (const stack of [platform, auth, location, profile]) Tags.of(stack).add('sm:stack', stack.stackName);
    // The templates say which limits they were built with, so the capacity check and the preflight
    // read them from cdk.out instead of guessing the context synth ran with.
    for (const stack of [auth, location, profile]) stack.templateOptions.metadata = { ...stack.templateOptions.metadata, [LIMITS_PROFILE_METADATA]: limitsProfile };
    stages[name] = { stage, platform, auth, location, profile, limits };
  }

  // The pipeline deploys the stages; it lives in its own (tooling) account and region.
  const account = process.env['CDK_DEFAULT_ACCOUNT'] ?? context('account');
  const region = process.env['CDK_DEFAULT_REGION'] ?? context('region');
  const pipelineEnv: Environment | undefined = account || region ? { account, region } : undefined;
  const target = (name: StageName) => ({ name, ...stageEnvironment(app, name) });
  const pipeline = new PipelineStack(app, StackIds.pipeline, {
    env: pipelineEnv,
    source,
    staging: target('staging'),
    prod: target('prod'),
    manualApproval: context('pipelineApproval') === 'true',
  });
  Tags.of(pipeline).add('sm:stack', pipeline.stackName);
  // Registered on the app, the packs also check every stage's nested assembly.
  addNagChecks(app);
  return { app, stages, pipeline };
}
