import { scryptSync } from 'node:crypto';
import {
  hashPassword,
  OWASP_SCRYPT,
  SALT_BYTES,
  scryptMaxmem,
  unmatchableHash,
  verifyPassword,
  type ScryptParameters,
} from './password';

// Cheap parameters for the behaviour tests; the OWASP cost is exercised once, where it matters.
const CHEAP: ScryptParameters = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const PASSWORD = 'correct horse battery staple';

describe('password hashing', () => {
  it('uses the OWASP scrypt parameters by default', () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1, keyLength: 32 });
  });

  it('raises maxmem above what N=2^17, r=8 needs, which Node’s 32 MiB default refuses', async () => {
    expect(scryptMaxmem(OWASP_SCRYPT)).toBeGreaterThanOrEqual(128 * OWASP_SCRYPT.N * OWASP_SCRYPT.r * 2);
    expect(() => scryptSync(PASSWORD, 'salt', 32, { N: OWASP_SCRYPT.N, r: 8, p: 1 })).toThrow(/memory/i);

    const stored = await hashPassword(PASSWORD);

    expect(stored).toMatchObject({ algorithm: 'scrypt', N: 131072, r: 8, p: 1, keyLength: 32 });
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(true);
  });

  it('stores a 16-byte salt and a key of the configured length beside the parameters', async () => {
    const stored = await hashPassword(PASSWORD, { ...CHEAP, keyLength: 64 });

    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(SALT_BYTES);
    expect(Buffer.from(stored.hash, 'base64')).toHaveLength(64);
    expect(stored).toMatchObject({ N: CHEAP.N, r: 8, p: 1, keyLength: 64 });
  });

  it('never contains the plaintext', async () => {
    const stored = await hashPassword(PASSWORD, CHEAP);

    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    expect(JSON.stringify(stored)).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('salts every hash, so one password hashed twice gives two different records', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD, CHEAP), hashPassword(PASSWORD, CHEAP)]);

    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it.each([
    ['the same password', PASSWORD, true],
    ['a different password', 'correct horse battery stapler', false],
    ['a different case', PASSWORD.toUpperCase(), false],
    ['an empty password', '', false],
  ])('verifies %s as %s', async (_label, attempt, expected) => {
    const stored = await hashPassword(PASSWORD, CHEAP);

    await expect(verifyPassword(attempt, stored)).resolves.toBe(expected);
  });

  it('checks with the parameters stored in the record, not today’s defaults', async () => {
    const older = await hashPassword(PASSWORD, { N: 2 ** 11, r: 4, p: 2, keyLength: 64 });

    await expect(verifyPassword(PASSWORD, older)).resolves.toBe(true);
  });

  it('treats composed and decomposed accents as the same password (NFKC)', async () => {
    const composed = 'caf\u00e9 au lait, bien s\u00fbr';
    const decomposed = 'cafe\u0301 au lait, bien su\u0302r';
    const stored = await hashPassword(composed, CHEAP);

    await expect(verifyPassword(decomposed, stored)).resolves.toBe(true);
  });

  it('refuses a record whose key length is corrupt instead of throwing', async () => {
    const stored = await hashPassword(PASSWORD, CHEAP);
    const truncated = { ...stored, hash: Buffer.from(stored.hash, 'base64').subarray(0, 16).toString('base64') };

    await expect(verifyPassword(PASSWORD, truncated)).resolves.toBe(false);
  });

  it('gives a stand-in hash with the requested cost that no password matches', async () => {
    const standIn = unmatchableHash(CHEAP);

    expect(standIn).toMatchObject({ algorithm: 'scrypt', ...CHEAP });
    await expect(verifyPassword(PASSWORD, standIn)).resolves.toBe(false);
    await expect(verifyPassword('', standIn)).resolves.toBe(false);
  });
});
