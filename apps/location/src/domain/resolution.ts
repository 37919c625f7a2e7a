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

/**
 * What a caller other than the owner sees of a location: the coordinates to 2 decimal places of a
 * degree — a cell about 1.1 km high and at most 1.1 km wide, the position within it off by at most
 * ~790 m — and an accuracy of at least {@link COARSE_ACCURACY_METRES}, which says so. Enough to
 * tell the city district someone is in; not their street, house or which way they walk. The
 * owner alone sees the recorded value. (The contract states the same, for the same reasons.)
 */
export const COARSE_COORDINATE_DECIMALS = 2;
/** The largest error 2-decimal rounding makes (half a cell's diagonal at the equator), rounded up. */
export const COARSE_ACCURACY_METRES = 800;

/** The location as a non-owner may see it. */
export function coarsened<T extends LocationFix>(location: T): T {
  return {
    ...location,
    latitude: roundTo(location.latitude, COARSE_COORDINATE_DECIMALS),
    longitude: roundTo(location.longitude, COARSE_COORDINATE_DECIMALS),
    accuracy: Math.max(location.accuracy ?? 0, COARSE_ACCURACY_METRES),
  };
}

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale + 0;
}
