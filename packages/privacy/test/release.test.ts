import { gaussianSigma, release, releaseVector, sampleLaplace, seededRng, type ReleaseOptions } from '../src';
import { correlation, draws, ksCritical, ksStatistic, laplaceCdf, normalCdf, stats } from './helpers';

const laplace: ReleaseOptions = { mechanism: 'laplace', epsilon: 0.5, sensitivity: 2 };
const n = 20_000;

describe('release', () => {
  it('adds Laplace noise at b = Δ/ε (ε = 0.5, Δ = 2 → b = 4)', () => {
    const rng = seededRng(11);
    const releases = draws(n, () => release(100, laplace, rng).value);
    expect(release(100, laplace, rng)).toEqual({ value: expect.any(Number), mechanism: 'laplace', epsilon: 0.5, delta: null, scale: 4 });
    const noise = releases.map((v) => v - 100);
    const { mean, meanAbs } = stats(noise);
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt((2 * 16) / n));
    expect(Math.abs(meanAbs - 4) / 4).toBeLessThan(0.03);
    expect(ksStatistic(noise, laplaceCdf(4))).toBeLessThan(ksCritical(n));
    // Noise calibrated to Δ while ignoring ε (b = 2) would be caught.
    expect(ksStatistic(noise, laplaceCdf(2))).toBeGreaterThan(ksCritical(n));
  });

  it('adds Gaussian noise at the classic σ, with δ defaulting to 1e-6', () => {
    const options: ReleaseOptions = { mechanism: 'gaussian', epsilon: 0.8, sensitivity: 3 };
    const sigma = gaussianSigma(3, 0.8, 1e-6);
    const rng = seededRng(12);
    const first = release(-7, options, rng);
    expect(first).toMatchObject({ mechanism: 'gaussian', epsilon: 0.8, delta: 1e-6, scale: sigma });
    const noise = draws(n, () => release(-7, options, rng).value + 7);
    expect(Math.abs(Math.sqrt(stats(noise).variance) - sigma) / sigma).toBeLessThan(0.03);
    expect(ksStatistic(noise, normalCdf(sigma))).toBeLessThan(ksCritical(n));
  });

  it('uses the caller’s δ for the Gaussian mechanism', () => {
    const released = release(0, { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-5, sensitivity: 1 }, seededRng(1));
    expect(released.delta).toBe(1e-5);
    expect(released.scale).toBeCloseTo(9.689611, 5);
  });

  it('is reproducible from a seed', () => {
    expect(release(3, laplace, seededRng(5))).toEqual(release(3, laplace, seededRng(5)));
    expect(release(3, laplace, seededRng(5)).value).not.toBe(release(3, laplace, seededRng(6)).value);
  });
});

describe('releaseVector', () => {
  it('draws exactly one noise value per entry, in order, all at the vector’s scale', () => {
    const released = releaseVector([10, 20, 30], laplace, seededRng(3));
    const rng = seededRng(3);
    const expected = [10, 20, 30].map((v) => v + sampleLaplace(4, rng));
    expect(released).toEqual({ values: expected, mechanism: 'laplace', epsilon: 0.5, delta: null, scale: 4 });
  });

  it('gives each entry independent noise of the same scale', () => {
    const rng = seededRng(21);
    const columns: number[][] = [[], [], []];
    for (let i = 0; i < n; i++) {
      releaseVector([5, 5, 5], laplace, rng).values.forEach((v, j) => columns[j]?.push(v - 5));
    }
    const [a = [], b = [], c = []] = columns;
    for (const column of columns) {
      expect(Math.abs(stats(column).meanAbs - 4) / 4).toBeLessThan(0.03);
      expect(ksStatistic(column, laplaceCdf(4))).toBeLessThan(ksCritical(n));
    }
    // Correlation of the noise and of its magnitude: copies, negated copies or shared scale factors show up.
    const bound = 4 / Math.sqrt(n);
    for (const [x, y] of [
      [a, b],
      [b, c],
      [a, c],
    ] as const) {
      expect(Math.abs(correlation(x, y))).toBeLessThan(bound);
      expect(Math.abs(correlation(x.map(Math.abs), y.map(Math.abs)))).toBeLessThan(bound);
    }
  });

  it('releases an empty vector as empty', () => {
    expect(releaseVector([], laplace, seededRng(1)).values).toEqual([]);
  });
});
