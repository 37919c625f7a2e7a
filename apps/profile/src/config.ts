/**
 * The profile service's settings, from its Lambda environment (see the CDK stack). Each function
 * parses what it needs once, at cold start, and fails fast naming the missing or bad variable:
 * both functions need the table; only `get-profile` talks to the location service.
 */

/** Settings every profile function needs. */
export interface ProfileStoreConfig {
  /** `PROFILES_TABLE_NAME`: the profiles table (see `tables.ts`). */
  readonly profilesTableName: string;
}

/**
 * Where the location API's base URL comes from: the SSM parameter location publishes, read at run
 * time (what the stack sets), or a fixed URL (tests, benchmarks, a local override).
 */
export type LocationApiSource =
  | {
      readonly kind: 'parameter';
      /** `LOCATION_API_URL_PARAMETER`: e.g. `/sm/prod/location/api-url`. */
      readonly name: string;
      /** `LOCATION_API_URL_MAX_AGE_SECONDS`: how long a value read is reused. @default 60 */
      readonly maxAgeSeconds: number;
    }
  | {
      readonly kind: 'url';
      /**
       * `LOCATION_API_URL`: base URL of the location API including the stage, without a trailing
       * slash, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`.
       */
      readonly url: string;
    };

/** Settings of the location lookup that `GET /profile/{userId}` makes. */
export interface LocationLookupConfig {
  readonly locationApi: LocationApiSource;
  /** `LOCATION_LOOKUP_TIMEOUT_MS`: how long a GET waits for the location service. @default 1000 */
  readonly locationLookupTimeoutMs: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 1000;
const DEFAULT_URL_MAX_AGE_SECONDS = 60;
const MAX_URL_MAX_AGE_SECONDS = 3600;
/** API Gateway ends an integration after 29 s; a longer lookup budget could never be honoured. */
const MAX_LOOKUP_TIMEOUT_MS = 29_000;

type Environment = Readonly<Record<string, string | undefined>>;

export const parseStoreConfig = (env: Environment): ProfileStoreConfig => ({
  profilesTableName: required(env, 'PROFILES_TABLE_NAME'),
});

export const parseLocationLookupConfig = (env: Environment): LocationLookupConfig => ({
  locationApi: locationApiSource(env),
  locationLookupTimeoutMs: wholeNumber(env, 'LOCATION_LOOKUP_TIMEOUT_MS', {
    unit: 'milliseconds',
    max: MAX_LOOKUP_TIMEOUT_MS,
    fallback: DEFAULT_LOOKUP_TIMEOUT_MS,
  }),
});

/** Reads `process.env` once; handler modules call these at module scope (cold start). */
export const loadStoreConfig = (): ProfileStoreConfig => parseStoreConfig(process.env);
export const loadLocationLookupConfig = (): LocationLookupConfig =>
  parseLocationLookupConfig(process.env);

const locationApiSource = (env: Environment): LocationApiSource => {
  const url = env['LOCATION_API_URL']?.trim();
  const parameter = env['LOCATION_API_URL_PARAMETER']?.trim();
  if (url && parameter) {
    throw new Error(
      'Set one of LOCATION_API_URL_PARAMETER (the SSM parameter, as deployed) and LOCATION_API_URL (a fixed URL), not both.',
    );
  }
  if (url) return { kind: 'url', url: baseUrl(env, 'LOCATION_API_URL') };
  if (!parameter) {
    throw new Error(
      'Missing required environment variable LOCATION_API_URL_PARAMETER (or LOCATION_API_URL for a fixed URL).',
    );
  }
  if (!/^\/[A-Za-z0-9_.\-/]+$/.test(parameter)) {
    throw new Error(
      `Environment variable LOCATION_API_URL_PARAMETER must be an SSM parameter name like /sm/prod/location/api-url, got '${parameter}'.`,
    );
  }
  return {
    kind: 'parameter',
    name: parameter,
    maxAgeSeconds: wholeNumber(env, 'LOCATION_API_URL_MAX_AGE_SECONDS', {
      unit: 'seconds',
      max: MAX_URL_MAX_AGE_SECONDS,
      fallback: DEFAULT_URL_MAX_AGE_SECONDS,
    }),
  };
};

/**
 * A base URL as the lookup needs it: absolute http(s), no query or fragment, no trailing slash.
 * Used for `LOCATION_API_URL` and for the value read from SSM; `source` names it in errors.
 */
export const parseBaseUrl = (raw: string, source: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${source} must be an absolute http(s) URL, got '${raw}'.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${source} must be an absolute http(s) URL, got '${raw}'.`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error(`${source} must not carry a query or fragment, got '${raw}'.`);
  }
  // The client appends `/loc/{userId}`; a trailing slash would double it.
  return raw.replace(/\/+$/, '');
};

const required = (env: Environment, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new Error(`Missing required environment variable ${name}.`);
  return value;
};

const baseUrl = (env: Environment, name: string): string =>
  parseBaseUrl(required(env, name), `Environment variable ${name}`);

/** A whole number of `unit` from 1 to `max`, or `fallback` when unset; fails fast naming the variable. */
const wholeNumber = (
  env: Environment,
  name: string,
  { unit, max, fallback }: { unit: string; max: number; fallback: number },
): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(
      `Environment variable ${name} must be a whole number of ${unit} from 1 to ${max}, got '${raw}'.`,
    );
  }
  return value;
};
