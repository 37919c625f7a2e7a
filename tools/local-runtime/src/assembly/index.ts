export type { ApiModel, AuthorizerModel, GatewayResponseModel, IntegrationModel, MethodModel, ThrottleLimit, ThrottleSettings } from './api-model';
export { AssemblyError } from './errors';
export { ACCOUNT_LIMIT, INTEGRATION_TIMEOUT_MS, readAssembly, type LocalSystem, type ReadAssemblyOptions } from './read-assembly';
export { DEFAULT_STAGE, selectStage, type StageSelection } from './stage-assembly';
