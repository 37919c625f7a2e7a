import type { components } from '@sm/contract-profile';

/** A profile as the contract shows it (`#/components/schemas/Profile`). */
export type Profile = components['schemas']['Profile'];

/** A location inside a profile (`#/components/schemas/ProfileLocation`, without its `null`). */
export type ProfileLocation = NonNullable<components['schemas']['ProfileLocation']>;

/** What the owner sends (`#/components/schemas/PutProfileRequest`). */
export type PutProfileRequest = components['schemas']['PutProfileRequest'];

/**
 * A profile as the table keeps it: the contract's fields minus `location` (owned by the location
 * service, never copied here) plus the `version` the `ETag` is derived from.
 */
export type StoredProfile = Omit<Profile, 'location'> & { readonly version: number };

/** The fields one write sets; the repository assigns the version. */
export type ProfileFields = Omit<StoredProfile, 'version'>;
