import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { InternalError, UnauthorizedError, type AppError } from '@sm/errors';
import { parseDeadlineBudget, withInvocationDeadline } from '@sm/deadline';
import { createObservability, withObservability, type Observability } from '@sm/observability';
import type { ApiContract, OperationManifestEntry, OperationValidators } from './contract';
import type { ApiHandlers, ApiRequest, ApiResponse } from './operation-types';
import { lowerCaseHeaders, parseRequest } from './parse-request';
import { principalFromEvent } from './principal';
import { withSecurityHeaders } from './response-headers';
import { asAppError, problemResult } from './problem-response';
import { ResponseValidationError, responseViolations } from './response-validation';

/** Options of {@link createApiHandler}. */
export interface ApiHandlerOptions {
  /**
   * Logger, metrics and tracer of the service; the adapter adds the per-invocation glue.
   * @default createObservability() (from the POWERTOOLS_* environment)
   */
  readonly observability?: Observability;
  /**
   * Check every response (success and problem) against the contract's response validators.
   * @default true under Jest or when SM_VALIDATE_RESPONSES is 'true'
   */
  readonly validateResponses?: boolean;
  /**
   * What a contract violation does: `throw` makes the invocation fail (a test fails loudly);
   * `log` logs it at ERROR and still sends the response.
   * @default 'throw' under Jest, otherwise 'log'
   */
  readonly onInvalidResponse?: 'throw' | 'log';
  /**
   * How long one invocation may wait on its dependencies, in ms from its start (`@sm/deadline`):
   * store calls end by then and the request answers 503 + `Retry-After`. Never later than the
   * function's remaining time less 250 ms.
   * @default SM_DEADLINE_MS from the environment (set from the service's limits), else only the remaining time
   */
  readonly deadlineBudgetMs?: number;
}

/** The Lambda handler `createApiHandler` returns. */
export type ApiGatewayHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

interface Route {
  readonly operationId: string;
  readonly entry: OperationManifestEntry;
  readonly validators: OperationValidators;
  readonly handler: (
    request: ApiRequest<unknown>,
  ) => Promise<ApiResponse<unknown>> | ApiResponse<unknown>;
}

const JSON_CONTENT_TYPE = 'application/json';
const runningUnderJest = (): boolean => process.env.JEST_WORKER_ID !== undefined;
const routeKey = (method: string, resource: string): string =>
  `${method.toUpperCase()} ${resource}`;

const buildRoutes = <Ops, Handled extends keyof Ops>(
  contract: ApiContract<Ops, Handled>,
  handlers: ApiHandlers<Ops, Handled>,
): Map<string, Route> => {
  const manifest = contract.operationManifest as Readonly<Record<string, OperationManifestEntry>>;
  const validators = contract.validators as Readonly<Record<string, OperationValidators>>;
  const routes = new Map<string, Route>();
  for (const [operationId, handler] of Object.entries(
    handlers as Record<string, Route['handler'] | undefined>,
  )) {
    const entry = manifest[operationId];
    const operationValidators = validators[operationId];
    if (handler === undefined) continue;
    if (entry === undefined) {
      throw new Error(
        `createApiHandler: operation '${operationId}' is not in the contract (known: ${Object.keys(manifest).join(', ')})`,
      );
    }
    if (operationValidators === undefined) {
      throw new Error(
        `createApiHandler: no validators given for operation '${operationId}' (given: ${Object.keys(validators).join(', ') || 'none'})`,
      );
    }
    routes.set(routeKey(entry.method, entry.path), {
      operationId,
      entry,
      validators: operationValidators,
      handler,
    });
  }
  if (routes.size === 0) throw new Error('createApiHandler: no handler given');
  return routes;
};

/** x-correlation-id from the caller when present, else the API Gateway request id. */
const correlationIdOf = (event: APIGatewayProxyEvent): string | undefined =>
  lowerCaseHeaders(event)['x-correlation-id'] || event.requestContext?.requestId;

/**
 * Builds the Lambda handler of one or more operations of a contract, for API Gateway REST proxy
 * (v1) events. It routes by `httpMethod` + `resource` (the path template) to the operation's
 * handler, validates parameters and body with the contract's generated validators, requires a
 * principal on secured operations, serialises the typed response, and maps every error to an
 * `application/problem+json` response in one place. Pass `operations` (openapi-typescript) and
 * the served operation ids as the type arguments, and only those operations' validators, so the
 * function's bundle carries no other operation's:
 * `createApiHandler<operations, 'getLocation'>({ operationManifest, validators: { getLocation: getLocationValidators } }, { getLocation: … })`.
 * Without the second type argument every operation's validators are required (`validators`).
 */
