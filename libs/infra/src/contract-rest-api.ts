import { CfnOutput, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ApiWebAcl, type RateWindowSeconds } from './api-web-acl';
import type { ContractOperation, RestApiContract } from './contract';
import { InfraConfigError } from './errors';
import { GATEWAY_PROBLEMS, GATEWAY_RESPONSE_TYPES, PROBLEM_CONTENT_TYPE, SECURITY_HEADERS, problemTemplate, staticValue } from './gateway-responses';
import type { StageThrottle } from './limits';
import { apiUrlParameterName, type ServiceName } from './parameters';
import { ServiceFunction } from './service-function';
import type { StageName } from './stages';

/** Properties of a {@link ContractRestApi}. */
export interface ContractRestApiProps<OperationId extends string> {
  /** The service's contract package (`@sm/contract-<svc>`): its operation manifest and API Gateway models. */
  readonly contract: RestApiContract<OperationId>;
  /**
   * What serves each operation of the contract (AWS_PROXY integration): a {@link ServiceFunction},
   * integrated through its `live` alias, or an alias or version. Never `$LATEST`: the types leave
   * no way to integrate an unqualified function.
   */
  readonly integrations: { readonly [Op in OperationId]: ServiceFunction | lambda.IAlias | lambda.IVersion };
  /**
   * The authorizer of every secured operation (see {@link BearerTokenAuthorizer}).
   * @default - none; then the contract must not have secured operations
   */
  readonly authorizer?: apigw.IAuthorizer;
  /** Stage throttling, from the service's limits: every method gets its own bucket with these limits. */
  readonly throttle: StageThrottle;
  /** The API stage: the deployment stage's name (`staging`, `prod`), the last part of the base URL. */
  readonly stageName: StageName;
  /**
   * Name of the REST API in the console.
   * @default - the construct's unique id
   */
  readonly restApiName?: string;
  /**
   * @default - the contract's title
   */
  readonly description?: string;
  /**
   * Per-IP rate limits AWS WAF applies to some operations (sign-in, registration), beside the
   * managed rule groups every API's web ACL has ({@link ApiWebAcl}).
   * @default - none
   */
  readonly perIpRateLimits?: readonly {
    readonly name: string;
    readonly operations: readonly OperationId[];
    readonly limit: number;
    readonly windowSeconds: RateWindowSeconds;
  }[];
  /**
   * Retention of the stage's JSON access logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
}

/** The request validator checks the body against its model and that required parameters are present. */
const VALIDATOR_ID = 'RequestValidator';

/**
 * A REST API (v1) built from a service's contract: a resource and a method for every operation,
 * each with an AWS_PROXY integration to its function; the request model and validator for every
 * request body and required parameter; the TOKEN authorizer on every secured operation; gateway
 * responses that render every API Gateway error as `application/problem+json`; one stage named
 * after the deployment stage (`staging`, `prod`) with JSON access logs, X-Ray tracing, ERROR
 * execution logging and per-method throttling.
 *
 * It uses the account's API Gateway CloudWatch role (owned by the platform stack) instead of
 * creating one.
 *
 * Construct ids are a contract: `Api`, `AccessLogs`, models by model name, gateway responses by
 * type. Resources and methods are named by their path, as CDK does.
 */
export class ContractRestApi<OperationId extends string = string> extends Construct {
  readonly api: apigw.RestApi;
  /** The method of each operation. */
  readonly methods: { readonly [Op in OperationId]: apigw.Method };
  /** By resource path: the `ANY` method answering 405 for every method the contract does not declare there. */
  readonly methodNotAllowed: { readonly [path: string]: apigw.Method };
  /** The stage's JSON access logs. */
  readonly accessLogs: logs.LogGroup;
  /** The stage's AWS WAF web ACL. */
  readonly webAcl: ApiWebAcl;
  /** Base URL of the stage without trailing slash: `https://<id>.execute-api.<region>.<suffix>/<stage>`. */
  readonly url: string;
  /** The API stage's name (= the deployment stage's). */
  readonly stageName: StageName;
  /** The contract the API was built from. */
  readonly contract: RestApiContract<OperationId>;
  private readonly servedBy = new Map<ServiceFunction, ContractOperation[]>();

