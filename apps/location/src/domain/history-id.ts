import { randomBytes } from 'node:crypto';

/**
 * A history item's identity: its ISO-8601 time, then a 16-hex-digit suffix, e.g.
 * `2026-11-27T10:15:30.123Z#1f3a9c0d5e7b2a41`. Sorting ids as strings sorts them by time, so
 * it can serve as a sort key; the suffix keeps two writes in the same millisecond apart.
 */
export type HistoryId = string;

/** Makes the next {@link HistoryId} for a write at `nowMs`. */
export type HistoryIdFactory = (nowMs: number) => HistoryId;

/** Matches exactly the ids {@link createHistoryIdFactory} makes. */
export const HISTORY_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{16}$/;

const SUFFIX_BYTES = 8;
const SUFFIX_DIGITS = SUFFIX_BYTES * 2;
// The top bit of a fresh suffix is cleared, leaving 2^63 increments of room within one millisecond.
const FRESH_SUFFIX_MASK = (1n << 63n) - 1n;

/**
 * Creates a generator of unique, time-ordered history ids. Each millisecond starts from a random
 * suffix (so separate Lambda instances do not collide); further ids in the same millisecond in
 * this process increment it (so they keep their call order, as in a monotonic ULID).
 *
 * @param random source of random bytes; injectable for tests. @default crypto.randomBytes
 */
export const createHistoryIdFactory = (
  random: (size: number) => Uint8Array = randomBytes,
): HistoryIdFactory => {
  let lastMs = Number.NaN;
  let lastSuffix = 0n;
  return (nowMs) => {
    if (nowMs === lastMs) {
      lastSuffix += 1n;
    } else {
      lastMs = nowMs;
      lastSuffix =
        BigInt(`0x${Buffer.from(random(SUFFIX_BYTES)).toString('hex')}`) & FRESH_SUFFIX_MASK;
    }
    return `${new Date(nowMs).toISOString()}#${lastSuffix.toString(16).padStart(SUFFIX_DIGITS, '0')}`;
  };
};
