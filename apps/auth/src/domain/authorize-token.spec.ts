import { createAuthorizeToken } from './authorize-token';
import type { TokenRecord, TokenStore } from './ports';
import { mintToken } from './token';

// Prepare: an in-memory TokenStore (a domain port, not a DynamoDB client; the DynamoDB adapter is
// covered against dynalite in test/). It lets these tests move the clock to the expiry boundary.
const storeWith = (...records: TokenRecord[]): TokenStore => {
  const byHash = new Map(records.map((record) => [record.tokenHash, record]));
  return {
    insert: async (record) => void byHash.set(record.tokenHash, record),
    find: async (hash) => byHash.get(hash),
    deleteLive: async (hash) => byHash.delete(hash),
  };
};

const NOW_SECONDS = 1_800_000_000;
const { token, tokenHash } = mintToken();
const record: TokenRecord = {
  tokenHash,
  userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
  username: 'alice_01',
  expiresAt: NOW_SECONDS + 60,
  createdAt: '2027-01-15T08:00:00.000Z',
};

const authorizeAt = (seconds: number, tokens: TokenStore = storeWith(record)) =>
  createAuthorizeToken({ tokens, now: () => seconds * 1000 + 999 });

describe('authorizeToken', () => {
  it('allows a live token as its user', async () => {
    await expect(authorizeAt(NOW_SECONDS)(`Bearer ${token}`)).resolves.toEqual({
      allowed: true,
      userId: record.userId,
      username: 'alice_01',
      expiresAt: record.expiresAt,
    });
  });

  it('allows a token in its last second', async () => {
    await expect(authorizeAt(record.expiresAt - 1)(`Bearer ${token}`)).resolves.toMatchObject({ allowed: true });
  });

  it('refuses a token from the second it expires', async () => {
    await expect(authorizeAt(record.expiresAt)(`Bearer ${token}`)).resolves.toEqual({
      allowed: false,
      reason: 'expired',
    });
  });

  it('refuses a well-formed token it does not know (never issued, or revoked)', async () => {
    await expect(authorizeAt(NOW_SECONDS)(`Bearer ${mintToken().token}`)).resolves.toEqual({
      allowed: false,
      reason: 'unknown',
    });
  });

  it('refuses a malformed header without looking anything up', async () => {
    const find = jest.fn();
    const tokens = { ...storeWith(record), find };

    await expect(authorizeAt(NOW_SECONDS, tokens)(token)).resolves.toEqual({ allowed: false, reason: 'malformed' });
    await expect(authorizeAt(NOW_SECONDS, tokens)(undefined)).resolves.toEqual({ allowed: false, reason: 'malformed' });
    expect(find).not.toHaveBeenCalled();
  });

  it('lets a store failure propagate rather than deciding', async () => {
    const tokens = { ...storeWith(record), find: () => Promise.reject(new Error('store down')) };

    await expect(authorizeAt(NOW_SECONDS, tokens)(`Bearer ${token}`)).rejects.toThrow('store down');
  });
});
