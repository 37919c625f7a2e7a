import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Tags, type Environment } from 'aws-cdk-lib';
import { addNagChecks, workspaceRoot } from '@sm/infra';
import { PipelineStack, type PipelineSourceKind } from './pipeline-stack';
import { PlatformStack } from './platform-stack';
import { AuthStack, LocationStack, ProfileStack, type AuthStackProps, type LocationStackProps, type ProfileStackProps } from './services';

/** Stack names: part of every command and of the pipeline's deploy targets. */
export const StackNames = {
  platform: 'SmPlatform',
  auth: 'SmAuth',
  profile: 'SmProfile',
  location: 'SmLocation',
  pipeline: 'SmPipeline',
} as const;

/** Options of {@link createApp}; everything defaults to what `cdk synth` uses. */
export interface SmAppOptions {
  /** Where to synthesize. @default - the CDK CLI's choice (cdk.json `output`), else a temp dir */
  readonly outdir?: string;
  /** Context values; the root cdk.json's context is always loaded first. @default - none */
  readonly context?: Record<string, unknown>;
  /** Overrides for the service stacks (limits, bundle directories) in tests. @default - none */
  readonly auth?: AuthStackProps;
  readonly profile?: ProfileStackProps;
  readonly location?: LocationStackProps;
}

/** The context of the root cdk.json: feature flags and settings, so in-process synth equals `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(workspaceRoot(), 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * The whole system as one CDK app: platform, the three services, the pipeline; every stack
 * checked by cdk-nag's AwsSolutions and Serverless packs at synthesis.
 *
 * Account and region come from the CLI's environment (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`,
 * i.e. the credentials `cdk deploy` runs with) or the `account`/`region` context; without either
 * the stacks are environment-agnostic, which is what synth needs offline.
 *
 * Stack dependencies only order `cdk deploy --all`: the stacks share values through SSM
 * parameters, never CloudFormation exports, so each service still deploys on its own.
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
  const account = process.env['CDK_DEFAULT_ACCOUNT'] ?? context('account');
  const region = process.env['CDK_DEFAULT_REGION'] ?? context('region');
  const env: Environment | undefined = account || region ? { account, region } : undefined;
  const source = (context('pipelineSource') ?? 'connection') as PipelineSourceKind;
  if (source !== 'connection' && source !== 'codecommit') {
    throw new Error(`context pipelineSource must be 'connection' or 'codecommit', got '${String(source)}'`);
  }

  const platform = new PlatformStack(app, StackNames.platform, { env });
  const auth = new AuthStack(app, StackNames.auth, { env, ...options.auth });
  const location = new LocationStack(app, StackNames.location, { env, ...options.location });
  const profile = new ProfileStack(app, StackNames.profile, { env, ...options.profile });
  const pipeline = new PipelineStack(app, StackNames.pipeline, { env, source, manualApproval: context('pipelineApproval') === 'true' });
  auth.addStackDependency(platform, 'alarms notify the alert topic published by the platform');
  location.addStackDependency(auth, 'the API is guarded by the authorizer whose ARN auth publishes');
  profile.addStackDependency(location, 'get-profile reads the location API URL that location publishes');

  // Cost allocation and ownership: every resource says which system and which stack it belongs to.
  Tags.of(app).add('sm:system', 'serverless-microservices');
  for (const stack of [platform, auth, location, profile, pipeline]) Tags.of(stack).add('sm:stack', stack.stackName);

  addNagChecks(app);
  return { app, stacks: { platform, auth, location, profile, pipeline } };
}
