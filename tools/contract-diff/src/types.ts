/**
 * Whether a contract change can break an existing client.
 * - `breaking`: a client built against the base contract may fail against the new one.
 * - `non-breaking`: every client of the base contract keeps working.
 */
export type ChangeClass = 'breaking' | 'non-breaking';

/** One classified difference between the base and the working-tree version of a contract. */
export interface Change {
  readonly class: ChangeClass;
  /** Stable, machine-readable kind of change, e.g. `request-property-removed`. */
  readonly code: string;
  /** Where it happened, e.g. `PUT /loc/{userId} › request body application/json › /latitude`. */
  readonly location: string;
  /** What changed, in words, with the old and new values where they help. */
  readonly message: string;
}

/** A schema is compared from the side of the party that must accept it. */
export type Direction = 'request' | 'response';

export type ContractStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ContractReport {
  /** Repository-relative path, e.g. `contracts/location/openapi.yaml`. */
  readonly path: string;
  readonly status: ContractStatus;
  readonly baseVersion: string | null;
  readonly headVersion: string | null;
  /** True when `info.version`'s major number went up: breaking changes are then allowed. */
  readonly majorBumped: boolean;
  readonly changes: readonly Change[];
  /** Breaking changes that are not covered by a major version bump. */
  readonly unmarkedBreaking: number;
}

/** A parsed, fully dereferenced OpenAPI document: plain JSON data, no `$ref` left. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
