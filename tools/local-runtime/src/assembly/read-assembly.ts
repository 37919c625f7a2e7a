import { isAbsolute, join } from 'node:path';
import type { TableSpec } from '../dynamodb';
import type { FunctionSpec } from '../lambda/types';
import type { ParameterSpec } from '../ssm/types';
import type { ApiModel, AuthorizerModel, GatewayResponseModel, IntegrationModel, MethodFlags, MethodModel, ThrottleSettings } from './api-model';
import { readCloudAssembly, type StackArtifact } from './cloud-assembly';
import { AssemblyError } from './errors';
import { IntrinsicResolver, type LocalEnvironment, type Location } from './intrinsics';
import { readMonitoring, type MonitoringModel } from './read-monitoring';
import { readVersions, type LambdaVersions } from './read-versions';
import { selectStage } from './stage-assembly';

/** Everything the runtime starts from, read from one cloud assembly. */
export interface LocalSystem {
  functions: FunctionSpec[];
  tables: TableSpec[];
  apis: ApiModel[];
  /**
   * Functions that cannot run here (inline code, a non-Node runtime, …) and that no API uses, such
   * as CDK's deploy-time custom-resource handlers. One an API uses is a startup error instead.
   */
  skipped: { id: string; reason: string }[];
  /** Alarms, metric filters, dashboards and SNS topics: what CloudWatch would run. */
  monitoring: MonitoringModel;
  /** The deployment stage run (`prod`), or `undefined` for an assembly without stages. */
  stage: string | undefined;
  /** Every `AWS::SSM::Parameter`, its value resolved as deployed (API URLs local): what the SSM stand-in serves. */
  parameters: ParameterSpec[];
  /** Published versions, aliases (what integrations and authorizers call) and the CodeDeploy groups that move them. */
  lambdaVersions: LambdaVersions;
}

export interface ReadAssemblyOptions extends Omit<LocalEnvironment, 'accountId' | 'region'> {
  /** @default '123456789012' */
  accountId?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** Added to every function's environment (e.g. `AWS_ENDPOINT_URL_DYNAMODB`). */
  extraEnvironment?: Record<string, string>;
  /** The stage to run when the assembly has stages (see {@link selectStage}). @default 'prod' */
  stage?: string;
  /** See {@link LocalEnvironment.versionBase}. @default 0 */
  versionBase?: number;
}

/** API Gateway's own cap on an integration's duration. */
export const INTEGRATION_TIMEOUT_MS = 29_000;
/** API Gateway's default account-level throttle per region: 10,000 requests/s, burst 5,000. */
export const ACCOUNT_LIMIT = { rateLimit: 10_000, burstLimit: 5_000 } as const;
const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]+:[^:]+:function:([^:/]+)(?::([^:/]+))?$/;
const INVOCATION_URI = /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/**
 * Reads a synthesized cloud assembly into the functions, tables and APIs to run, every CloudFormation
 * intrinsic resolved to a local value. Nothing about the system is described anywhere else.
 */