  constructor(scope: Construct, id: string, props: ContractRestApiProps<OperationId>) {
    super(scope, id);
    const { contract } = props;
    const operations = Object.values<ContractOperation>(contract.operationManifest);
    this.validate(props, operations);
    this.stageName = props.stageName;
    this.contract = contract;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      // Kept if the stack goes or the group is replaced (an audit trail of requests), but removed
      // when the stack's first create fails: no debris to clean before a retry.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: props.restApiName,
      description: props.description ?? contract.title,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // The platform stack owns the account-wide API Gateway CloudWatch role (CfnAccount).
      cloudWatchRole: false,
      disableExecuteApiEndpoint: false,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const models = new Map<string, apigw.Model>();
    for (const [name, model] of Object.entries(contract.apiGatewayModels.models)) {
      models.set(
        name,
        new apigw.Model(this, `Model${name}`, {
          restApi: this.api,
          modelName: name,
          contentType: model.contentType,
          // Draft-4 JSON Schema as generated; passed through unchanged.
          schema: model.schema as apigw.JsonSchema,
        }),
      );
    }

    let validator: apigw.RequestValidator | undefined;
    const requestValidator = () =>
      (validator ??= new apigw.RequestValidator(this, VALIDATOR_ID, {
        restApi: this.api,
        validateRequestBody: true,
        validateRequestParameters: true,
      }));

    const methods: Partial<Record<string, apigw.Method>> = {};
    for (const operation of operations) {
      // validate() proved the requirements and the body model exist.
      const requestParameters = contract.apiGatewayModels.operations[operation.operationId]?.requiredParameters ?? {};
      const body = operation.requestBody;
      const validates = body !== null || Object.values(requestParameters).some(Boolean);
      const target: ServiceFunction | lambda.IAlias | lambda.IVersion = props.integrations[operation.operationId as OperationId];
      // A service function is invoked through its `live` alias, which CodeDeploy moves between versions.
      const fn = target instanceof ServiceFunction ? target.alias : target;
      if (target instanceof ServiceFunction) this.servedBy.set(target, [...(this.servedBy.get(target) ?? []), operation]);
      methods[operation.operationId] = this.api.root.resourceForPath(operation.path).addMethod(
        operation.method,
        new apigw.LambdaIntegration(fn, { proxy: true, allowTestInvoke: false }),
        {
          operationName: operation.operationId,
          authorizationType: operation.secured ? apigw.AuthorizationType.CUSTOM : apigw.AuthorizationType.NONE,
          authorizer: operation.secured ? props.authorizer : undefined,
          requestModels: body ? { [body.contentType]: models.get(body.model) as apigw.Model } : undefined,
          requestParameters: Object.keys(requestParameters).length > 0 ? { ...requestParameters } : undefined,
          requestValidator: validates ? requestValidator() : undefined,
        },
      );
    }
    this.methods = methods as { [Op in OperationId]: apigw.Method };
    this.methodNotAllowed = this.addMethodNotAllowed(operations);

    this.webAcl = new ApiWebAcl(this, 'WebAcl', {
      stage: this.api.deploymentStage,
      name: props.restApiName ?? `${Stack.of(this).stackName}-${id}`,
      perIpRateLimits: (props.perIpRateLimits ?? []).map((limit) => ({
        ...limit,
        operations: limit.operations.map((operationId) => contract.operationManifest[operationId] as ContractOperation),
      })),
    });

    for (const type of GATEWAY_RESPONSE_TYPES) {
      const problem = GATEWAY_PROBLEMS[type];
      this.api.addGatewayResponse(pascalCase(type), {
        type: apigw.ResponseType.of(type),
        statusCode: problem.status === undefined ? undefined : String(problem.status),
        responseHeaders: {
          'Content-Type': staticValue(PROBLEM_CONTENT_TYPE),
          ...Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([name, value]) => [name, staticValue(value)])),
          ...(problem.status === 401 ? { 'WWW-Authenticate': "'Bearer'" } : {}),
          ...(problem.status === 429 || problem.status === 503 ? { 'Retry-After': "'1'" } : {}),
        },
        templates: { 'application/json': problemTemplate(problem) },
      });
    }

