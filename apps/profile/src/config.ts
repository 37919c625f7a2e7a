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

/** Settings of the location lookup that `GET /profile/{userId}` makes. */
export interface LocationLookupConfig {
  /**
   * `LOCATION_API_URL`: base URL of the location API including the stage, without a trailing
   * slash, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`.
   */
  readonly locationApiUrl: string;
  /** `LOCATION_LOOKUP_TIMEOUT_MS`: how long a GET waits for the location service. @default 1000 */
  readonly locationLookupTimeoutMs: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 1000;
/** API Gateway ends an integration after 29 s; a longer lookup budget could never be honoured. */
const MAX_LOOKUP_TIMEOUT_MS = 29_000;

type Environment = Readonly<Record<string, string | undefined>>;

export const parseStoreConfig = (env: Environment): ProfileStoreConfig => ({
  profilesTableName: required(env, 'PROFILES_TABLE_NAME'),
});

export const parseLocationLookupConfig = (env: Environment): LocationLookupConfig => ({
  locationApiUrl: baseUrl(env, 'LOCATION_API_URL'),
  locationLookupTimeoutMs: milliseconds(
    env,
    'LOCATION_LOOKUP_TIMEOUT_MS',
    DEFAULT_LOOKUP_TIMEOUT_MS,
  ),
});

/** Reads `process.env` once; handler modules call these at module scope (cold start). */
export const loadStoreConfig = (): ProfileStoreConfig => parseStoreConfig(process.env);
export const loadLocationLookupConfig = (): LocationLookupConfig =>
  parseLocationLookupConfig(process.env);

const required = (env: Environment, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new Error(`Missing required environment variable ${name}.`);
  return value;
};

const baseUrl = (env: Environment, name: string): string => {
  const raw = required(env, name);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Environment variable ${name} must be an absolute http(s) URL, got '${raw}'.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Environment variable ${name} must be an absolute http(s) URL, got '${raw}'.`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error(
      `Environment variable ${name} must not carry a query or fragment, got '${raw}'.`,
    );
  }
  // The client appends `/loc/{userId}`; a trailing slash would double it.
  return raw.replace(/\/+$/, '');
};

const milliseconds = (env: Environment, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_LOOKUP_TIMEOUT_MS) {
    throw new Error(
      `Environment variable ${name} must be a whole number of milliseconds from 1 to ${MAX_LOOKUP_TIMEOUT_MS}, got '${raw}'.`,
    );
  }
  return value;
};
