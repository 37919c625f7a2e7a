import { createHash } from 'node:crypto';
import { hashToken, mintToken, parseBearer } from './token';

describe('tokens', () => {
  it('mints 32 random bytes as 43 base64url characters', () => {
    const { token } = mintToken();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('mints a different token every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => mintToken().token));

    expect(tokens.size).toBe(50);
  });

  it('keys a token by the hex SHA-256 of the token, which does not contain it', () => {
    const { token, tokenHash } = mintToken();

    expect(tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokenHash).toBe(hashToken(token));
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).not.toContain(token);
  });

  const valid = 'A'.repeat(21) + '_-' + 'z09'.repeat(6) + 'q1';

  it.each([
    ['a bearer token', `Bearer ${valid}`, valid],
    ['no header', undefined, undefined],
    ['an empty header', '', undefined],
    ['another scheme', `Basic ${valid}`, undefined],
    ['a lower-case scheme', `bearer ${valid}`, undefined],
    ['a short token', `Bearer ${valid.slice(1)}`, undefined],
    ['a long token', `Bearer ${valid}x`, undefined],
    ['padding', `Bearer ${valid.slice(1)}=`, undefined],
    ['standard base64 characters', `Bearer ${valid.slice(1)}+`, undefined],
    ['trailing text', `Bearer ${valid} extra`, undefined],
    ['two spaces', `Bearer  ${valid}`, undefined],
  ])('parses %s', (_label, header, expected) => {
    expect(valid).toHaveLength(43);
    expect(parseBearer(header)).toBe(expected);
  });
});
