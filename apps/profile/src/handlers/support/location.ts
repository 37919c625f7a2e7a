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

const locationUrl = locationUrlSource(lookupConfig.locationApi);

export const locationLookup = createHttpLocationLookup({ baseUrl: locationUrl });

// Read the URL ahead, right after the module has loaded: loading the SSM client and the first
// GetParameter take a few hundred ms, which would otherwise come out of the first lookup's 1 s
// budget. Deferred with setImmediate so the import itself (the measured cold start) does not pay
// for it; a failure here is left to the first lookup, which reads again and reports it. Only in an
// execution environment (Lambda, or the local runtime, which set AWS_LAMBDA_FUNCTION_NAME): a test
// or a script that merely loads the module must not reach out to SSM.
if (process.env['AWS_LAMBDA_FUNCTION_NAME']) {
  setImmediate(() => {
    locationUrl.current().catch(() => undefined);
  });
}

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
