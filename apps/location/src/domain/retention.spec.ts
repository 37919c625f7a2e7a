import { expiresAtFor, isRetained } from './retention';

const AT = Date.parse('2026-11-27T10:15:30.999Z');

describe('retention', () => {
  it('expires an item the given number of whole days after it was written, in epoch seconds', () => {
    expect(expiresAtFor(AT, 30)).toBe(Math.floor(AT / 1000) + 30 * 86_400);
  });

  it('keeps an item until its expiry second and hides it from that second on', () => {
    const expiresAt = expiresAtFor(AT, 1);

    expect(isRetained(expiresAt, expiresAt * 1000 - 1)).toBe(true);
    expect(isRetained(expiresAt, expiresAt * 1000)).toBe(false);
    expect(isRetained(expiresAt, expiresAt * 1000 + 86_400_000)).toBe(false);
  });
});
