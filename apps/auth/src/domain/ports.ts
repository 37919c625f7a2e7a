import type { PasswordHash } from './password';

/** A registered user as stored. `password` is the scrypt hash; the plaintext is never kept. */
export interface UserRecord {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly password: PasswordHash;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
}

/** An issued token as stored: keyed by its SHA-256 hash, never by the token itself. */
export interface TokenRecord {
  readonly tokenHash: string;
  readonly userId: string;
  readonly username: string;
  /** Epoch seconds; the token is live while `expiresAt > now`. Also the table's TTL attribute. */
  readonly expiresAt: number;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
}

/** Where users live. Implemented over DynamoDB in `repository/`. */
export interface UserStore {
  /** Writes the user unless the username exists; false when it does (nothing is written then). */
  insert(user: UserRecord): Promise<boolean>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
}

/** Where token hashes live. Implemented over DynamoDB in `repository/`. */
export interface TokenStore {
  insert(token: TokenRecord): Promise<void>;
  /** A strongly consistent read, so a revocation is seen by the very next lookup. */
  find(tokenHash: string): Promise<TokenRecord | undefined>;
  /**
   * Deletes the token if it belongs to `userId` and is still live at `nowSeconds`; false (and
   * nothing deleted) otherwise.
   */
  deleteLive(tokenHash: string, userId: string, nowSeconds: number): Promise<boolean>;
}

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;

export const epochSeconds = (millis: number): number => Math.floor(millis / 1000);

/** The answer to "may this username try a password now?". */
export type SignInAttempt =
  /** Counted: `failures` attempts of the window so far including this one; `locks` so far. */
  | { readonly allowed: true; readonly failures: number; readonly locks: number }
  /** Refused without counting: locked, or the window's attempts are all used. */
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Sign-in attempts per username, the store of the lockout (`signInLimits`). Implemented over
 * DynamoDB in `repository/`, atomically: concurrent attempts never get more than the allowed
 * number through.
 */
export interface SignInAttempts {
  /** Counts an attempt before the password is checked, or refuses it. */
  begin(username: string, nowSeconds: number): Promise<SignInAttempt>;
  /** The counted attempt failed: locks the username when it was the window's last one. */
  failed(username: string, attempt: SignInAttempt & { allowed: true }, nowSeconds: number): Promise<void>;
  /** A successful sign-in: forgets the username's attempts and locks. */
  succeeded(username: string): Promise<void>;
}
