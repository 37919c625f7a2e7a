/**
 * Request and response types of one operation, derived from openapi-typescript's `operations`
 * type. Nothing here restates a schema: every shape comes from the generated contract types.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { Principal } from './principal';

/** An object type with no keys, for request parts an operation does not declare. */
export type NoParameters = Record<string, never>;

type Present<T> = [NonNullable<T>] extends [never] ? NoParameters : NonNullable<T>;

type ParametersOf<Op> = Op extends { parameters: infer P } ? P : Record<never, never>;
type PartOf<Op, Part extends string> =
  ParametersOf<Op> extends { [K in Part]?: infer T } ? Present<T> : NoParameters;

/** Header parameters arrive with lower-case names, whatever case the contract declares. */
type LowerCaseKeys<T> = { [K in keyof T as K extends string ? Lowercase<K> : K]: T[K] };

/** Validated, coerced parameters of an operation (defaults filled). */
export interface RequestParameters<Op> {
  readonly path: PartOf<Op, 'path'>;
  readonly query: PartOf<Op, 'query'>;
  readonly header: LowerCaseKeys<PartOf<Op, 'header'>>;
}

type JsonContent<C> = C extends { content: { 'application/json': infer B } } ? B : never;

/** The validated JSON request body; `undefined` when the operation takes none. */
export type RequestBody<Op> = Op extends { requestBody: infer R }
  ? JsonContent<R>
  : Op extends { requestBody?: infer R }
    ? [NonNullable<R>] extends [never]
      ? undefined
      : JsonContent<NonNullable<R>> | undefined
    : undefined;

/** What a handler receives. */
export interface ApiRequest<Op> {
  readonly params: RequestParameters<Op>;
  readonly body: RequestBody<Op>;
  /**
   * The caller as the TOKEN authorizer identified them; `null` on unsecured operations. The
   * adapter answers 401 before the handler runs when a secured operation has no principal.
   */
  readonly principal: Principal | null;
  /** The API Gateway request id (also the problem's `requestId`). */
  readonly requestId: string;
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
}

type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;

/** A declared response whose body is JSON or absent: the ones a handler returns. Problems are thrown. */
type IsHandlerResponse<R> = R extends { content: infer C }
  ? [NonNullable<C>] extends [never]
    ? true
    : 'application/json' extends keyof NonNullable<C>
      ? true
      : false
  : true;

type HandlerStatus<Op> = {
  [S in keyof ResponsesOf<Op>]: S extends number
    ? IsHandlerResponse<ResponsesOf<Op>[S]> extends true
      ? S
      : never
    : never;
}[keyof ResponsesOf<Op>];

/** Response headers: any string values, plus the ones the contract declares as required. */
export type ResponseHeaders = Readonly<Record<string, string>>;

type DeclaredHeaders<H> = {
  [K in keyof H as string extends K ? never : number extends K ? never : K]: H[K];
};
type RequiredKeys<T> = {
  [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K;
}[keyof T];

type HeadersPart<R> = R extends { headers: infer H }
  ? [RequiredKeys<DeclaredHeaders<H>>] extends [never]
    ? { readonly headers?: ResponseHeaders }
    : {
        readonly headers: {
          readonly [K in RequiredKeys<DeclaredHeaders<H>>]: string;
        } & ResponseHeaders;
      }
  : { readonly headers?: ResponseHeaders };

type BodyPart<R> = R extends { content: { 'application/json': infer B } }
  ? { readonly body: B }
  : { readonly body?: undefined };

type ResponseFor<S, R> = { readonly status: S } & BodyPart<R> & HeadersPart<R>;

/**
 * What a handler returns: one of the operation's declared non-problem responses, with its body
 * type and required headers. Error responses are thrown as `AppError`s instead.
 */
export type ApiResponse<Op> = {
  [S in HandlerStatus<Op>]: ResponseFor<S, ResponsesOf<Op>[S]>;
}[HandlerStatus<Op>];

/** The function serving one operation. */
export type OperationHandler<Op> = (
  request: ApiRequest<Op>,
) => Promise<ApiResponse<Op>> | ApiResponse<Op>;

/**
 * Handlers by operation id, for operations among `Handled` (by default every operation); a Lambda
 * function usually serves exactly one.
 */
export type ApiHandlers<Ops, Handled extends keyof Ops = keyof Ops> = {
  readonly [K in Handled]?: OperationHandler<Ops[K]>;
};
