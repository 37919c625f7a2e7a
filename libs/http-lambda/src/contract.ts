/**
 * The runtime half of a generated contract package (`@sm/contract-<svc>`), as tools/codegen
 * writes it: the operation manifest and the ajv standalone validators. Declared structurally so
 * that this library depends on no particular contract.
 */

/** One ajv error, as the standalone validators report it. */
export interface ValidatorError {
  readonly instancePath: string;
  readonly schemaPath?: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** An ajv standalone validate function. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null;
}

/** The validators of one operation (`validators[operationId]`). */
export interface OperationValidators {
  /** Validates `{ path, query, header }` (header names lower case); coerces and fills defaults in place. */
  readonly parameters: ValidateFunction;
  /** Validates the parsed JSON request body, when the operation has one. */
  readonly body?: ValidateFunction;
  /** Validates a response body, by status code (`'200'`, `'404'`, …). */
  readonly responses: Readonly<Record<string, ValidateFunction>>;
}

/** One entry of the generated `operationManifest`. */
export interface OperationManifestEntry {
  readonly operationId: string;
  readonly method: string;
  /** The path template, as API Gateway puts it in `event.resource`: `/profile/{userId}`. */
  readonly path: string;
  /** Whether the operation requires the bearer token (an authorizer principal). */
  readonly secured: boolean;
  readonly successStatuses: readonly number[];
  readonly requestBody: {
    readonly required: boolean;
    readonly contentType: string;
    readonly model?: string;
    /** The largest body the operation accepts, in bytes; a larger one is refused with 413 unread. */
    readonly maxBytes: number;
  } | null;
  readonly parameters: readonly {
    readonly name: string;
    readonly in: string;
    readonly required: boolean;
  }[];
  /** Media type of each declared response by status; `null` (or absent content) for no body. */
  readonly responses: Readonly<Record<string, string | null>>;
}

/**
 * What `createApiHandler` needs from a contract package: its `operationManifest` and the
 * validators of the operations `Handled` serves (by default every operation). `Ops` is
 * openapi-typescript's `operations` type of the same contract.
 *
 * A Lambda function passes only its own operation's validators,
 * `{ getLocation: getLocationValidators }`, so its bundle carries no other operation's; a missing
 * one does not compile.
 */
export interface ApiContract<Ops, Handled extends keyof Ops = keyof Ops> {
  readonly operationManifest: { readonly [K in keyof Ops]: OperationManifestEntry };
  readonly validators: { readonly [K in Handled]: OperationValidators };
}
