import { binomialUpperTail } from '../src';

/** P(X ≥ k) by summing the probability mass function term by term from scratch. */
function bruteForce(k: number, n: number, p: number): number {
  let choose = 1;
  let tail = 0;
  for (let x = 0; x <= n; x += 1) {
    if (x > 0) choose = (choose * (n - x + 1)) / x;
    if (x >= k) tail += choose * p ** x * (1 - p) ** (n - x);
  }
  return tail;
}

describe('binomialUpperTail', () => {
  it('matches the summed probability mass', () => {
    for (const [k, n, p] of [
      [1, 1, 0.5],
      [3, 4, 0.15],
      [7, 9, 0.1],
      [0, 5, 0.3],
      [12, 40, 0.2],
      [40, 40, 0.9],
    ] as const) {
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(bruteForce(k, n, p), 12);
    }
    expect(binomialUpperTail(1, 1, 0.5)).toBe(0.5);
  });

  it('stays finite and ordered over hundreds of trials', () => {
    const small = binomialUpperTail(80, 300, 0.1);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(1e-15);
    expect(binomialUpperTail(30, 300, 0.1)).toBeGreaterThan(0.4);
    expect(binomialUpperTail(30, 300, 0.1)).toBeLessThan(0.6);
  });

  it('handles the edges and refuses bad input', () => {
    expect(binomialUpperTail(3, 2, 0.5)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
    expect(() => binomialUpperTail(-1, 2, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1.5, 2, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 2, 1.5)).toThrow(RangeError);
  });
});
