import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Cost parameters of one scrypt hash; stored with every hash so they can be raised later. */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
  /** Length of the derived key in bytes. */
  readonly keyLength: number;
}

/** A stored password: never the plaintext, only what is needed to check a later attempt. */
export interface PasswordHash extends ScryptParameters {
  readonly algorithm: 'scrypt';
  /** Per-user random salt, base64. */
  readonly salt: string;
  /** The derived key, base64. */
  readonly hash: string;
}

/**
 * OWASP Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt
 */
export const OWASP_SCRYPT: ScryptParameters = Object.freeze({ N: 2 ** 17, r: 8, p: 1, keyLength: 32 });

export const SALT_BYTES = 16;

/**
 * scrypt needs about 128·N·r bytes; Node refuses anything above `maxmem` (32 MiB by default,
 * which N=2^17, r=8 = 128 MiB exceeds). Twice the need leaves room for the p and bookkeeping terms.
 */
export const scryptMaxmem = ({ N, r, p }: ScryptParameters): number => 128 * N * r * 2 + 128 * r * p;

const derive = (password: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> => {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: scryptMaxmem(params) };
  // The async form runs on libuv's thread pool: a 0.1–0.5 s hash never blocks the event loop.
  return new Promise((resolve, reject) => {
    scrypt(normalise(password), salt, params.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
};

/**
 * NIST SP 800-63B asks verifiers to normalise Unicode before hashing, so the same password typed
 * on two keyboards (composed vs decomposed accents) matches.
 */
const normalise = (password: string): string => password.normalize('NFKC');

/** Hashes a new password with a fresh random salt. */
export const hashPassword = async (
  password: string,
  params: ScryptParameters = OWASP_SCRYPT,
): Promise<PasswordHash> => {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return {
    algorithm: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    keyLength: params.keyLength,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
};

/**
 * Checks a password against a stored hash, with the parameters stored beside it, and compares the
 * keys with `timingSafeEqual` so the time taken says nothing about how many bytes matched.
 */
export const verifyPassword = async (password: string, stored: PasswordHash): Promise<boolean> => {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  // Lengths differ only for a corrupt record; timingSafeEqual would throw on them.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

/**
 * A hash no password matches (random key, random salt) with the given cost. Checking a password
 * against it when the user does not exist spends the same scrypt time as a real check, so response
 * time does not reveal which usernames exist.
 */
export const unmatchableHash = (params: ScryptParameters = OWASP_SCRYPT): PasswordHash => ({
  algorithm: 'scrypt',
  N: params.N,
  r: params.r,
  p: params.p,
  keyLength: params.keyLength,
  salt: randomBytes(SALT_BYTES).toString('base64'),
  hash: randomBytes(params.keyLength).toString('base64'),
});

