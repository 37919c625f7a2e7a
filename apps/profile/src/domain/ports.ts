import type { WritePrecondition } from './etag';
import type { ProfileFields, ProfileLocation, StoredProfile } from './model';

/** Where profiles are kept (DynamoDB in `src/repository/`). */
export interface ProfileRepository {
  /** The stored profile, read consistently (so an `ETag` just returned by a write is seen), or `null`. */
  get(userId: string): Promise<StoredProfile | null>;
  /**
   * Sets the fields and increments `version` by one (1 for a new profile) in one atomic write, if
   * the precondition holds. Returns the profile as stored, or `null` when the precondition did
   * not hold; then nothing was written (a `version` precondition without versions never holds).
   */
  save(fields: ProfileFields, precondition: WritePrecondition): Promise<StoredProfile | null>;
}

/** Why a location lookup gave no answer. */
export type LocationLookupFailureReason =
  /** the location service did not answer within the budget */
  | 'timeout'
  /** no HTTP answer at all: connection refused or reset, DNS, TLS, a redirect */
  | 'unreachable'
  /** an HTTP status other than 200, or a 404 that is not the contract's "no location" */
  | 'error-status'
  /** a 200 whose body is not JSON or not the contract's `Location` for this user */
  | 'malformed'
  /** the caller no longer needed the answer (the profile does not exist) */
  | 'cancelled';

/** What a failed lookup tells the logs. Never carries the caller's token. */
export interface LocationLookupFailure {
  readonly reason: LocationLookupFailureReason;
  readonly elapsedMs: number;
  /** HTTP status, when there was one. */
  readonly status?: number;
  /** A short, token-free explanation: an error name and message, or the first contract violation. */
  readonly detail?: string;
}

export type LocationLookupResult =
  | { readonly outcome: 'found'; readonly location: ProfileLocation }
  /** The location service says this user has no location yet: not a failure. */
  | { readonly outcome: 'none' }
  | { readonly outcome: 'failed'; readonly failure: LocationLookupFailure };

export interface LocationLookupRequest {
  readonly userId: string;
  /** The caller's `Authorization` header, forwarded as is. */
  readonly authorization: string | undefined;
  /** How long to wait at most. */
  readonly timeoutMs: number;
  /** Aborts the lookup early when its answer is no longer needed. */
  readonly signal?: AbortSignal;
}

/**
 * Reads a user's current location from the location service. Never rejects: every way it can go
 * wrong is a `failed` result, so a profile is always answered.
 */
export interface LocationLookup {
  currentLocation(request: LocationLookupRequest): Promise<LocationLookupResult>;
}