export function readAssembly(assemblyDir: string, options: ReadAssemblyOptions): LocalSystem {
  const selected = selectStage(assemblyDir, options.stage);
  const stacks = readCloudAssembly(selected.assemblyDir);
  const resolver = new IntrinsicResolver(stacks, {
    accountId: options.accountId ?? '123456789012',
    region: options.region ?? 'us-east-1',
    origin: options.origin,
    partition: options.partition,
    urlSuffix: options.urlSuffix,
    versionBase: options.versionBase,
  });
  // API ids and stages first: every URL that names them resolves to the local origin.
  resolver.registerApiUrls(
    eachResource(stacks, 'AWS::ApiGateway::RestApi').map(({ stack, logicalId }) => ({
      apiId: resolver.physicalId(stack, logicalId),
      stageName: stageOf(resolver, stack, logicalId)?.stageName ?? 'prod',
    })),
  );

  const functions: FunctionSpec[] = [];
  const unrunnable = new Map<string, { id: string; error: AssemblyError }>();
  for (const { stack, logicalId, properties } of eachResource(stacks, 'AWS::Lambda::Function')) {
    const id = `${stack.stackName}/${logicalId}`;
    let name = id;
    try {
      name = resolver.physicalId(stack, logicalId);
      functions.push(readFunction(resolver, stack, logicalId, properties, options.extraEnvironment ?? {}));
    } catch (error) {
      if (!(error instanceof AssemblyError)) throw error;
      unrunnable.set(name, { id, error });
    }
  }
  const functionIdsByName = new Map(functions.map((fn) => [fn.functionName, fn.id]));
  const lambdaVersions = readVersions(resolver, stacks, functionIdsByName);
  for (const fn of functions) {
    // The version its alias points to runs as the function (in this assembly the published version
    // and $LATEST hold the same code), named the way callers name it: `…:function:<name>:live`.
    const aliases = lambdaVersions.aliases.filter((alias) => alias.functionId === fn.id);
    const published = lambdaVersions.versions.filter((version) => version.functionId === fn.id);
    fn.version = aliases[0]?.version ?? published[published.length - 1]?.version;
    if (aliases.length === 1) fn.invokedQualifier = aliases[0]!.name;
  }
  const tables = eachResource(stacks, 'AWS::DynamoDB::Table').map(({ stack, logicalId, properties }) =>
    readTable(resolver, stack, logicalId, properties),
  );
  const apis = eachResource(stacks, 'AWS::ApiGateway::RestApi').map(({ stack, logicalId, properties }) =>
    readApi(resolver, stack, logicalId, properties, functionIdsByName, unrunnable),
  );
  const skipped = [...unrunnable.values()].map(({ id, error }) => ({ id, reason: error.message }));
  const parameters = eachResource(stacks, 'AWS::SSM::Parameter').map(({ stack, logicalId, properties }) => readParameter(resolver, stack, logicalId, properties));
  return { functions, tables, apis, skipped, stage: selected.stage, parameters, monitoring: readMonitoring(resolver, stacks), lambdaVersions };
}

/** A function as an ARN names it. */
interface FunctionTarget {
  functionId: string;
  qualifier?: string;
}

interface ResourceRef {
  stack: StackArtifact;
  logicalId: string;
  properties: Record<string, unknown>;
}

function eachResource(stacks: StackArtifact[], type: string): ResourceRef[] {
  return stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {})
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({ stack, logicalId, properties: resource.Properties ?? {} })),
  );
}

