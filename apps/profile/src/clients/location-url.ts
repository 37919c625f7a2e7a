import { parseBaseUrl, type LocationApiSource } from '../config';

/** Where the lookup gets the location API's base URL for each call. */
export interface LocationUrlSource {
  /** The base URL to call now; rejects when it cannot be had (then the lookup fails, profile still answers). */
  current(): Promise<string>;
  /** The URL just failed (unreachable, or an answer no location API gives): read it afresh next time. */
  invalidate(): void;
}

/** Reads one SSM parameter; the default is Powertools Parameters', loaded on first use. */
export type ParameterReader = (
  name: string,
  options: { maxAge: number; forceFetch: boolean },
) => Promise<string | undefined>;

/**
 * Powertools Parameters' `getParameter` (cached per name for `maxAge` seconds, `forceFetch` skips
 * the cache), imported on the first lookup, not when the function loads: the SSM client is only
 * needed then, so a cold start does not pay for loading it.
 */
const powertoolsReader: ParameterReader = async (name, options) => {
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  return getParameter(name, options);
};

/**
 * The location API's base URL, as the configuration says: fixed, or the SSM parameter the location
 * stack publishes, read at run time and kept for `maxAgeSeconds`. Reading it at run time (not at
 * deployment) is what lets location change its URL (a replaced API) and deploy alone: profile
 * picks the new value up within `maxAgeSeconds`, or at once after a lookup failed.
 */
export const locationUrlSource = (
  source: LocationApiSource,
  read: ParameterReader = powertoolsReader,
): LocationUrlSource => {
  if (source.kind === 'url')
    return { current: async () => source.url, invalidate: () => undefined };
  let stale = false;
  return {
    current: async () => {
      const forceFetch = stale;
      stale = false;
      const value = await read(source.name, { maxAge: source.maxAgeSeconds, forceFetch });
      if (!value) throw new Error(`SSM parameter ${source.name} has no value`);
      return parseBaseUrl(value, `SSM parameter ${source.name}`);
    },
    invalidate: () => {
      stale = true;
    },
  };
};
