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