function readFunction(
  resolver: IntrinsicResolver,
  stack: StackArtifact,
  logicalId: string,
  props: Record<string, unknown>,
  extraEnvironment: Record<string, string>,
): FunctionSpec {
  const at = (property: string): Location => ({ stack, resource: logicalId, property });
  const runtime = resolver.resolveString(props['Runtime'] ?? 'nodejs22.x', at('Runtime'));
  if (!runtime.startsWith('nodejs')) {
    throw new AssemblyError(`stack ${stack.stackName}, resource ${logicalId}, property Runtime: ${runtime} does not run locally (Node.js runtimes only)`);
  }
  const code = (props['Code'] ?? {}) as Record<string, unknown>;
  const objectKey = code['S3Key'] !== undefined ? resolver.resolveString(code['S3Key'], at('Code.S3Key')) : undefined;
  const codeDir = objectKey ? stack.assetDirsByObjectKey.get(objectKey) : undefined;
  if (!codeDir) {
    throw new AssemblyError(
      `stack ${stack.stackName}, resource ${logicalId}, property Code: ${objectKey ? `no asset in the assembly has object key ${objectKey}` : 'only S3 asset code can run locally'}`,
    );
  }
  const variables = ((props['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {}) as Record<string, unknown>;
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = resolver.resolveString(value, at(`Environment.Variables.${name}`));
  }
  Object.assign(environment, extraEnvironment);
  const functionName = resolver.physicalId(stack, logicalId);
  const logGroupName = logGroupOf(resolver, props, at) ?? `/aws/lambda/${functionName}`;
  const reserved = props['ReservedConcurrentExecutions'];
  return {
    id: `${stack.stackName}/${logicalId}`,
    functionName,
    codeDir: isAbsolute(codeDir) ? codeDir : join(stack.assemblyDir, codeDir),
    handler: resolver.resolveString(props['Handler'], at('Handler')),
    runtime,
    environment,
    timeoutSeconds: Number(resolver.resolve(props['Timeout'] ?? 3, at('Timeout'))),
    memorySizeMB: Number(resolver.resolve(props['MemorySize'] ?? 128, at('MemorySize'))),
    reservedConcurrency: reserved === undefined ? undefined : Number(resolver.resolve(reserved, at('ReservedConcurrentExecutions'))),
    logGroupName,
    architecture: props['Architectures'] === undefined ? undefined : String((resolver.resolve(props['Architectures'], at('Architectures')) as unknown[])[0]),
  };
}

/** The function's `LoggingConfig.LogGroup` when CDK gave it its own log group. */
function logGroupOf(
  resolver: IntrinsicResolver,
  props: Record<string, unknown>,
  at: (property: string) => Location,
): string | undefined {
  const logGroup = (props['LoggingConfig'] as { LogGroup?: unknown } | undefined)?.LogGroup;
  return logGroup === undefined ? undefined : resolver.resolveString(logGroup, at('LoggingConfig.LogGroup'));
}

function readTable(resolver: IntrinsicResolver, stack: StackArtifact, logicalId: string, props: Record<string, unknown>): TableSpec {
  const resolved = resolver.resolve(props, { stack, resource: logicalId, property: 'Properties' }) as Record<string, unknown>;
  const ttl = resolved['TimeToLiveSpecification'] as { AttributeName?: string; Enabled?: boolean } | undefined;
  return {
    id: `${stack.stackName}/${logicalId}`,
    tableName: resolver.physicalId(stack, logicalId),
    keySchema: resolved['KeySchema'],
    attributeDefinitions: resolved['AttributeDefinitions'],
    globalSecondaryIndexes: resolved['GlobalSecondaryIndexes'],
    localSecondaryIndexes: resolved['LocalSecondaryIndexes'],
    billingMode: resolved['BillingMode'],
    timeToLiveAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
  } as TableSpec;
}

function readParameter(resolver: IntrinsicResolver, stack: StackArtifact, logicalId: string, props: Record<string, unknown>): ParameterSpec {
  const type = resolver.resolveString(props['Type'] ?? 'String', { stack, resource: logicalId, property: 'Type' });
  if (type !== 'String' && type !== 'StringList') {
    throw new AssemblyError(`stack ${stack.stackName}, resource ${logicalId}, property Type: ${type} parameters are not served locally`);
  }
  return {
    id: `${stack.stackName}/${logicalId}`,
    name: resolver.physicalId(stack, logicalId),
    value: resolver.resolveString(props['Value'], { stack, resource: logicalId, property: 'Value' }),
    type,
  };
}

function stageOf(resolver: IntrinsicResolver, stack: StackArtifact, apiLogicalId: string) {
  const stages = eachResource([stack], 'AWS::ApiGateway::Stage').filter(({ properties }) => refersTo(properties['RestApiId'], apiLogicalId));
  if (stages.length === 0) return undefined;
  if (stages.length > 1) {
    throw new AssemblyError(`stack ${stack.stackName}, resource ${apiLogicalId}: more than one stage; the local runtime serves one`);
  }
  const { logicalId, properties } = stages[0]!;
  const at = (property: string): Location => ({ stack, resource: logicalId, property });
  return {
    stageName: resolver.physicalId(stack, logicalId),
    variables: properties['Variables'] ? (resolver.resolve(properties['Variables'], at('Variables')) as Record<string, string>) : null,
    methodSettings: (resolver.resolve(properties['MethodSettings'] ?? [], at('MethodSettings')) as Record<string, unknown>[]) ?? [],
  };
}

function refersTo(value: unknown, logicalId: string): boolean {
  return typeof value === 'object' && value !== null && (value as { Ref?: unknown }).Ref === logicalId;
}

function readApi(
  resolver: IntrinsicResolver,
  stack: StackArtifact,
  apiLogicalId: string,
  props: Record<string, unknown>,
  functionIdsByName: Map<string, string>,
  unrunnable: Map<string, { id: string; error: AssemblyError }>,
): ApiModel {
  const apiId = resolver.physicalId(stack, apiLogicalId);
  const ofApi = (type: string) => eachResource([stack], type).filter(({ properties }) => refersTo(properties['RestApiId'], apiLogicalId));
  const at = (resource: string, property: string): Location => ({ stack, resource, property });

  if (props['Body'] !== undefined || props['BodyS3Location'] !== undefined) {
    throw new AssemblyError(`stack ${stack.stackName}, resource ${apiLogicalId}, property Body: OpenAPI-defined REST APIs are not supported locally; define resources and methods`);
  }

  // Resource tree: id → path.
  const rootId = resolver.localId(stack, `${apiLogicalId}/root`, 6);
  const parents = new Map<string, { parentId: string; pathPart: string }>();
  for (const { logicalId, properties } of ofApi('AWS::ApiGateway::Resource')) {
    parents.set(resolver.physicalId(stack, logicalId), {
      parentId: resolver.resolveString(properties['ParentId'], at(logicalId, 'ParentId')),
      pathPart: resolver.resolveString(properties['PathPart'], at(logicalId, 'PathPart')),
    });
  }
  const pathOf = (resourceId: string, seen = 0): string => {
    if (resourceId === rootId) return '/';
    const node = parents.get(resourceId);
    if (!node || seen > 100) throw new AssemblyError(`stack ${stack.stackName}, API ${apiLogicalId}: resource ${resourceId} is not in the tree`);
    const parent = pathOf(node.parentId, seen + 1);
    return `${parent === '/' ? '' : parent}/${node.pathPart}`;
  };

  /** The function an ARN names, and the alias or version it qualifies it with (none for `$LATEST`). */
  const functionIdFromArn = (arn: string, where: Location): FunctionTarget => {
    const [, name, qualifier] = LAMBDA_ARN.exec(arn) ?? [];
    const id = name ? functionIdsByName.get(name) : undefined;
    const cannotRun = name ? unrunnable.get(name) : undefined;
    if (cannotRun) throw new AssemblyError(`API ${apiLogicalId} of stack ${stack.stackName} needs ${cannotRun.id}, which cannot run: ${cannotRun.error.message}`);
    if (!id) {
      throw new AssemblyError(`stack ${where.stack.stackName}, resource ${where.resource}, property ${where.property}: ${arn} is not a function in the assembly`);
    }
    return { functionId: id, qualifier: qualifier === '$LATEST' ? undefined : qualifier };
  };
  const functionIdFromUri = (uri: string, where: Location): FunctionTarget => {
    const arn = INVOCATION_URI.exec(uri)?.[1];
    if (!arn) throw new AssemblyError(`stack ${stack.stackName}, resource ${where.resource}, property ${where.property}: not a Lambda invocation URI: ${uri}`);
    return functionIdFromArn(arn, where);
  };

  const authorizers = new Map<string, AuthorizerModel>();
  for (const { logicalId, properties } of ofApi('AWS::ApiGateway::Authorizer')) {
    const authorizerId = resolver.physicalId(stack, logicalId);
    const type = resolver.resolveString(properties['Type'], at(logicalId, 'Type'));
    const identitySource = resolver.resolveString(properties['IdentitySource'] ?? '', at(logicalId, 'IdentitySource'));
    const header = /^method\.request\.header\.(.+)$/.exec(identitySource)?.[1];
    if (type !== 'TOKEN' || !header) {
      throw new AssemblyError(`stack ${stack.stackName}, resource ${logicalId}, property Type: only TOKEN authorizers with a header identity source run locally (got ${type}, ${identitySource})`);
    }
    const expression = properties['IdentityValidationExpression'];
    authorizers.set(authorizerId, {
      authorizerId,
      name: resolver.resolveString(properties['Name'] ?? logicalId, at(logicalId, 'Name')),
      type,
      ...functionIdFromUri(resolver.resolveString(properties['AuthorizerUri'], at(logicalId, 'AuthorizerUri')), at(logicalId, 'AuthorizerUri')),
      identityHeader: header.toLowerCase(),
      validationExpression: expression === undefined ? undefined : new RegExp(resolver.resolveString(expression, at(logicalId, 'IdentityValidationExpression'))),
      ttlSeconds: Number(resolver.resolve(properties['AuthorizerResultTtlInSeconds'] ?? 300, at(logicalId, 'AuthorizerResultTtlInSeconds'))),
    });
  }

  const models = new Map<string, object>();
  for (const { logicalId, properties } of ofApi('AWS::ApiGateway::Model')) {
    models.set(resolver.physicalId(stack, logicalId), resolver.resolve(properties['Schema'] ?? {}, at(logicalId, 'Schema')) as object);
  }
  const validators = new Map<string, { body: boolean; params: boolean }>();
  for (const { logicalId, properties } of ofApi('AWS::ApiGateway::RequestValidator')) {
    validators.set(resolver.physicalId(stack, logicalId), {
      body: Boolean(resolver.resolve(properties['ValidateRequestBody'] ?? false, at(logicalId, 'ValidateRequestBody'))),
      params: Boolean(resolver.resolve(properties['ValidateRequestParameters'] ?? false, at(logicalId, 'ValidateRequestParameters'))),
    });
  }

  const methods: MethodModel[] = ofApi('AWS::ApiGateway::Method').map(({ logicalId, properties }) => {
    const resourceId = resolver.resolveString(properties['ResourceId'], at(logicalId, 'ResourceId'));
    const validatorId = properties['RequestValidatorId'] === undefined ? undefined : resolver.resolveString(properties['RequestValidatorId'], at(logicalId, 'RequestValidatorId'));
    const validator = validatorId ? validators.get(validatorId) : undefined;
    const requestModels = new Map<string, { name: string; schema: object }>();
    const declared = (resolver.resolve(properties['RequestModels'] ?? {}, at(logicalId, 'RequestModels')) ?? {}) as Record<string, string>;
    for (const [contentType, modelName] of Object.entries(declared)) {
      const schema = models.get(modelName);
      if (!schema) throw new AssemblyError(`stack ${stack.stackName}, resource ${logicalId}, property RequestModels: no model ${modelName} in API ${apiLogicalId}`);
      requestModels.set(contentType.toLowerCase(), { name: modelName, schema });
    }
    const authorizationType = resolver.resolveString(properties['AuthorizationType'] ?? 'NONE', at(logicalId, 'AuthorizationType'));
    const authorizerId = properties['AuthorizerId'] === undefined ? undefined : resolver.resolveString(properties['AuthorizerId'], at(logicalId, 'AuthorizerId'));
    if (authorizationType === 'CUSTOM' && (!authorizerId || !authorizers.has(authorizerId))) {
      throw new AssemblyError(`stack ${stack.stackName}, resource ${logicalId}, property AuthorizerId: CUSTOM authorization without a known authorizer`);
    }
    if (authorizationType !== 'NONE' && authorizationType !== 'CUSTOM') {
      throw new AssemblyError(`stack ${stack.stackName}, resource ${logicalId}, property AuthorizationType: ${authorizationType} is not emulated locally`);
    }
    return {
      apiId,
      resourceId,
      resourcePath: pathOf(resourceId),
      httpMethod: resolver.resolveString(properties['HttpMethod'], at(logicalId, 'HttpMethod')).toUpperCase(),
      authorizationType,
      authorizerId: authorizationType === 'CUSTOM' ? authorizerId : undefined,
      requestModels,
      validateBody: validator?.body ?? false,
      validateParameters: validator?.params ?? false,
      requestParameters: (resolver.resolve(properties['RequestParameters'] ?? {}, at(logicalId, 'RequestParameters')) ?? {}) as Record<string, boolean>,
      integration: readIntegration(resolver, stack, logicalId, properties, functionIdFromUri),
    };
  });

  const gatewayResponses = new Map<string, GatewayResponseModel>();
  for (const { logicalId, properties } of ofApi('AWS::ApiGateway::GatewayResponse')) {
    const resolved = resolver.resolve(properties, at(logicalId, 'Properties')) as Record<string, unknown>;
    gatewayResponses.set(String(resolved['ResponseType']), {
      statusCode: resolved['StatusCode'] === undefined ? undefined : Number(resolved['StatusCode']),
      templates: (resolved['ResponseTemplates'] ?? {}) as Record<string, string>,
      parameters: (resolved['ResponseParameters'] ?? {}) as Record<string, string>,
    });
  }

  const stage = stageOf(resolver, stack, apiLogicalId);
  return {
    id: `${stack.stackName}/${apiLogicalId}`,
    stackName: stack.stackName,
    stackId: stack.stackId,
    name: resolver.resolveString(props['Name'] ?? apiLogicalId, at(apiLogicalId, 'Name')),
    apiId,
    region: resolver.region(stack),
    accountId: resolver.accountId(stack),
    environment: { account: stack.account, region: stack.region },
    stageName: stage?.stageName ?? 'prod',
    stageVariables: stage?.variables ?? null,
    methods,
    authorizers,
    gatewayResponses,
    throttling: readThrottling(stage?.methodSettings ?? []),
    metricsEnabled: readMetricsEnabled(stage?.methodSettings ?? []),
  };
}

function readIntegration(
  resolver: IntrinsicResolver,
  stack: StackArtifact,
  logicalId: string,
  properties: Record<string, unknown>,
  functionIdFromUri: (uri: string, where: Location) => FunctionTarget,
): IntegrationModel {
  const at = (property: string): Location => ({ stack, resource: logicalId, property });
  const integration = (properties['Integration'] ?? {}) as Record<string, unknown>;
  const type = resolver.resolveString(integration['Type'] ?? 'MOCK', at('Integration.Type'));
  if (type === 'AWS_PROXY') {
    const { functionId, qualifier } = functionIdFromUri(resolver.resolveString(integration['Uri'], at('Integration.Uri')), at('Integration.Uri'));
    const declared = integration['TimeoutInMillis'];
    const timeoutMs = declared === undefined ? INTEGRATION_TIMEOUT_MS : Number(resolver.resolve(declared, at('Integration.TimeoutInMillis')));
    return { type, functionId, ...(qualifier === undefined ? {} : { qualifier }), timeoutMs };
  }
  if (type === 'MOCK') {
    // CDK's CORS preflight: answer with the first integration response, its static headers and template.
    const responses = (resolver.resolve(integration['IntegrationResponses'] ?? [], at('Integration.IntegrationResponses')) ?? []) as Record<string, unknown>[];
    const first = responses[0] ?? {};
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((first['ResponseParameters'] ?? {}) as Record<string, string>)) {
      const header = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      const literal = /^'(.*)'$/.exec(value)?.[1];
      if (header && literal !== undefined) headers[header] = literal;
    }
    const templates = (first['ResponseTemplates'] ?? {}) as Record<string, string>;
    return { type, statusCode: Number(first['StatusCode'] ?? 200), headers, body: templates['application/json'] ?? '' };
  }
  return { type: 'UNSUPPORTED', description: `${type} integration of ${stack.stackName}/${logicalId}` };
}

/** Stage MethodSettings' `MetricsEnabled` (detailed CloudWatch metrics per method). */
function readMetricsEnabled(methodSettings: Record<string, unknown>[]): MethodFlags {
  const flags: MethodFlags = { perMethod: new Map() };
  for (const setting of methodSettings) {
    if (setting['MetricsEnabled'] === undefined) continue;
    const enabled = setting['MetricsEnabled'] === true || setting['MetricsEnabled'] === 'true';
    const raw = String(setting['ResourcePath'] ?? '/*');
    const path = raw === '/*' ? raw : raw.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
    const method = String(setting['HttpMethod'] ?? '*').toUpperCase();
    if (path === '/*' && method === '*') flags.stageDefault = enabled;
    else flags.perMethod.set(`${path} ${method}`, enabled);
  }
  return flags;
}

/** Stage MethodSettings: `/*` + `*` is the stage default; `/~1items~1{id}` + `GET` one method. */
function readThrottling(methodSettings: Record<string, unknown>[]): ThrottleSettings {
  const settings: ThrottleSettings = { perMethod: new Map() };
  for (const setting of methodSettings) {
    const rate = setting['ThrottlingRateLimit'];
    const burst = setting['ThrottlingBurstLimit'];
    if (rate === undefined && burst === undefined) continue;
    const limit = { rateLimit: Number(rate ?? ACCOUNT_LIMIT.rateLimit), burstLimit: Number(burst ?? ACCOUNT_LIMIT.burstLimit) };
    // "/" + the resource path with its slashes escaped as in a JSON pointer: `/~1items~1{id}`.
    const raw = String(setting['ResourcePath'] ?? '/*');
    const path = raw === '/*' ? raw : raw.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
    const method = String(setting['HttpMethod'] ?? '*').toUpperCase();
    if (path === '/*' && method === '*') settings.stageDefault = limit;
    else settings.perMethod.set(`${path} ${method}`, limit);
  }
  return settings;
}
