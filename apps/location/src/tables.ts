import type { TableDefinition } from '@sm/dynamo';

/**
 * One table holds both a user's current location and their history, in the user's partition:
 *
 * | userId (pk) | sk (sort key)                                 | item                       |
 * |-------------|-----------------------------------------------|----------------------------|
 * | `<userId>`  | `CURRENT`                                     | the current location       |
 * | `<userId>`  | `H#2026-11-27T10:15:30.123Z#1f3a9c0d5e7b2a41` | one history item, TTL'd    |
 *
 * Why one table: every access is by one user (get current, page history, write both), so one
 * partition serves all three with a GetItem or one Query; there is one thing to provision, back
 * up and grant. History ids sort by time, so `begins_with(sk, 'H#')` newest-first is the
 * history. Only history items carry `expiresAt`, so TTL never removes the current location.
 */
export const locationsTable = {
  id: 'Locations',
  partitionKey: { name: 'userId', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/** Every table of the service, for the stack and for tests. */
export const tables = [locationsTable] as const;
