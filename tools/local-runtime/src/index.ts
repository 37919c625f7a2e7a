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
