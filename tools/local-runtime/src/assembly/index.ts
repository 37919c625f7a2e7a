export type {
  ApiModel,
  AuthorizerModel,
  GatewayResponseModel,
  IntegrationModel,
  MethodModel,
  ThrottleLimit,
  ThrottleSettings,
} from './api-model';
export { AssemblyError } from './errors';
export {
  ACCOUNT_LIMIT,
  INTEGRATION_TIMEOUT_MS,
  readAssembly,
  type LocalSystem,
  type ReadAssemblyOptions,
} from './read-assembly';
export {
  EXECUTE_API_PREFIX,
  localApiBaseUrl,
  parseExecuteApiPath,
  serviceOfStack,
  type ExecuteApiPath,
} from './api-base-url';
export { readCloudAssembly, type StackArtifact, type Template } from './cloud-assembly';
export { DEFAULT_STAGE, selectStage, type StageSelection } from './stage-assembly';
export type { AlarmSpec, DashboardSpec, MetricQuerySpec, MetricRef, MonitoringModel, TopicSpec } from './read-monitoring';
