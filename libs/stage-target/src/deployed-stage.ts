import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { apiUrlParameterName, stageNamed, type ServiceName } from '@sm/infra';
import { normalizeBaseUrl } from './base-url';
import { StageTargetError } from './errors';
import type { ServiceUrls } from './target-choice';

/** The CfnOutput every service stack has: its API's base URL, stage path included. */
export const API_URL_OUTPUT = 'ApiUrl';

/** One service stack of the stage, as the stage's templates in cdk.out name it. */
export interface StageStack {
  service: string;
  /** The CloudFormation stack name, e.g. `Staging-SmAuth`. */
  stackName: string;
  /** The stack's region when its template fixes one; else `ResolveStageOptions.region` or the SDK's. */
  region?: string;
}

export interface ResolveStageOptions {
  /** The deployment stage, e.g. `staging` (in the SSM parameter names, `@sm/infra`'s `apiUrlParameterName`). */
  stage: string;
  stacks: readonly StageStack[];
  /** Overrides every stack's region. @default each stack's, else the AWS SDK's (`AWS_REGION`, profile) */
  region?: string;
  /**
   * The AWS clients for a region. @default real SDK clients with the caller's credentials (the SDK's
   * default chain) and endpoints (`AWS_ENDPOINT_URL_CLOUDFORMATION` / `AWS_ENDPOINT_URL_SSM` honoured)
   */
  clients?: AwsClients;
}

export interface AwsClients {
  cloudFormation(region: string | undefined): CloudFormationClient;
  ssm(region: string | undefined): SSMClient;
}

export interface ResolvedStage {
  apis: ServiceUrls;
  /** Service → where its URL came from, for the tool's log. */
  sources: ReadonlyMap<string, string>;
}

/** Bounded calls: a tool waiting on an unreachable endpoint should fail in seconds, not hang. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 15_000 };

export const defaultAwsClients: AwsClients = {
  cloudFormation: (region) => new CloudFormationClient({ region, requestHandler: REQUEST_HANDLER }),
  ssm: (region) => new SSMClient({ region, requestHandler: REQUEST_HANDLER }),
};

/**
 * Finds a deployed stage's base URL per service, as `cdk deploy` created them: the `ApiUrl` output of
 * each service stack (`DescribeStacks`), and where a stack has none or cannot be read, the service's
 * SSM parameter. Every service must be found; the error says, per service, what was tried and why it
 * failed. Nothing is guessed from a naming pattern.
 */
export async function resolveDeployedStage(options: ResolveStageOptions): Promise<ResolvedStage> {
  const clients = options.clients ?? defaultAwsClients;
  const regionOf = (stack: StageStack) => options.region ?? stack.region;
  const cloudFormation = memo((region: string | undefined) => clients.cloudFormation(region));
  const ssm = memo((region: string | undefined) => clients.ssm(region));
  const apis = new Map<string, string>();
  const sources = new Map<string, string>();
  const failures = new Map<string, string[]>();
  const fail = (service: string, why: string) =>
    failures.set(service, [...(failures.get(service) ?? []), why]);

  await Promise.all(
    options.stacks.map(async (stack) => {
      const where = `CloudFormation output ${API_URL_OUTPUT} of ${stack.stackName}${inRegion(regionOf(stack))}`;
      try {
        const found = await cloudFormation(regionOf(stack)).send(
          new DescribeStacksCommand({ StackName: stack.stackName }),
        );
        const output = found.Stacks?.[0]?.Outputs?.find(
          (candidate) => candidate.OutputKey === API_URL_OUTPUT,
        )?.OutputValue;
        if (output === undefined) {
          fail(stack.service, `${where}: the stack has no such output`);
          return;
        }
        apis.set(stack.service, normalizeBaseUrl(output, where));
        sources.set(stack.service, where);
      } catch (error) {
        if (error instanceof StageTargetError) throw error;
        fail(stack.service, `${where}: ${describeAwsError(error)}`);
      }
    }),
  );

  const unresolved = options.stacks.filter((stack) => !apis.has(stack.service));
  const byRegion = groupBy(unresolved, regionOf);
  await Promise.all(
    [...byRegion].map(async ([region, stacks]) => {
      const stage = stageNamed(options.stage).name;
      const names = new Map(
        stacks.map((stack) => [
          apiUrlParameterName(stage, stack.service as ServiceName),
          stack.service,
        ]),
      );
      try {
        const found = await ssm(region).send(
          new GetParametersCommand({ Names: [...names.keys()] }),
        );
        for (const parameter of found.Parameters ?? []) {
          const service = parameter.Name === undefined ? undefined : names.get(parameter.Name);
          if (service === undefined || parameter.Value === undefined) continue;
          const where = `SSM parameter ${parameter.Name}${inRegion(region)}`;
          apis.set(service, normalizeBaseUrl(parameter.Value, where));
          sources.set(service, where);
        }
        for (const name of found.InvalidParameters ?? [])
          fail(names.get(name) ?? name, `SSM parameter ${name}${inRegion(region)}: not found`);
      } catch (error) {
        if (error instanceof StageTargetError) throw error;
        for (const [name, service] of names)
          fail(service, `SSM parameter ${name}${inRegion(region)}: ${describeAwsError(error)}`);
      }
    }),
  );

  const missing = options.stacks.filter((stack) => !apis.has(stack.service));
  if (missing.length > 0) {
    const lines = missing.flatMap((stack) => [
      `  ${stack.service}:`,
      ...(failures.get(stack.service) ?? ['not found']).map((why) => `    ${why}`),
    ]);
    throw new StageTargetError(
      `Cannot find the base URL of every API of stage ${options.stage}:\n${lines.join('\n')}\n` +
        `Deploy the stage first, check the AWS credentials and region (--region), or pass the URLs with --api <service>=<url>.`,
    );
  }
  return { apis, sources };
}

/** An AWS SDK error in one line: its name and message, with a hint where the cause is the caller's setup. */
function describeAwsError(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  if (name === 'CredentialsProviderError')
    return `no AWS credentials (${message}); set them as for the AWS CLI (environment, profile, SSO)`;
  if (message === 'Region is missing') return 'no AWS region: pass --region or set AWS_REGION';
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
}

const inRegion = (region: string | undefined) => (region ? ` in ${region}` : '');

function memo<T>(create: (region: string | undefined) => T): (region: string | undefined) => T {
  const made = new Map<string | undefined, T>();
  return (region) => {
    if (!made.has(region)) made.set(region, create(region));
    return made.get(region)!;
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
