import { chargeable, overspent } from '../src';

describe('chargeable', () => {
  it('allows a release while spent + ε ≤ total', () => {
    expect(chargeable({ total: 1, spent: 0 }, 1)).toBe(true);
    expect(chargeable({ total: 1, spent: 0.5 }, 0.5)).toBe(true);
    expect(chargeable({ total: 1, spent: 0.5 }, 0.51)).toBe(false);
    expect(chargeable({ total: 0, spent: 0 }, 0.01)).toBe(false);
  });

  it('tolerates floating-point drift in a sum of epsilons, and nothing more', () => {
    const spent = 0.1 + 0.2; // 0.30000000000000004
    expect(spent + 0.3).toBeGreaterThan(0.6);
    expect(chargeable({ total: 0.6, spent }, 0.3)).toBe(true);
    expect(chargeable({ total: 0.6, spent: 0.3 }, 0.3 + 1e-8)).toBe(false);
  });
});

describe('overspent', () => {
  const budget = (spentEpsilon: number, spentDelta: number) => ({
    epsilon: { total: 10, spent: spentEpsilon },
    delta: { total: 1e-5, spent: spentDelta },
  });

  it('names the parameter a release would overspend, epsilon first', () => {
    expect(overspent(budget(9, 0), { epsilon: 1, delta: 1e-5 })).toBeNull();
    expect(overspent(budget(9, 0), { epsilon: 2, delta: 0 })).toBe('epsilon');
    expect(overspent(budget(0, 1e-5), { epsilon: 0.1, delta: 1e-6 })).toBe('delta');
    expect(overspent(budget(10, 1e-5), { epsilon: 1, delta: 1e-6 })).toBe('epsilon');
  });

  it('lets a pure release through whatever delta is left, even none or less than none', () => {
    expect(overspent({ epsilon: { total: 1, spent: 0 }, delta: { total: 0, spent: 0 } }, { epsilon: 1, delta: 0 })).toBeNull();
    expect(overspent({ epsilon: { total: 1, spent: 0 }, delta: { total: 1e-5, spent: 0.99 } }, { epsilon: 1, delta: 0 })).toBeNull();
  });

  it('tolerates drift in a sum of deltas relative to their size, so tiny deltas cannot slip past a spent budget', () => {
    const spent = 1e-5 + 2e-5; // 0.000030000000000000004
    const delta = (spentDelta: number) => ({ epsilon: { total: 10, spent: 0 }, delta: { total: 6e-5, spent: spentDelta } });
    expect(spent + 3e-5).toBeGreaterThan(6e-5);
    expect(overspent(delta(spent), { epsilon: 0.1, delta: 3e-5 })).toBeNull();
    // A fixed slack of 1e-9, fine for epsilons, would let a thousand of these through.
    expect(overspent(delta(6e-5), { epsilon: 0.1, delta: 1e-12 })).toBe('delta');
  });
});
