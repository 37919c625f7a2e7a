const SECONDS_PER_DAY = 86_400;

/** Epoch seconds after which a history item recorded at `nowMs` is gone (DynamoDB TTL format). */
export const expiresAtFor = (nowMs: number, retentionDays: number): number =>
  Math.floor(nowMs / 1000) + retentionDays * SECONDS_PER_DAY;

/**
 * Whether an item with this `expiresAt` is still visible at `nowMs`. DynamoDB's TTL deletes
 * expired items days late and dynalite never does, so every read applies this rule itself.
 */
export const isRetained = (expiresAt: number, nowMs: number): boolean =>
  expiresAt > Math.floor(nowMs / 1000);
