import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ssmParameterNames } from './parameters';
import type { StageName } from './stages';

/** Where API Gateway reads the token from. */
export const AUTHORIZER_IDENTITY_SOURCE = 'method.request.header.Authorization';
/**
 * A malformed header is refused by API Gateway itself (401) without invoking the authorizer: the
 * token is 32 random bytes, base64url without padding (43 characters).
 */
export const AUTHORIZER_VALIDATION_EXPRESSION = '^Bearer [A-Za-z0-9_-]{43}$';
/** How long API Gateway caches a decision per token; also the longest a revoked token still works. */
export const AUTHORIZER_RESULT_TTL_SECONDS = 30;

/** Properties of a {@link BearerTokenAuthorizer}. */
export interface BearerTokenAuthorizerProps {
  /** The deployment stage: which stage's authorizer the ARN parameter names. */
  readonly stage: StageName;
  /**
   * The authorizer function's `live` alias. The auth service passes its own; other services leave
   * it out. An alias, never the function itself: API Gateway must call what CodeDeploy shifts, not
   * `$LATEST`.
   * @default - the auth service's alias, its ARN (`…:function:sm-<stage>-auth-authorize:live`)
   *   read from the SSM parameter `/sm/<stage>/auth/authorizer-function-arn` at deployment (no
   *   CloudFormation export)
   */
  readonly handler?: lambda.IAlias;
}

/**
 * The TOKEN authorizer that guards every secured operation: the auth service's function, the
 * `Authorization` header, the bearer-token validation expression and a 30-second result cache.
 * API Gateway gets permission to invoke the function from this API only.
 *
 * Construct ids are a contract: `Function` (the imported function), `Authorizer`.
 */
export class BearerTokenAuthorizer extends Construct {
  /** The authorizer to pass to methods (or to {@link ContractRestApiProps.authorizer}). */
  readonly authorizer: apigw.TokenAuthorizer;
  /** The function that decides. */
  readonly handler: lambda.IFunction;

  constructor(scope: Construct, id: string, props: BearerTokenAuthorizerProps) {
    super(scope, id);
    this.handler =
      props.handler ??
      lambda.Function.fromFunctionAttributes(this, 'Function', {
        functionArn: ssm.StringParameter.valueForStringParameter(this, ssmParameterNames(props.stage).authorizerFunctionArn),
        // Same account and region: lets the authorizer add API Gateway's invoke permission to it.
        sameEnvironment: true,
      });
    this.authorizer = new apigw.TokenAuthorizer(this, 'Authorizer', {
      handler: this.handler,
      identitySource: AUTHORIZER_IDENTITY_SOURCE,
      validationRegex: AUTHORIZER_VALIDATION_EXPRESSION,
      resultsCacheTtl: Duration.seconds(AUTHORIZER_RESULT_TTL_SECONDS),
    });
  }
}
