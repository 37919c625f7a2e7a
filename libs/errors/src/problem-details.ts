/** One failed rule of a validation problem: where (JSON pointer into the request) and what. */
export interface FieldError {
  /** JSON pointer with a request part prefix: `/body/username`, `/query/limit`, `/path/userId`, `/header/if-match`. */
  readonly pointer: string;
  readonly message: string;
}

/**
 * An RFC 9457 problem as an error produces it. The HTTP adapter adds `instance` and the
 * `requestId` extension member, which only it knows.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}
