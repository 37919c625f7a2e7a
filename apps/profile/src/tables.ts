import type { TableDefinition } from '@sm/dynamo';

/**
 * One item per user, keyed by `userId`:
 *
 * | userId (pk) | displayName | bio      | updatedAt                  | version |
 * |-------------|-------------|----------|----------------------------|---------|
 * | `<userId>`  | `Alice`     | `…`      | `2026-11-27T10:20:00.000Z` | `3`     |
 *
 * `version` is what the `ETag` is derived from (`"v3"`); every write increments it atomically and
 * a write with `If-Match` is a conditional update on it. The location is never stored here: it is
 * read from the location service on every GET.
 */
export const profilesTable = {
  id: 'Profiles',
  partitionKey: { name: 'userId', type: 'S' },
} as const satisfies TableDefinition;

/** Every table of the service, for the stack and for tests. */
export const tables = [profilesTable] as const;
