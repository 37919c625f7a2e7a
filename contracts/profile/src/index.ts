/**
 * The profile service's published contract: everything here is generated from
 * `contracts/profile/openapi.yaml` by tools/codegen (`npx nx run contract-profile:generate`).
 */
export type { components, operations, paths } from './generated/types';
export { operationExamples, operationManifest } from './generated/operations';
export type { OperationExample, OperationId, OperationManifestEntry } from './generated/operations';
// One export per operation (`getLocationValidators`: a Lambda imports only its own, and its
// bundle carries no other operation's validators), `validators` (all of them) and their types.
export * from './generated/validators';
export { default as apiGatewayModels } from './generated/apigw-models.json';
export { default as openApiDocument } from './generated/openapi.json';
export { createProfileClient } from './generated/client';
export type { ProfileClient, ProfileClientOptions } from './generated/client';
