import { betaTail, logBeta, logGamma } from '../src/special';

/** P(Bin(n, x) ≤ k), summed term by term: an independent route to the Beta tail for integer shapes. */
function binomialCdf(n: number, x: number, k: number): number {
  let term = Math.pow(1 - x, n);
  let total = term;
  for (let i = 1; i <= k; i++) {
    term *= ((n - i + 1) / i) * (x / (1 - x));
    total += term;
  }
  return total;
}

describe('logGamma', () => {
  it.each([
    [1, 0],
    [5, Math.log(24)],
    [0.5, 0.5 * Math.log(Math.PI)],
    [0.1, Math.log(9.513507698668732)],
    [171, Math.log(7.257415615307994e306)],
  ])('ln Γ(%p)', (a, expected) => {
    expect(Math.abs(logGamma(a) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
  });
});

describe('betaTail', () => {
  it.each([
    [1, 1],
    [3, 7],
    [12, 2],
    [20, 180],
    [60, 900],
  ])('equals the binomial sum for integer shapes (a=%p, b=%p)', (a, b) => {
    for (const x of [0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.99]) {
      // X ~ Beta(a, b) exceeds x exactly when fewer than a of a + b − 1 uniforms fall below x.
      const expected = binomialCdf(a + b - 1, x, a - 1);
      expect(Math.abs(betaTail(x, a, b) - expected)).toBeLessThanOrEqual(1e-12 + 1e-9 * expected);
    }
  });

  it.each([
    // mpmath.betainc(a, b, x, 1, regularized=True) at 30 digits.
    [20, 1300, 0.015, 0.488920433735716],
    [20, 1300, 0.04, 5.19958865453858e-8],
    [20, 1300, 0.08, 2.01745141116689e-26],
    [2.5, 300, 0.05, 1.00167225255976e-5],
    [0.3, 0.7, 0.9, 0.0756392778909101],
    [0.5, 2000, 0.01, 2.29680170672618e-10],
  ])('keeps its relative accuracy far into the tail (a=%p, b=%p, x=%p)', (a, b, x, expected) => {
    expect(Math.abs(betaTail(x, a, b) / expected - 1)).toBeLessThan(1e-8);
  });

  it('is 1 at or below 0, 0 at or above 1, and takes a precomputed ln B', () => {
    expect(betaTail(0, 2, 3)).toBe(1);
    expect(betaTail(-Infinity, 2, 3)).toBe(1);
    expect(betaTail(1, 2, 3)).toBe(0);
    expect(betaTail(1.5, 2, 3)).toBe(0);
    expect(betaTail(0.3, 2, 3, logBeta(2, 3))).toBe(betaTail(0.3, 2, 3));
  });
});
