import { createHistoryIdFactory, HISTORY_ID_PATTERN } from './history-id';

const AT = Date.parse('2026-11-27T10:15:30.123Z');
const fixedBytes = (byte: number) => (size: number) => new Uint8Array(size).fill(byte);

describe('createHistoryIdFactory', () => {
  it('starts an id with the ISO time of the write so ids sort by time', () => {
    const next = createHistoryIdFactory();

    const id = next(AT);

    expect(id).toMatch(HISTORY_ID_PATTERN);
    expect(id.startsWith('2026-11-27T10:15:30.123Z#')).toBe(true);
  });

  it('gives two writes in the same millisecond different ids, in call order', () => {
    const next = createHistoryIdFactory();

    const ids = Array.from({ length: 50 }, () => next(AT));

    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps the order across a millisecond boundary whatever the random suffixes are', () => {
    // The first millisecond draws the largest possible suffix, the next the smallest.
    let call = 0;
    const next = createHistoryIdFactory((size) => fixedBytes(call++ === 0 ? 0xff : 0x00)(size));

    const first = next(AT);
    const second = next(AT + 1);

    expect(first < second).toBe(true);
  });

  it('clears the top bit of a fresh suffix so increments within a millisecond never overflow its width', () => {
    const next = createHistoryIdFactory(fixedBytes(0xff));

    const first = next(AT);
    const second = next(AT);

    expect(first.endsWith('#7fffffffffffffff')).toBe(true);
    expect(second.endsWith('#8000000000000000')).toBe(true);
    expect(second).toMatch(HISTORY_ID_PATTERN);
  });

  it('draws independent suffixes in separate factories (separate Lambda instances)', () => {
    const a = createHistoryIdFactory();
    const b = createHistoryIdFactory();

    expect(a(AT)).not.toBe(b(AT));
  });
});
