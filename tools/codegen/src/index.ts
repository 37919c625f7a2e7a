/**
 * The contract code generator: from each `contracts/<svc>/openapi.yaml`, the types, operation
 * manifest, bundled ajv validators, API Gateway draft-4 models, bundled OpenAPI document and typed
 * client under `contracts/<svc>/src/generated/`. The CLI (`src/cli.ts`) is the usual entry.
 */
export { bundle, type BundleResult } from './bundle';
export { collectOperations, type OperationInfo } from './collect-operations';
export { toDraft4Model, type ReportEntry } from './draft4';
export {
  buildApiGatewayModels,
  formatReportEntry,
  type ApiGatewayModels,
} from './emit-apigw-models';
export { findStaleFiles, writeResult, type StaleFile } from './files';
export { generateContract, type GeneratedFile, type GenerationResult } from './generate';
export { contracts, findContract, outputFiles, type ContractEntry } from './manifest';
