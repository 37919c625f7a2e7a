import type { StageName } from './stages';

/** A service of the system that publishes an API (`auth`, `location`, `profile`). */
export type ServiceName = 'auth' | 'location' | 'profile';

/**
 * SSM parameters through which stacks share values without CloudFormation exports: a consumer
 * reads them as a template parameter (`AWS::SSM::Parameter::Value<String>`, resolved at each of
 * its own deployments) or at run time, so the producer can change and redeploy without being
 * blocked by an export. Every name carries the stage (`/sm/<stage>/…`), so two stages can share an
 * account and region without overwriting each other. The names are a contract between stacks, the
 * local runtime, the load tests and the pipeline.
 */
export function ssmParameterNames(stage: StageName) {
  return {
    /** ARN of the auth service's TOKEN authorizer function (published by SmAuth). */
    authorizerFunctionArn: `/sm/${stage}/auth/authorizer-function-arn`,
    /** Base URL of the location API, stage included, no trailing slash (published by SmLocation). */
    locationApiUrl: apiUrlParameterName(stage, 'location'),
    /** ARN of the alert SNS topic every alarm notifies (published by SmPlatform). */
    alertTopicArn: `/sm/${stage}/platform/alert-topic-arn`,
  } as const;
}

/**
 * Base URL of a service's API in a stage, stage path included, no trailing slash
 * (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`): what load tests, fuzzing and other
 * services call. Published by every service stack.
 */
export function apiUrlParameterName(stage: StageName, service: ServiceName): string {
  return `/sm/${stage}/${service}/api-url`;
}

/** Commit of the last successful pipeline deployment to a stage (written by the pipeline's build). */
export function lastDeployedCommitParameterName(stage: StageName): string {
  return `/sm/pipeline/${stage}/last-deployed-commit`;
}

/** Who publishes a value in SSM: a service stack or the platform stack of the same stage. */
export type Publisher = ServiceName | 'platform';

/** One value a stack publishes in SSM for others, and who reads it how. */
export interface PublishedParameter {
  /** The SSM parameter's name in the stage. */
  readonly name: string;
  readonly publisher: Publisher;
  /**
   * Services whose stacks read it at deployment (a CloudFormation parameter of type
   * `AWS::SSM::Parameter::Value<String>`): when its value changes, they must be deployed again.
   */
  readonly readAtDeploy: readonly ServiceName[];
  /** Services whose functions read it at run time (cached with a TTL): they follow a change alone. */
  readonly readAtRunTime: readonly ServiceName[];
  /** What else reads it (for people): load tests, fuzzing, the tour. */
  readonly alsoReadBy?: string;
}

/**
 * The one declaration of every value shared through SSM in a stage, and its consumers. The
 * platform tests prove it against the synthesized templates (each stack's SSM template parameters
 * and each function's `ssm:GetParameter` grants), so it cannot drift; the pipeline reads it to
 * deploy the consumers of a value that changed ({@link servicesToRedeploy}).
 */
export function publishedParameters(stage: StageName): readonly PublishedParameter[] {
  const names = ssmParameterNames(stage);
  const external = 'load tests, fuzzing and the tour against a deployed stage';
  return [
    {
      name: names.alertTopicArn,
      publisher: 'platform',
      readAtDeploy: ['auth', 'location', 'profile'],
      readAtRunTime: [],
    },
    {
      name: names.authorizerFunctionArn,
      publisher: 'auth',
      readAtDeploy: ['location', 'profile'],
      readAtRunTime: [],
    },
    {
      name: apiUrlParameterName(stage, 'auth'),
      publisher: 'auth',
      readAtDeploy: [],
      readAtRunTime: [],
      alsoReadBy: external,
    },
    {
      name: names.locationApiUrl,
      publisher: 'location',
      readAtDeploy: [],
      readAtRunTime: ['profile'],
      alsoReadBy: external,
    },
    {
      name: apiUrlParameterName(stage, 'profile'),
      publisher: 'profile',
      readAtDeploy: [],
      readAtRunTime: [],
      alsoReadBy: external,
    },
  ];
}

/**
 * The services to deploy again after the values of these parameters changed (names as in
 * {@link publishedParameters}): every service that read one of them at its own deployment, in
 * deployment order (auth, location, profile). Unknown names are an error, not an empty answer.
 */
export function servicesToRedeploy(
  stage: StageName,
  changedNames: readonly string[],
): ServiceName[] {
  const published = publishedParameters(stage);
  const unknown = changedNames.filter((name) => !published.some((p) => p.name === name));
  if (unknown.length > 0)
    throw new Error(`not a published parameter of stage ${stage}: ${unknown.join(', ')}`);
  const services = new Set(
    published.filter((p) => changedNames.includes(p.name)).flatMap((p) => p.readAtDeploy),
  );
  return (['auth', 'location', 'profile'] as const).filter((service) => services.has(service));
}
