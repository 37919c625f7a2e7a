import {
  createLocationClient,
  getLocationValidators,
  type components,
  type LocationClient,
} from '@sm/contract-location';
import type {
  LocationLookup,
  LocationLookupFailure,
  LocationLookupResult,
  ProfileLocation,
} from '../domain';
import type { LocationUrlSource } from './location-url';

/** A location as the location service's contract defines it. */
type Location = components['schemas']['Location'];

/**
 * Maps location's `Location` onto profile's `ProfileLocation`, field by field. Both types come
 * from their contracts, so a change to either (a renamed, retyped, removed or newly required
 * field) stops this from compiling instead of drifting at run time.
 */
export const toProfileLocation = (location: Location): ProfileLocation => ({
  latitude: location.latitude,
  longitude: location.longitude,
  ...(location.accuracy === undefined ? {} : { accuracy: location.accuracy }),
  updatedAt: location.updatedAt,
});

/** Options of {@link createHttpLocationLookup}. */
export interface HttpLocationLookupOptions {
  /** Base URL of the location API, stage included: fixed, or where to read it for each call. */
  readonly baseUrl: string | LocationUrlSource;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

const NOT_FOUND_TYPE = 'urn:problem-type:not-found';
// getLocation's alone: the get-profile bundle carries no other location validator.
const validateLocation = getLocationValidators.responses['200'];
const validateNotFound = getLocationValidators.responses['404'];

/**
 * Reads current locations through the location service's published contract: its generated
 * openapi-fetch client, the caller's `Authorization` forwarded, every answer checked against the
 * contract's response validators. It never rejects; see {@link LocationLookup}.
 */
export const createHttpLocationLookup = (options: HttpLocationLookupOptions): LocationLookup => {
  // Built on the first lookup, not when the function's module loads: openapi-fetch reads
  // `globalThis.Request` when it creates a client, and that makes Node load its fetch
  // implementation (undici, some 40-60 ms of CPU). The first lookup needs it anyway, so this moves
  // that cost from the import to the first call; it does not remove it (the bench's `first call`).
  // One client per base URL: a new URL (location's API replaced) gets a new client.
  let client: { baseUrl: string; client: LocationClient } | undefined;
  const clientOf = (baseUrl: string): LocationClient => {
    if (client?.baseUrl !== baseUrl) {
      client = {
        baseUrl,
        client: createLocationClient({
          baseUrl,
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        }),
      };
    }
    return client.client;
  };
  const source: LocationUrlSource =
    typeof options.baseUrl === 'string'
      ? { current: async () => options.baseUrl as string, invalidate: () => undefined }
      : options.baseUrl;

  return {
    currentLocation: async ({ userId, authorization, timeoutMs, signal }) => {
      const started = performance.now();
      const failed = (failure: Omit<LocationLookupFailure, 'elapsedMs'>): LocationLookupResult => ({
        outcome: 'failed',
        failure: { ...failure, elapsedMs: Math.round(performance.now() - started) },
      });
      const timeout = AbortSignal.timeout(timeoutMs);
      const abandoned = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
      const whyAbandoned = (what: string): LocationLookupResult | undefined => {
        if (timeout.aborted)
          return failed({ reason: 'timeout', detail: `no ${what} within ${timeoutMs} ms` });
        if (signal?.aborted) return failed({ reason: 'cancelled' });
        return undefined;
      };

      let baseUrl: string;
      try {
        // Reading the URL (SSM on a cache miss) counts against the same budget as the call.
        baseUrl = await untilAborted(source.current(), abandoned);
      } catch (thrown) {
        return (
          whyAbandoned('location API URL') ??
          failed({ reason: 'unreachable', detail: `no location API URL: ${describe(thrown)}` })
        );
      }

      const result = await (async (): Promise<LocationLookupResult> => {
        try {
          const { data, error, response } = await clientOf(baseUrl).GET('/loc/{userId}', {
            params: { path: { userId } },
            headers: authorization === undefined ? {} : { Authorization: authorization },
            // The timeout covers the whole exchange, body included.
            signal: abandoned,
            // Never carry the caller's token anywhere the contract did not name.
            redirect: 'error',
          });
          if (response.status === 404) {
            // "No location yet" is the contract's not-found problem. Any other 404 (API Gateway's
            // route-not-found behind a wrong base URL) is a failure, not a quiet null.
            return validateNotFound(error) && error.type === NOT_FOUND_TYPE
              ? { outcome: 'none' }
              : failed({
                  reason: 'error-status',
                  status: 404,
                  detail: "not the contract's not-found problem",
                });
          }
          if (response.status !== 200)
            return failed({ reason: 'error-status', status: response.status });
          if (!validateLocation(data)) {
            const first = validateLocation.errors?.[0];
            return failed({
              reason: 'malformed',
              status: 200,
              detail: first
                ? `body${first.instancePath} ${first.message ?? first.keyword}`
                : 'body does not match Location',
            });
          }
          if (data.userId !== userId) {
            return failed({ reason: 'malformed', status: 200, detail: 'location of another user' });
          }
          return { outcome: 'found', location: toProfileLocation(data) };
        } catch (thrown) {
          const abandonedWhy = whyAbandoned('answer');
          if (abandonedWhy) return abandonedWhy;
          if (nameOf(thrown) === 'SyntaxError') {
            return failed({ reason: 'malformed', status: 200, detail: 'body is not JSON' });
          }
          return failed({ reason: 'unreachable', detail: describe(thrown) });
        }
      })();
      // An unreachable API or an answer no location API gives may mean the URL changed (location's
      // API replaced): the next lookup reads it afresh instead of waiting for the cache to expire.
      if (
        result.outcome === 'failed' &&
        (result.failure.reason === 'unreachable' || result.failure.reason === 'error-status')
      ) {
        source.invalidate();
      }
      return result;
    },
  };
};

/** The promise's outcome, or a rejection as soon as `signal` aborts (the promise is left to settle). */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });

/**
 * Errors are read by shape, not `instanceof`: fetch's errors may come from another realm (undici
 * inside Node, a test VM), where `instanceof SyntaxError` is false for a real SyntaxError.
 */
const nameOf = (error: unknown): string | undefined => {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
};

/**
 * Error name and message, plus the cause's code (`ECONNREFUSED`): enough to act on. Fetch errors
 * name the URL at most, never the request headers, so the caller's token stays out of the logs.
 */
const describe = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) return 'non-error thrown';
  const { message, cause } = error as { message?: unknown; cause?: { code?: unknown } };
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `${nameOf(error) ?? 'Error'}: ${typeof message === 'string' ? message : ''}${code}`;
};
