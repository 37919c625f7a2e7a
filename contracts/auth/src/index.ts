/**
 * The auth service's published contract: everything here is generated from
 * `contracts/auth/openapi.yaml` by tools/codegen (`npx nx run contract-auth:generate`).
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
export { createAuthClient } from './generated/client';
export type { AuthClient, AuthClientOptions } from './generated/client';
