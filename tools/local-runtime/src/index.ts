export { readAssembly, AssemblyError, type ApiModel, type LocalSystem } from './assembly';
export { startRuntime, type RouteInfo, type RunningRuntime, type RuntimeOptions } from './runtime';
export { findContractSpecs, type DocsSpec } from './docs/docs';
// Lambda, DynamoDB and logs emulation.
export * from './lambda';
export * from './dynamodb';
export * from './logs';
// CloudWatch emulation: metrics, alarms, dashboards.
export * from './metrics';
export * from './alarms';
export * from './dashboards';
export { startDynamoProxy, type DynamoProxy, type DynamoProxyOptions } from './dynamodb/proxy';
export { replyJson, errorType, type DynamoCall, type DynamoProxyLayer, type DynamoReply } from './dynamodb/proxy-types';
