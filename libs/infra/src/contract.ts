/**
 * The parts of a generated contract package (`@sm/contract-<svc>`) that a REST API is built from.
 * These are the shapes tools/codegen emits (`operations.ts`, `apigw-models.json`), narrowed to what
 * the infrastructure reads; a contract package's exports are assignable to them as they are.
 */

/** One entry of a contract's `operationManifest`. */
export interface ContractOperation {
  readonly operationId: string;
  readonly method: string;
  /** Path template as in the contract: `/profile/{userId}`. */
  readonly path: string;
  /** Whether the operation requires the bearer token (the TOKEN authorizer). */
  readonly secured: boolean;
  readonly requestBody: {
    readonly required: boolean;
    readonly contentType: string;
    /** Name of the body's model in `apiGatewayModels.models`. */
    readonly model: string;
  } | null;
  /** Media type of each declared response by status: the statuses the operation may answer. */
  readonly responses?: { readonly [status: string]: string | null };
}

/** One entry of a contract's `operationExamples`: the request its own examples make. */
export interface ContractExample {
  readonly pathParameters: { readonly [name: string]: string };
  readonly queryStringParameters: { readonly [name: string]: string };
  readonly headers: { readonly [name: string]: string };
  readonly body: unknown;
  /** Required parts without an example. */
  readonly missing: readonly string[];
}

/** A contract's `apigw-models.json`: draft-4 models and what each operation's request requires. */
export interface ApiGatewayModels {
  readonly models: { readonly [name: string]: { readonly contentType: string; readonly schema: object } };
  readonly operations: {
    readonly [operationId: string]: {
      readonly requestModel?: string;
      /** `method.request.path.userId` → required, as API Gateway's `RequestParameters` expects. */
      readonly requiredParameters: { readonly [parameter: string]: boolean };
    };
  };
}

/** What a {@link ContractRestApi} needs from a contract package. */
export interface RestApiContract<OperationId extends string = string> {
  /** Title of the API, e.g. the contract's `info.title`. */
  readonly title?: string;
  readonly operationManifest: { readonly [Op in OperationId]: ContractOperation };
  readonly apiGatewayModels: ApiGatewayModels;
  /**
   * The request each operation's own examples make (generated `operationExamples`): what the
   * deployment smoke hooks send (see {@link SafeDeployment}).
   * @default - none; then a stack with smoke hooks fails at synth, naming the operation
   */
  readonly operationExamples?: { readonly [Op in OperationId]: ContractExample };
}