export const createApiHandler = <Ops, Handled extends keyof Ops = keyof Ops>(
  contract: ApiContract<Ops, Handled>,
  handlers: ApiHandlers<Ops, Handled>,
  options: ApiHandlerOptions = {},
): ApiGatewayHandler => {
  const routes = buildRoutes(contract, handlers);
  const observability = options.observability ?? createObservability();
  const { logger } = observability;
  const validateResponses =
    options.validateResponses ??
    (runningUnderJest() || process.env.SM_VALIDATE_RESPONSES === 'true');
  const onInvalidResponse = options.onInvalidResponse ?? (runningUnderJest() ? 'throw' : 'log');
  const deadlineBudgetMs =
    'deadlineBudgetMs' in options ? options.deadlineBudgetMs : parseDeadlineBudget();

  const checkResponse = (
    route: Route,
    status: number,
    body: string | undefined,
    cause?: unknown,
  ): void => {
    if (!validateResponses) return;
    const violations = responseViolations(
      route.entry,
      route.validators,
      status,
      body === undefined || body === '' ? undefined : JSON.parse(body),
    );
    if (violations.length === 0) return;
    const error = new ResponseValidationError(route.operationId, status, violations, { cause });
    if (onInvalidResponse === 'throw') throw error;
    logger.error('Response violates the contract', {
      operationId: route.operationId,
      status,
      violations,
    });
  };

  const renderError = (
    error: unknown,
    event: APIGatewayProxyEvent,
    requestId: string,
  ): APIGatewayProxyResult => {
    const appError: AppError = asAppError(error);
    if (appError.expose) {
      logger.info('Request refused', {
        status: appError.status,
        type: appError.type,
        detail: appError.detail,
        requestId,
      });
    } else {
      // A 5xx is the service's failure to serve, whatever caused it (a 503 too: the store was
      // throttling or away): ERROR, so the log-based alarm sees it.
      logger.error('Request failed', {
        status: appError.status,
        type: appError.type,
        requestId,
        error: appError.cause ?? appError,
      });
    }
    return problemResult(appError, { instance: instanceOf(event), requestId }).result;
  };

  const handle = async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const route = routes.get(routeKey(event.httpMethod ?? '', event.resource ?? ''));
    if (route === undefined) {
      // A misrouted event is a deployment mistake, not a client error.
      logger.error('No handler for this route in this function', {
        httpMethod: event.httpMethod,
        resource: event.resource,
        served: [...routes.keys()],
        requestId,
      });
      return problemResult(new InternalError('No handler for this route'), {
        instance: instanceOf(event),
        requestId,
      }).result;
    }
    logger.appendKeys({ operationId: route.operationId });

    let result: APIGatewayProxyResult;
    let failure: unknown;
    try {
      const principal = principalFromEvent(event);
      if (route.entry.secured && principal === null) {
        throw new UnauthorizedError('A valid bearer token is required.');
      }
      const { params, body } = parseRequest(event, route.entry, route.validators);
      const response = await route.handler({
        params,
        body,
        principal,
        requestId,
        event,
        context,
      } as ApiRequest<unknown>);
      result = successResult(route.entry, response as ResponseShape);
    } catch (error) {
      failure = error;
      result = renderError(error, event, requestId);
    }
    checkResponse(route, result.statusCode, result.body, failure);
    return result;
  };

  // Every invocation runs under its deadline: the store calls it makes end by then (@sm/dynamo).
  return withObservability(
    observability,
    withInvocationDeadline(handle, { budgetMs: deadlineBudgetMs }),
    { correlationId: correlationIdOf },
  );
};

interface ResponseShape {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const successResult = (
  entry: OperationManifestEntry,
  response: ResponseShape,
): APIGatewayProxyResult => {
  const contentType = entry.responses[String(response.status)] ?? JSON_CONTENT_TYPE;
  // An authenticated answer is one caller's data: no cache may keep it.
  const headers = withSecurityHeaders(response.headers, { private: entry.secured });
  if (response.body === undefined) {
    return { statusCode: response.status, headers, body: '' };
  }
  return {
    statusCode: response.status,
    headers: { ...headers, 'content-type': contentType },
    body: JSON.stringify(response.body),
  };
};

/**
 * The problem's `instance`: the path the client requested, as API Gateway's own error responses name
 * it (`$context.path`, which includes the stage), so every problem of one request names the same path.
 */
function instanceOf(event: APIGatewayProxyEvent): string {
  return event.requestContext?.path ?? event.path;
}
