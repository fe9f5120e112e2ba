import { erf, ksCritical, ksStatistic, laplaceCdf, normalCdf } from './helpers';

describe('test helpers', () => {
  it('erf matches reference values', () => {
    expect(erf(0)).toBeCloseTo(0, 6);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(1)).toBeCloseTo(0.8427007929, 6);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 6);
    expect(normalCdf(1)(1.959963985)).toBeCloseTo(0.975, 6);
  });

  it('the KS statistic is 0-ish on exact quantiles and large for the wrong distribution', () => {
    const n = 1000;
    const quantiles = Array.from({ length: n }, (_, i) => {
      const p = (i + 0.5) / n;
      return p < 0.5 ? Math.log(2 * p) : -Math.log(2 - 2 * p);
    });
    expect(ksStatistic(quantiles, laplaceCdf(1))).toBeCloseTo(0.5 / n, 9);
    expect(ksStatistic(quantiles, laplaceCdf(2))).toBeGreaterThan(ksCritical(n));
  });
});
