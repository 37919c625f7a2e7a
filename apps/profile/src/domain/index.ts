export * from './errors';
export { etagOf, parseIfMatch, type WritePrecondition } from './etag';
export {
  createGetProfile,
  type GetProfileDependencies,
  type GetProfileInput,
  type ProfileView,
} from './get-profile';
export { lookupBudgetMs, RESPONSE_RESERVE_MS } from './lookup-budget';
export type {
  Profile,
  ProfileFields,
  ProfileLocation,
  PutProfileRequest,
  StoredProfile,
} from './model';
export type {
  LocationLookup,
  LocationLookupFailure,
  LocationLookupFailureReason,
  LocationLookupRequest,
  LocationLookupResult,
  ProfileRepository,
} from './ports';
export {
  createPutProfile,
  type PutProfileDependencies,
  type PutProfileInput,
  type PutProfileResult,
} from './put-profile';
