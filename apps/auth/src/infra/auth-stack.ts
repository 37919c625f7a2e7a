import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { apiGatewayModels, openApiDocument, operationExamples, operationManifest } from '@sm/contract-auth';
import { BearerTokenAuthorizer, ContractRestApi, SafeDeployment, ServiceFunction, ServiceMonitoring, ServiceTable, ssmParameterNames, type ServiceLimits, type StageName } from '@sm/infra';
import { authLimits } from '../limits';
import { tokensTable, usersTable } from '../tables';

type AuthFunction = keyof typeof authLimits.functions;

/** Properties of the {@link AuthStack}. */
export interface AuthStackProps extends StackProps {
  /** The deployment stage: in the API stage, every name and every SSM parameter. */
  readonly stage: StageName;
  /**
   * The service's limits.
   * @default authLimits (apps/auth/src/limits.ts)
   */
  readonly limits?: ServiceLimits<AuthFunction>;
  /**
   * Lifetime of an issued token (`TOKEN_TTL_SECONDS`).
   * @default 3600
   */
  readonly tokenTtlSeconds?: number;
  /**
   * Where the function bundles are.
   * @default - `dist/apps/auth` (built by `npx nx run auth:build`)
   */
  readonly bundleDir?: string;
}

/**
 * The auth service: users and token tables, one function per operation plus the TOKEN authorizer
 * (published in SSM for the other services), its REST API from the auth contract, and monitoring.
 */
export class AuthStack extends Stack {
  readonly api: ContractRestApi;
  readonly authorizerFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, { description: 'Auth service: users, tokens and the TOKEN authorizer (serverless-microservices)', ...props });
    const limits = props.limits ?? authLimits;

    const users = new ServiceTable(this, 'Users', { definition: usersTable });
    const tokens = new ServiceTable(this, 'Tokens', { definition: tokensTable });

    // Every auth function parses the whole service config at cold start, so each gets both names.
    const environment = {
      USERS_TABLE_NAME: users.tableName,
      TOKENS_TABLE_NAME: tokens.tableName,
      TOKEN_TTL_SECONDS: String(props.tokenTtlSeconds ?? 3600),
    };
    const fn = (id: string, entry: AuthFunction, description: string, functionName?: string) =>
      new ServiceFunction(this, id, { service: 'auth', entry, description, limits: limits.functions[entry], environment, bundleDir: props.bundleDir, functionName });
    const createUser = fn('CreateUser', 'create-user', 'POST /users: registers a user (scrypt password hash)');
    const createToken = fn('CreateToken', 'create-token', 'POST /tokens: checks a password and issues a bearer token');
    const revokeToken = fn('RevokeToken', 'revoke-token', 'DELETE /tokens/current: revokes the presented token');
    // Its ARN is published and held by every API of the stage (read at their deployment): a fixed
    // name keeps it the same by construction, so their authorizers never point at a replaced function.
    const authorize = fn('Authorize', 'authorize', 'TOKEN authorizer of every secured operation of every service', `sm-${props.stage}-auth-authorize`);
    this.authorizerFunction = authorize;

    // Exactly what each function does: a conditional put, a read plus a put, a conditional delete, a read.
    users.grantWriteData(createUser);
    users.grantReadData(createToken);
    tokens.grantWriteData(createToken);
    tokens.grantWriteData(revokeToken);
    tokens.grantReadData(authorize);

    // API Gateway calls the authorizer's `live` alias, which CodeDeploy shifts like every function's.
    const authorizer = new BearerTokenAuthorizer(this, 'BearerToken', { stage: props.stage, handler: authorize.alias });
    this.api = new ContractRestApi(this, 'Api', {
      contract: { title: openApiDocument.info.title, operationManifest, apiGatewayModels, operationExamples },
      integrations: { createUser, createToken, revokeCurrentToken: revokeToken },
      authorizer: authorizer.authorizer,
      throttle: limits.stage,
      stageName: props.stage,
      restApiName: `sm-${props.stage}-auth`,
    });
    this.api.publishUrl('auth');

    // The alias ARN (`…:function:sm-<stage>-auth-authorize:live`): fixed function name, fixed alias
    // name, so it never changes while CodeDeploy moves the alias between versions.
    new ssm.StringParameter(this, 'AuthorizerFunctionArn', {
      parameterName: ssmParameterNames(props.stage).authorizerFunctionArn,
      stringValue: authorize.alias.functionArn,
      description: 'ARN of the live alias of the auth service TOKEN authorizer; read by the profile and location stacks at deployment',
    });

    const functions = [createUser, createToken, revokeToken, authorize];
    const monitoring = new ServiceMonitoring(this, 'Monitoring', {
      service: 'auth',
      stage: props.stage,
      api: this.api,
      functions,
      tables: [users, tokens],
      headroom: limits.headroom,
    });
    new SafeDeployment(this, 'Deployment', { service: 'auth', stage: props.stage, functions, monitoring, api: this.api, authorizer: authorize });
  }
}
