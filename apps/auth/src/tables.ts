import type { TableDefinition } from '@sm/dynamo';

/**
 * Users, keyed by username: the key is what makes a username unique (a conditional put with
 * `attribute_not_exists`), since the local store has no transactions.
 */
export const usersTable = {
  id: 'Users',
  partitionKey: { name: 'username', type: 'S' },
} as const satisfies TableDefinition;

/**
 * Tokens, keyed by the SHA-256 of the token (never the token). `expiresAt` (epoch seconds) is the
 * TTL attribute, but only as cleanup: expiry is enforced in code because TTL deletion is late.
 */
export const tokensTable = {
  id: 'Tokens',
  partitionKey: { name: 'tokenHash', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/**
 * Sign-in attempts per username (the lockout of `POST /tokens`, `signInLimits`), keyed by the
 * username as sent, known or not. `expiresAt` is the TTL attribute; expiry is enforced in code too.
 */
export const signInAttemptsTable = {
  id: 'SignInAttempts',
  partitionKey: { name: 'username', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/** Every table the auth service owns, for the stack and for tests. */
export const tables = [usersTable, tokensTable, signInAttemptsTable] as const;
