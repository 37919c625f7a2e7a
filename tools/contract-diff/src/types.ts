/**
 * Whether a contract change can break an existing client.
 * - `breaking`: a client built against the base contract may fail against the new one.
 * - `non-breaking`: every client of the base contract keeps working.
 */
export type ChangeClass = 'breaking' | 'non-breaking';

/** oasdiff's severity of a change (after this repository's levels, `src/levels.ts`). */
export type ChangeLevel = 'error' | 'warning' | 'info';

/** The operation a change belongs to, as the contract names it. */
export interface OperationRef {
  /** Upper-case HTTP method, e.g. `GET`. */
  readonly method: string;
  /** Path template, e.g. `/loc/{userId}`. */
  readonly path: string;
  /** The operation's `operationId` on the base side (the head's when the operation is new). */
  readonly operationId?: string;
}

/** Where a change sits in a contract file, as oasdiff's source locator reports it. */
export interface SourceLine {
  /** `base` for something removed or changed away from, `head` for what is there now. */
  readonly side: 'base' | 'head';
  /** Repository-relative file, e.g. `contracts/common/components.yaml`. */
  readonly file: string;
  readonly line: number;
}

/** One classified difference between the base and the working-tree version of a contract. */
export interface Change {
  readonly class: ChangeClass;
  readonly level: ChangeLevel;
  /** Stable kind of change: an oasdiff check id (`request-property-removed`) or one of ours. */
  readonly code: string;
  /** Who classified it: oasdiff, or one of this repository's conventions (`src/conventions.ts`). */
  readonly origin: 'oasdiff' | 'convention';
  readonly operation?: OperationRef;
  /** Where it happened, e.g. `PUT /loc/{userId} › request body › /latitude`. */
  readonly location: string;
  /** The property path inside the body or parameter, as oasdiff writes it (`/items/items/altitude`). */
  readonly jsonPath?: string;
  /** What changed, in words, with the old and new values where they help. */
  readonly message: string;
  readonly source?: SourceLine;
}

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
