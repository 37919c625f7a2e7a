export { AppError, isAppError, type AppErrorInit, type AppErrorOptions } from './app-error';
export type { FieldError, ProblemDetails } from './problem-details';
export { PROBLEM_TYPE_PREFIX, problemTypeUri, type ProblemTypeSlug } from './problem-types';
export { ValidationError } from './validation-error';
export { UnauthorizedError } from './unauthorized-error';
export { InvalidCredentialsError } from './invalid-credentials-error';
export { ForbiddenError } from './forbidden-error';
export { NotFoundError } from './not-found-error';
export { ConflictError } from './conflict-error';
export { PreconditionFailedError } from './precondition-failed-error';
export { PayloadTooLargeError } from './payload-too-large-error';
export { UnsupportedMediaTypeError } from './unsupported-media-type-error';
export { ThrottledError } from './throttled-error';
export { InternalError } from './internal-error';
export { BadGatewayError } from './bad-gateway-error';
export { ServiceUnavailableError } from './service-unavailable-error';
export { GatewayTimeoutError } from './gateway-timeout-error';
export {
  DependencyUnavailableError,
  DEPENDENCY_RETRY_AFTER_SECONDS,
  transientFailureOf,
  type TransientFailureKind,
} from './dependency-unavailable-error';
