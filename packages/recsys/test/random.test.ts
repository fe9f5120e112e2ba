import { betaSampler, sampleBeta, sampleGamma, seededRng, type Rng } from '../src';
import { betaTail } from '../src/special';
import { sampleMoments } from '@serendip/testing';

/** Kolmogorov–Smirnov distance between sorted draws and Beta(a, b)'s exact distribution function. */
function ksDistance(draws: number[], a: number, b: number): number {
  draws.sort((x, y) => x - y);
  let distance = 0;
  draws.forEach((x, i) => {
    const cdf = 1 - betaTail(x, a, b);
    distance = Math.max(distance, Math.abs(cdf - i / draws.length), Math.abs(cdf - (i + 1) / draws.length));
  });
  return distance;
}

describe('samplers', () => {
  const n = 100_000;
  let rng: Rng;
  beforeEach(() => {
    rng = seededRng(2024);
  });

  it.each([
    [0.3, 'shape below 1 (boosted)'],
    [1, 'shape 1'],
    [7.5, 'large shape'],
  ])('draws Gamma(%p) with mean and variance equal to the shape (%s)', (shape) => {
    const { mean, variance } = sampleMoments(n, () => sampleGamma(rng, shape));
    expect(Math.abs(mean - shape) / shape).toBeLessThan(0.02);
    expect(Math.abs(variance - shape) / shape).toBeLessThan(0.05);
  });

  it.each([
    [2, 5],
    [0.5, 0.5],
    [30, 3],
    [0.02, 1.98],
    [1, 1],
    [400, 7600],
    [0.3, 40],
    [60, 0.7],
  ])('draws Beta(%p, %p) with the theoretical mean and variance', (a, b) => {
    const { mean, variance } = sampleMoments(n, () => sampleBeta(rng, a, b));
    const expectedMean = a / (a + b);
    const expectedVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(Math.abs(mean - expectedMean)).toBeLessThan(4 * Math.sqrt(expectedVariance / n));
    expect(Math.abs(variance - expectedVariance) / expectedVariance).toBeLessThan(0.05);
  });

  it.each([
    [20, 1300, "Cheng's BB, a Thompson posterior"],
    [1.5, 1.2, "Cheng's BB, shapes just above 1"],
    [300, 5, "Cheng's BB, a > b"],
    [50, 50, "Cheng's BB, a = b"],
    [0.5, 3, "Cheng's BC, a below 1"],
    [0.05, 1500, "Cheng's BC, a first-days posterior"],
    [1, 7, "Cheng's BC, a = 1"],
    [25, 0.8, "Cheng's BC, b below 1"],
    [0.4, 0.7, 'both shapes below 1: sampleBeta'],
  ])('prepares Beta(%p, %p) draws that follow its exact distribution (%s)', (a, b) => {
    const draw = betaSampler(a, b);
    const draws = Array.from({ length: 20_000 }, () => draw(rng));
    expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
    // The 0.1 % critical value of the Kolmogorov–Smirnov distance at 20,000 draws.
    expect(ksDistance(draws, a, b)).toBeLessThan(1.95 / Math.sqrt(20_000));
    const { mean } = sampleMoments(n, () => draw(rng));
    expect(Math.abs(mean - a / (a + b))).toBeLessThan(4 * Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)) / n));
  });

  it('never returns NaN for tiny shapes, where both gammas underflow', () => {
    for (let i = 0; i < 10_000; i++) {
      const x = sampleBeta(rng, 0.001, 0.001);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });

  it('refuses shapes that are not positive', () => {
    expect(() => sampleGamma(rng, 0)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => sampleBeta(rng, 1, -1)).toThrow(/shape/);
  });
});
