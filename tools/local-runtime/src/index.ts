export {
  readAssembly,
  readCloudAssembly,
  AssemblyError,
  localApiBaseUrl,
  serviceOfStack,
  EXECUTE_API_PREFIX,
  selectStage,
  DEFAULT_STAGE,
  type ApiModel,
  type LocalSystem,
  type StackArtifact,
  type StageSelection,
  type Template,
} from './assembly';
export {
  describeApis,
  startRuntime,
  type ApiInfo,
  type RouteInfo,
  type RunningRuntime,
  type RuntimeOptions,
} from './runtime';
export { findContractSpecs, type DocsSpec } from './docs/docs';
// Lambda, DynamoDB and logs emulation.
export * from './lambda';
export * from './dynamodb';
export * from './logs';
export * from './ssm';
// CloudWatch emulation: metrics, alarms, dashboards.
export * from './metrics';
export * from './alarms';
export * from './dashboards';
export * from './deployments';
export { startDynamoProxy, type DynamoProxy, type DynamoProxyOptions } from './dynamodb/proxy';
export { createFaultInjector, type FaultCounts, type FaultInjector, type FaultInjectorOptions } from './dynamodb/fault-injector';
export { describeFaultSpec, FaultSpecError, injectsFaults, parseFaultSpec, type FaultSpec, type InjectedFailure } from './dynamodb/fault-spec';
export { replyJson, errorType, type DynamoCall, type DynamoProxyLayer, type DynamoReply } from './dynamodb/proxy-types';
