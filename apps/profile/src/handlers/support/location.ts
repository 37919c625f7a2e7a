import { createHttpLocationLookup } from '../../clients/location-lookup';
import { locationUrlSource } from '../../clients/location-url';
import { loadLocationLookupConfig } from '../../config';
import type { LocationLookupFailure } from '../../domain';
import { observability } from './runtime';

/**
 * The location lookup of `get-profile` only: `put-profile` never calls the location service, so
 * its bundle carries neither this client nor location's validators, nor needs the location URL.
 */
export const lookupConfig = loadLocationLookupConfig();

export const locationLookup = createHttpLocationLookup({
  baseUrl: locationUrlSource(lookupConfig.locationApi),
});

/** One WARN line and one `LocationLookupFailed` count per failed lookup; never the token. */
export const reportLocationLookupFailed = (
  userId: string,
  failure: LocationLookupFailure,
): void => {
  observability.logger.warn('Location lookup failed; answering the profile with location: null', {
    userId,
    locationLookup: failure,
  });
  observability.countMetric('LocationLookupFailed');
};