    const stack = Stack.of(this);
    this.url = Fn.join('', ['https://', this.api.restApiId, '.execute-api.', stack.region, '.', stack.urlSuffix, '/', props.stageName]);

    this.acknowledgeNagFindings(operations);
  }

  /** The operations of the contract a service function serves (none for the authorizer). */
  operationsServedBy(fn: ServiceFunction): readonly ContractOperation[] {
    return this.servedBy.get(fn) ?? [];
  }

  /**
   * Publishes the base URL for whoever calls this API: the stack output `ApiUrl` and the SSM
   * parameter `/sm/<stage>/<service>/api-url` (construct ids `ApiUrl` and `ApiUrlParameter` at
   * stack level, so the output key is exactly `ApiUrl`). Load tests, fuzzing and other services
   * find a deployed stage's APIs through either.
   */
  publishUrl(service: ServiceName): void {
    const stack = Stack.of(this);
    new CfnOutput(stack, 'ApiUrl', { value: this.url, description: `Base URL of the ${service} API, stage path included, no trailing slash` });
    new ssm.StringParameter(stack, 'ApiUrlParameter', {
      parameterName: apiUrlParameterName(this.stageName, service),
      stringValue: this.url,
      description: `Base URL of the ${service} API in stage ${this.stageName} (stage path included, no trailing slash)`,
    });
  }

  /**
   * One `ANY` method per resource of the contract, answering every method the contract does not
   * declare there with 405 and `Allow` (RFC 9110 §15.5.6), from API Gateway itself: a mock
   * integration, no function runs, no authorizer (a 405 reveals nothing the contract does not).
   * API Gateway prefers a resource's explicit methods to `ANY`, so declared methods are untouched.
   * Without it API Gateway answers an undeclared method as if the path did not exist (403 "Missing
   * Authentication Token"). The mock has no request template: API Gateway then answers with the
   * default integration response whatever the body or its media type (AWS's "Mock integrations").
   */
  private addMethodNotAllowed(operations: ContractOperation[]): { [path: string]: apigw.Method } {
    const declared = new Map<string, string[]>();
    for (const operation of operations) declared.set(operation.path, [...(declared.get(operation.path) ?? []), operation.method.toUpperCase()]);
    const added: { [path: string]: apigw.Method } = {};
    for (const [path, methods] of declared) {
      const allow = methods.sort().join(', ');
      const headers: Record<string, string> = {
        Allow: allow,
        'Content-Type': PROBLEM_CONTENT_TYPE,
        ...SECURITY_HEADERS,
      };
      const method = this.api.root.resourceForPath(path).addMethod(
        'ANY',
        new apigw.MockIntegration({
          passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_MATCH,
          integrationResponses: [
            {
              statusCode: '405',
              responseParameters: Object.fromEntries(Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, staticValue(value)])),
              // Integration response templates are Velocity: $context is substituted here as in the gateway responses.
              responseTemplates: { 'application/json': methodNotAllowedTemplate(allow) },
            },
          ],
        }),
        {
          operationName: `methodNotAllowed${pascalCase(path.replace(/[^A-Za-z0-9]+/g, '_')) || 'Root'}`,
          authorizationType: apigw.AuthorizationType.NONE,
          methodResponses: [
            {
              statusCode: '405',
              responseParameters: Object.fromEntries(Object.keys(headers).map((name) => [`method.response.header.${name}`, true])),
            },
          ],
        },
      );
      added[path] = method;
    }
    return added;
  }

  private validate(props: ContractRestApiProps<OperationId>, operations: ContractOperation[]): void {
    const where = this.node.path;
    const { models, operations: requirements } = props.contract.apiGatewayModels;
    if (operations.length === 0) throw new InfraConfigError(`${where}: the contract has no operations`);
    const known = new Set(operations.map((op) => op.operationId));
    for (const name of Object.keys(props.integrations)) {
      if (!known.has(name)) {
        throw new InfraConfigError(`${where}: integrations has '${name}', which is not an operation of the contract (${[...known].join(', ')})`);
      }
    }
    for (const op of operations) {
      const label = `${where}: operation ${op.operationId} (${op.method} ${op.path})`;
      if (!props.integrations[op.operationId as OperationId]) throw new InfraConfigError(`${label} has no function in props.integrations`);
      if (op.secured && !props.authorizer) {
        throw new InfraConfigError(`${label} is secured by the contract but no authorizer was given; pass props.authorizer (a BearerTokenAuthorizer)`);
      }
      const requirement = requirements[op.operationId];
      if (!requirement) throw new InfraConfigError(`${label} is missing from apiGatewayModels.operations; regenerate the contract (npx nx run-many -t generate)`);
      for (const parameter of Object.keys(requirement.requiredParameters)) {
        if (!/^method\.request\.(path|querystring|header)\.[^.]+$/.test(parameter)) {
          throw new InfraConfigError(`${label}: '${parameter}' is not an API Gateway request parameter (method.request.path|querystring|header.<name>)`);
        }
      }
      if (op.requestBody) {
        if (!op.requestBody.required) {
          throw new InfraConfigError(`${label}: an optional request body cannot be validated by API Gateway (it validates the body whenever a model is set); make it required in the contract`);
        }
        if (!models[op.requestBody.model]) {
          throw new InfraConfigError(`${label}: its body model '${op.requestBody.model}' is not in apiGatewayModels.models (${Object.keys(models).join(', ') || 'none'})`);
        }
        if (requirement.requestModel !== undefined && requirement.requestModel !== op.requestBody.model) {
          throw new InfraConfigError(`${label}: the manifest's body model '${op.requestBody.model}' differs from apiGatewayModels' '${requirement.requestModel}'; regenerate the contract`);
        }
      }
    }
    for (const name of Object.keys(models)) {
      if (!/^[A-Za-z0-9]+$/.test(name)) throw new InfraConfigError(`${where}: model name '${name}' must be alphanumeric (API Gateway's rule)`);
    }
  }

  private acknowledgeNagFindings(operations: ContractOperation[]): void {
    for (const [path, method] of Object.entries(this.methodNotAllowed)) {
      const reason = `The ANY method of ${path} only answers 405 with Allow for the methods the contract does not declare there: a mock integration, no function and no data behind it; it is throttled like every method of the stage.`;
      Validations.of(method.node.defaultChild as Construct).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
    }
    for (const operation of operations) {
      const method = this.methods[operation.operationId as OperationId].node.defaultChild as Construct;
      if (!operation.secured) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${operation.operationId} is public by contract (security: []) — it is how a client registers or obtains a token; it is throttled per method and its body is validated against the contract model before the function runs.`,
        });
      }
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: operation.secured
          ? `${operation.operationId} is guarded by the auth service's TOKEN authorizer (opaque bearer tokens stored as SHA-256 hashes, expiring, revocable): the design issues its own tokens instead of a Cognito user pool.`
          : `${operation.operationId} is public by contract (registration or sign-in); there is no caller identity to check, Cognito or otherwise; throttling and body validation apply.`,
      });
    }
  }
}

/**
 * The 405 problem, as an integration response template (Velocity: `$context` variables substituted;
 * `$context.path` and `$context.requestId` are URL-safe, as in the gateway responses).
 */
function methodNotAllowedTemplate(allow: string): string {
  return [
    '{',
    '"type":"urn:problem-type:method-not-allowed",',
    '"title":"Method Not Allowed",',
    '"status":405,',
    `"detail":${JSON.stringify(`This resource does not support the method; it allows ${allow}.`)},`,
    '"instance":"$context.path",',
    '"requestId":"$context.requestId"',
    '}',
  ].join('');
}

/** The stage's access log line: one JSON object per request, values as API Gateway substitutes them. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  errorType: '$context.error.responseType',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatency: '$context.authorizer.latency',
  principalId: '$context.authorizer.principalId',
  xrayTraceId: '$context.xrayTraceId',
};

function pascalCase(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
