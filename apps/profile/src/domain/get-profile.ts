import { etagOf } from './etag';
import { ProfileNotFoundError } from './errors';
import type { Profile } from './model';
import type {
  LocationLookup,
  LocationLookupFailure,
  LocationLookupResult,
  ProfileRepository,
} from './ports';

export interface GetProfileDependencies {
  readonly repository: ProfileRepository;
  readonly locations: LocationLookup;
  /** Told about every lookup failure of a profile that exists (log + metric in the runtime). */
  readonly onLocationLookupFailed: (userId: string, failure: LocationLookupFailure) => void;
}

export interface GetProfileInput {
  readonly userId: string;
  /** The caller's `Authorization` header, forwarded to the location service. */
  readonly authorization: string | undefined;
  /** How long to wait for the location service (see `lookupBudgetMs`). */
  readonly lookupTimeoutMs: number;
}

export interface ProfileView {
  readonly profile: Profile;
  readonly etag: string;
}

/**
 * Reads a profile and the user's current location side by side, so the GET takes as long as the
 * slower of the two and never longer than the lookup budget beyond the table read. A location
 * that is missing, late or broken leaves `location: null`; only an unexpected failure of the
 * profile's own table fails the request.
 */
export const createGetProfile =
  ({ repository, locations, onLocationLookupFailed }: GetProfileDependencies) =>
  async ({ userId, authorization, lookupTimeoutMs }: GetProfileInput): Promise<ProfileView> => {
    const cancel = new AbortController();
    const lookup = settle(
      locations.currentLocation({
        userId,
        authorization,
        timeoutMs: lookupTimeoutMs,
        signal: cancel.signal,
      }),
    );

    let stored;
    try {
      stored = await repository.get(userId);
    } finally {
      // Without a profile (or after a table failure) the location is not needed: stop waiting.
      if (!stored) cancel.abort();
    }
    if (stored === null) throw new ProfileNotFoundError();

    const result = await lookup;
    if (result.outcome === 'failed') onLocationLookupFailed(userId, result.failure);
    const { version, ...fields } = stored;
    return {
      profile: { ...fields, location: result.outcome === 'found' ? result.location : null },
      etag: etagOf(version),
    };
  };

/** The port promises never to reject; this keeps a broken adapter from failing a profile read. */
const settle = (pending: Promise<LocationLookupResult>): Promise<LocationLookupResult> => {
  const started = Date.now();
  return pending.catch((error: unknown): LocationLookupResult => ({
    outcome: 'failed',
    failure: {
      reason: 'unreachable',
      elapsedMs: Date.now() - started,
      detail: String((error as { name?: unknown } | null)?.name ?? 'non-error rejection'),
    },
  }));
};
