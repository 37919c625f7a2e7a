export {
  createApiHandler,
  type ApiGatewayHandler,
  type ApiHandlerOptions,
} from './create-api-handler';
export type {
  ApiContract,
  OperationManifestEntry,
  OperationValidators,
  ValidateFunction,
  ValidatorError,
} from './contract';
export type {
  ApiHandlers,
  ApiRequest,
  ApiResponse,
  NoParameters,
  OperationHandler,
  RequestBody,
  RequestParameters,
  ResponseHeaders,
} from './operation-types';
export { principalFromEvent, requireOwner, requirePrincipal, type Principal } from './principal';
export { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem-response';
export { ResponseValidationError } from './response-validation';
export { JSON_API_CSP, NO_STORE, NOSNIFF, withSecurityHeaders } from './response-headers';
export { toFieldErrors } from './field-errors';
