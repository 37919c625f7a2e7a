/**
 * The profile service's published contract: everything here is generated from
 * `contracts/profile/openapi.yaml` by tools/codegen (`npx nx run contract-profile:generate`).
 */
export type { components, operations, paths } from './generated/types';
export { operationManifest } from './generated/operations';
export type { OperationId, OperationManifestEntry } from './generated/operations';
export { validators } from './generated/validators.cjs';
export type {
  OperationValidators,
  ValidateFunction,
  ValidationError,
  Validators,
} from './generated/validators.cjs';
export { default as apiGatewayModels } from './generated/apigw-models.json';
export { default as openApiDocument } from './generated/openapi.json';
export { createProfileClient } from './generated/client';
export type { ProfileClient, ProfileClientOptions } from './generated/client';
