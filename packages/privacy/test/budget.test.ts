import { chargeable } from '../src';

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
