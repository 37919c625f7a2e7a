import type { LocationFix } from './model';

/**
 * Positions are recorded to 9 decimal places of a degree (about 0.1 mm) and accuracy to the
 * millimetre. Finer digits carry no information a GPS fix can have, and rounding keeps every value
 * storable: DynamoDB (and the embedded store) refuse non-zero numbers smaller than 1e-130, which a
 * client may well send (`2.2e-309` is a valid latitude).
 */
export const COORDINATE_DECIMALS = 9;
export const ACCURACY_DECIMALS = 3;

/** The fix as it is recorded: each number rounded to its resolution, `-0` written as `0`. */
export function atRecordedResolution(fix: LocationFix): LocationFix {
  return {
    latitude: roundTo(fix.latitude, COORDINATE_DECIMALS),
    longitude: roundTo(fix.longitude, COORDINATE_DECIMALS),
    ...(fix.accuracy === undefined ? {} : { accuracy: roundTo(fix.accuracy, ACCURACY_DECIMALS) }),
  };
}

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale + 0;
}
