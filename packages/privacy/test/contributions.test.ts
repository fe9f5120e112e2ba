import { clipContributions, seededRng } from '../src';

const users = (entries: Record<string, Record<string, number>>) =>
  new Map(Object.entries(entries).map(([user, counts]) => [user, new Map(Object.entries(counts))]));

const l1 = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>) =>
  [...new Set([...a.keys(), ...b.keys()])].reduce((s, k) => s + Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)), 0);

describe('clipContributions', () => {
  it('scales a user over the cap down proportionally and leaves users under it unchanged', () => {
    const totals = clipContributions(users({ heavy: { shoes: 6, hats: 4 }, light: { shoes: 1, bags: 1 }, exact: { hats: 3 } }), 3);
    expect(totals.get('shoes')).toBeCloseTo(6 * 0.3 + 1, 12);
    expect(totals.get('hats')).toBeCloseTo(4 * 0.3 + 3, 12);
    expect(totals.get('bags')).toBe(1);
    expect([...totals.keys()].sort()).toEqual(['bags', 'hats', 'shoes']);
  });

  it('makes a heavy user contribute exactly the cap in total', () => {
    const alone = clipContributions(users({ heavy: { a: 5, b: 3, c: 2 } }), 3);
    expect([...alone.values()].reduce((s, x) => s + x, 0)).toBeCloseTo(3, 12);
    expect(alone.get('a')).toBeCloseTo(1.5, 12);
  });

  it('bounds the L1 change from adding or removing any one user by the cap', () => {
    const rng = seededRng(8);
    const cap = 4;
    const population = new Map<string, Map<string, number>>();
    for (let u = 0; u < 50; u++) {
      const counts = new Map<string, number>();
      for (let e = Math.floor(rng() * 20); e > 0; e--) {
        const key = `k${Math.floor(rng() * 8)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      population.set(`u${u}`, counts);
    }
    const all = clipContributions(population, cap);
    let largest = 0;
    for (const user of population.keys()) {
      const without = new Map(population);
      without.delete(user);
      largest = Math.max(largest, l1(all, clipContributions(without, cap)));
    }
    expect(largest).toBeLessThanOrEqual(cap + 1e-9);
    // Some user is over the cap, so the bound is reached, not vacuous.
    expect(largest).toBeCloseTo(cap, 9);
  });

  it('returns an empty map for no users', () => {
    expect(clipContributions(new Map<string, Map<number, number>>(), 1).size).toBe(0);
  });
});
