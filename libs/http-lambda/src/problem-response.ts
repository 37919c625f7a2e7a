import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  DependencyUnavailableError,
  InternalError,
  isAppError,
  type AppError,
  type ProblemDetails,
} from '@sm/errors';
import { withSecurityHeaders } from './response-headers';

/** The problem body a client receives: the error's problem plus `instance` and `requestId`. */
export type ProblemBody = ProblemDetails & {
  readonly instance: string;
  readonly requestId: string;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where a problem happened: the request path and the API Gateway request id. */
export interface ProblemContext {
  readonly instance: string;
  readonly requestId: string;
}

/**
 * Normalises anything thrown into an {@link AppError}: an `AppError` stays as it is; a transient
 * dependency failure — DynamoDB throttling or failing after the SDK's retries, a store or service
 * unreachable, a call cut at the invocation's deadline — becomes a 503 with `Retry-After`
 * (`DependencyUnavailableError`); anything else a generic 500. Neither repeats the original message
 * to the client (it is kept as `cause`, for the log). This is the one place every service's store
 * failures become answers: no handler maps them itself.
 */
export const asAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : (DependencyUnavailableError.from(error) ??
      new InternalError('Unhandled error', { cause: error }));

/** Renders an error as an RFC 9457 problem response. This is the only place errors become responses. */
export const problemResult = (
  error: AppError,
  context: ProblemContext,
): { result: APIGatewayProxyResult; body: ProblemBody } => {
  const body: ProblemBody = {
    ...error.toProblem(),
    instance: context.instance,
    requestId: context.requestId,
  };
  return {
    body,
    result: {
      statusCode: error.status,
      // An error describes one request: never cached (no-store), never sniffed.
      headers: { ...withSecurityHeaders(error.headers, { private: true }), 'content-type': PROBLEM_CONTENT_TYPE },
      body: JSON.stringify(body),
    },
  };
};
