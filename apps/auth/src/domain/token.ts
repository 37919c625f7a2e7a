import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes: 256 bits, far beyond guessing, and 43 characters in base64url. */
export const TOKEN_BYTES = 32;

/** The authorizer's validation expression accepts exactly this shape (see the auth contract). */
const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/;

/** A freshly minted token: the secret for the client, the hash for the table. */
export interface MintedToken {
  readonly token: string;
  readonly tokenHash: string;
}

/**
 * SHA-256 of the token, hex. A table leak therefore yields no usable token; a fast hash is enough
 * because the token has 256 bits of entropy (unlike a password, nothing to brute-force).
 */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const mintToken = (): MintedToken => {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashToken(token) };
};

/** The token inside an `Authorization: Bearer <token>` value, or undefined when malformed. */
export const parseBearer = (authorization: string | undefined): string | undefined =>
  authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
