/**
 * SSM parameters through which stacks share values without CloudFormation exports: a consumer
 * reads them as a template parameter (`AWS::SSM::Parameter::Value<String>`), resolved at each of
 * its own deployments, so the producer can change and redeploy without being blocked by an export.
 * The names are a contract between stacks, the local runtime and the pipeline.
 */
export const SsmParameterNames = {
  /** ARN of the auth service's TOKEN authorizer function (published by SmAuth). */
  authorizerFunctionArn: '/sm/auth/authorizer-function-arn',
  /** Base URL of the location API, stage included, no trailing slash (published by SmLocation). */
  locationApiUrl: '/sm/location/api-url',
  /** ARN of the alert SNS topic every alarm notifies (published by SmPlatform). */
  alertTopicArn: '/sm/platform/alert-topic-arn',
  /** Commit of the last successful pipeline deployment (written by the pipeline's build). */
  lastDeployedCommit: '/sm/pipeline/last-deployed-commit',
} as const;

/** The API stage every service deploys; part of each API's URL. */
export const STAGE_NAME = 'prod';
