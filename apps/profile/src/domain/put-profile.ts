import { etagOf, parseIfMatch } from './etag';
import { NotProfileOwnerError, ProfileChangedError } from './errors';
import type { Profile, PutProfileRequest, StoredProfile } from './model';
import type { ProfileRepository } from './ports';

export interface PutProfileDependencies {
  readonly repository: ProfileRepository;
  /** Told about every accepted write (metric in the runtime). */
  readonly onProfileUpdated: (profile: StoredProfile, created: boolean) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface PutProfileInput {
  /** The authorizer's principal. */
  readonly callerId: string;
  /** The path's `userId`: whose profile is written. */
  readonly userId: string;
  /** The raw `If-Match` header, if sent. */
  readonly ifMatch: string | undefined;
  readonly request: PutProfileRequest;
}

export interface PutProfileResult {
  /** The profile as written; `location` is `null` because writes never ask the location service. */
  readonly profile: Profile;
  readonly etag: string;
  /** True when this write created the profile (201), false when it replaced one (200). */
  readonly created: boolean;
}

/**
 * Creates or replaces the owner's profile with optimistic concurrency: with `If-Match` the write
 * is a conditional update on the stored version, so of many writers that read the same version
 * exactly one succeeds and the others get 412; without `If-Match` it is unconditional. Every
 * write increments the version, and the new `ETag` is derived from it.
 */
export const createPutProfile =
  ({ repository, onProfileUpdated, now = () => new Date() }: PutProfileDependencies) =>
  async ({ callerId, userId, ifMatch, request }: PutProfileInput): Promise<PutProfileResult> => {
    if (callerId !== userId) throw new NotProfileOwnerError();
    const precondition = parseIfMatch(ifMatch);
    if (precondition.kind === 'version' && precondition.versions.length === 0) {
      // No tag in the header names a version we issue: it cannot match, whatever is stored.
      throw new ProfileChangedError();
    }

    const saved = await repository.save(
      {
        userId,
        displayName: request.displayName,
        bio: request.bio ?? '',
        updatedAt: now().toISOString(),
      },
      precondition,
    );
    if (saved === null) throw new ProfileChangedError();

    // Version 1 can only come from a write that found no profile: there is no delete.
    const created = precondition.kind === 'none' && saved.version === 1;
    onProfileUpdated(saved, created);
    const { version, ...fields } = saved;
    return { profile: { ...fields, location: null }, etag: etagOf(version), created };
  };
