import { sampleBeta, sampleGamma, seededRng, type Rng } from '../src';
import { sampleMoments } from '@serendip/testing';

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
