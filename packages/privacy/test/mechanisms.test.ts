import { gaussianSigma, laplaceScale, sampleGaussian, sampleLaplace, seededRng } from '../src';
import { draws, ksCritical, ksStatistic, laplaceCdf, normalCdf, stats } from './helpers';

const n = 50_000;

describe('calibration', () => {
  it('laplaceScale is Δ1/ε', () => {
    expect(laplaceScale(2, 0.5)).toBe(4);
    expect(laplaceScale(1, 0.1)).toBeCloseTo(10, 12);
  });

  it('gaussianSigma is Δ2·√(2 ln(1.25/δ))/ε', () => {
    // √(2 ln 125000) / 0.5 = 9.689611…
    expect(gaussianSigma(1, 0.5, 1e-5)).toBeCloseTo(9.689611, 5);
    expect(gaussianSigma(3, 1, 1e-6)).toBeCloseTo(3 * Math.sqrt(2 * Math.log(1.25e6)), 12);
  });

  it('gaussianSigma accepts ε = 1 and refuses ε > 1, where the classic bound is unproven', () => {
    expect(gaussianSigma(1, 1, 1e-6)).toBeGreaterThan(0);
    expect(() => gaussianSigma(1, 1.01, 1e-6)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'epsilon', message: expect.stringMatching(/epsilon <= 1/) }),
    );
  });
});

describe('sampleLaplace', () => {
  it.each([
    [1, 2024],
    [4, 7],
    [0.25, 99],
  ])('draws Laplace(0, %p) (seed %p): mean, mean |x|, variance and KS', (b, seed) => {
    const rng = seededRng(seed);
    const xs = draws(n, () => sampleLaplace(b, rng));
    const { mean, meanAbs, variance } = stats(xs);
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt((2 * b * b) / n));
    expect(Math.abs(meanAbs - b) / b).toBeLessThan(0.02);
    expect(Math.abs(variance - 2 * b * b) / (2 * b * b)).toBeLessThan(0.03);
    expect(ksStatistic(xs, laplaceCdf(b))).toBeLessThan(ksCritical(n));
    // The KS check has the power to notice a 10% wrong scale or a Gaussian of the same variance.
    expect(ksStatistic(xs, laplaceCdf(1.1 * b))).toBeGreaterThan(ksCritical(n));
    expect(ksStatistic(xs, normalCdf(b * Math.SQRT2))).toBeGreaterThan(ksCritical(n));
  });

  it('never takes log(0): a 0 from the generator is redrawn', () => {
    const values = [0, 0, 0.25];
    const rng = () => values.shift() ?? 0.5;
    expect(sampleLaplace(2, rng)).toBeCloseTo(2 * Math.log(0.5), 12);
    expect(values).toEqual([]);
    expect(Number.isFinite(sampleLaplace(2, () => 1 - 2 ** -53))).toBe(true);
  });
});

describe('sampleGaussian', () => {
  it.each([
    [1, 2024],
    [2.5, 7],
    [0.1, 99],
  ])('draws Normal(0, %p²) (seed %p): mean, mean |x|, variance and KS', (sigma, seed) => {
    const rng = seededRng(seed);
    const xs = draws(n, () => sampleGaussian(sigma, rng));
    const { mean, meanAbs, variance } = stats(xs);
    expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(Math.abs(meanAbs - sigma * Math.sqrt(2 / Math.PI)) / sigma).toBeLessThan(0.02);
    expect(Math.abs(variance - sigma * sigma) / (sigma * sigma)).toBeLessThan(0.03);
    expect(ksStatistic(xs, normalCdf(sigma))).toBeLessThan(ksCritical(n));
    expect(ksStatistic(xs, normalCdf(1.1 * sigma))).toBeGreaterThan(ksCritical(n));
    expect(ksStatistic(xs, laplaceCdf(sigma / Math.SQRT2))).toBeGreaterThan(ksCritical(n));
  });

  it('stays finite when the generator returns 0', () => {
    expect(Number.isFinite(sampleGaussian(1, () => 0))).toBe(true);
  });
});
