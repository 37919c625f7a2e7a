export { readAssembly, AssemblyError, type ApiModel, type LocalSystem } from './assembly';
export { startRuntime, type RouteInfo, type RunningRuntime, type RuntimeOptions } from './runtime';
export { findContractSpecs, type DocsSpec } from './docs/docs';
// Lambda, DynamoDB and logs emulation.
export * from './lambda';
export * from './dynamodb';
export * from './logs';
export * from './ssm';
