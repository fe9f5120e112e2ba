import { cooccurrencePairs, type CooccurrenceEvent } from '../src';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));
const event = (productId: string, minute: number, weight = 1): CooccurrenceEvent => ({ productId, weight, occurredAt: at(minute) });
const options = { windowSize: 3, maxGapMs: 30 * 60_000 };

describe('cooccurrencePairs', () => {
  it('pairs each fresh event with earlier events in both directions, weight = product', () => {
    const pairs = cooccurrencePairs([event('a', 0, 2)], [event('b', 5, 3)], options);
    expect(pairs).toEqual([
      { a: 'a', b: 'b', weight: 6 },
      { a: 'b', b: 'a', weight: 6 },
    ]);
  });

  it('does not re-pair history with itself, and pairs fresh events with earlier fresh ones once', () => {
    const pairs = cooccurrencePairs([event('a', 0), event('b', 1)], [event('c', 2), event('d', 3)], { windowSize: 10, maxGapMs: 3_600_000 });
    const keys = pairs.map((pair) => `${pair.a}${pair.b}`);
    expect(keys).not.toContain('ab');
    expect(keys.sort()).toEqual(['ac', 'ad', 'bc', 'bd', 'ca', 'cb', 'cd', 'da', 'db', 'dc']);
    expect(pairs.every((pair) => pair.weight === 1)).toBe(true);
  });

  it('respects the window and the gap', () => {
    const history = [event('old', 0), event('x', 50), event('y', 51), event('z', 52), event('w', 53)];
    const pairs = cooccurrencePairs(history, [event('f', 54)], options);
    // The window of 3 keeps y, z and w; 'old' is also past the 30-minute gap.
    expect(new Set(pairs.map((pair) => pair.b).filter((id) => id !== 'f'))).toEqual(new Set(['y', 'z', 'w']));
    expect(cooccurrencePairs([event('a', 0)], [event('b', 31)], options)).toEqual([]);
  });

  it('drops self pairs, counts a repeated product once at its heaviest, and aggregates over fresh events', () => {
    const pairs = cooccurrencePairs([event('a', 0, 1), event('a', 1, 5), event('b', 2)], [event('b', 3, 2), event('b', 4, 1)], {
      windowSize: 10,
      maxGapMs: 3_600_000,
    });
    // Fresh b@3 pairs with a (weight 5) → 10; fresh b@4 pairs with a (5) → 5; b-b is dropped.
    expect(pairs).toEqual([
      { a: 'a', b: 'b', weight: 15 },
      { a: 'b', b: 'a', weight: 15 },
    ]);
  });

  it('orders by time regardless of input order and ignores non-positive weights', () => {
    const pairs = cooccurrencePairs([event('later', 10), event('earlier', 1), event('skipped', 2, 0)], [event('f', 5)], { windowSize: 5, maxGapMs: 3_600_000 });
    expect(pairs.map((pair) => `${pair.a}>${pair.b}`)).toEqual(['earlier>f', 'f>earlier']);
  });

  it('refuses a bad window', () => {
    expect(() => cooccurrencePairs([], [], { windowSize: 0, maxGapMs: 1 })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'windowSize' }));
  });
});
