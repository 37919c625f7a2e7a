import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseUrl, type LocationApiSource } from '../config';

/** Where the lookup gets the location API's base URL for each call. */
export interface LocationUrlSource {
  /**
   * The base URL to call now; rejects when it cannot be had (then the lookup fails, profile still
   * answers). Calls while a read is in flight share it.
   */
  current(): Promise<string>;
  /** The URL just failed (unreachable, or an answer no location API gives): read it afresh next time. */
  invalidate(): void;
}

/** Reads one SSM parameter; the default is Powertools Parameters', loaded on first use. */
export type ParameterReader = (
  name: string,
  options: { maxAge: number; forceFetch: boolean },
) => Promise<string | undefined>;

/** File name of the Powertools Parameters bundle that get-profile's asset carries beside its bundle. */
export const SSM_PARAMETERS_BUNDLE_FILE = 'ssm-parameters.js';

const PARAMETERS_PACKAGE = '@aws-lambda-powertools/parameters/ssm';

/**
 * Powertools Parameters' `getParameter` (cached per name for `maxAge` seconds, `forceFetch` skips
 * the cache), loaded on the first lookup: from `ssm-parameters.js` beside the bundle when deployed
 * (get-profile's bundle does not contain Powertools Parameters nor the SSM client, some 200 KB its
 * cold start would parse for nothing), from the package when run from source (Jest, tsx). The
 * specifiers are variables so esbuild leaves both requires to run time, as for the tracer.
 */
const powertoolsReader: ParameterReader = async (name, options) => {
  const besideBundle = join(__dirname, SSM_PARAMETERS_BUNDLE_FILE);
  const specifier = existsSync(besideBundle) ? besideBundle : PARAMETERS_PACKAGE;
  const { getParameter } = require(
    specifier,
  ) as typeof import('@aws-lambda-powertools/parameters/ssm');
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
  // One read at a time: a lookup that starts while the prefetch (or another lookup) is reading
  // waits for that read instead of issuing its own.
  let reading: Promise<string> | undefined;
  const read1 = async (forceFetch: boolean): Promise<string> => {
    const value = await read(source.name, { maxAge: source.maxAgeSeconds, forceFetch });
    if (!value) throw new Error(`SSM parameter ${source.name} has no value`);
    return parseBaseUrl(value, `SSM parameter ${source.name}`);
  };
  return {
    current: () => {
      if (reading) return reading;
      const forceFetch = stale;
      stale = false;
      reading = read1(forceFetch).finally(() => {
        reading = undefined;
      });
      return reading;
    },
    invalidate: () => {
      stale = true;
    },
  };
};
