import { sampleNormal, type Rng } from '@serendip/random';
import { badInput, requireFinite, requireOpenRange, requirePositive } from './validate';

export type Mechanism = 'laplace' | 'gaussian';

/** δ used by the Gaussian mechanism when the caller gives none. */
export const DEFAULT_DELTA = 1e-6;

export interface ReleaseOptions {
  mechanism: Mechanism;
  /** Privacy loss of this release; must be > 0, and ≤ 1 for the Gaussian mechanism. */
  epsilon: number;
  /**
   * Probability that the ε bound fails; Gaussian only (the Laplace mechanism is pure ε-DP and
   * refuses one, so a budget never records a δ that was not spent).
   * @default 1e-6
   */
  delta?: number;
  /**
   * How far one person can move the released value(s): L1 norm of the change for Laplace, L2 norm
   * for Gaussian. For a vector, the sensitivity of the whole vector, not of one entry.
   */
  sensitivity: number;
}

export interface Released {
  value: number;
  mechanism: Mechanism;
  epsilon: number;
  /** null for Laplace, which spends no δ. */
  delta: number | null;
  /** Laplace b or Gaussian σ of the noise added. */
  scale: number;
}

export interface ReleasedVector {
  values: number[];
  mechanism: Mechanism;
  epsilon: number;
  delta: number | null;
  scale: number;
}

/** Laplace scale b = Δ1 / ε, which makes the release ε-differentially private. */
export function laplaceScale(sensitivity: number, epsilon: number): number {
  requirePositive(sensitivity, 'sensitivity');
  requirePositive(epsilon, 'epsilon');
  return sensitivity / epsilon;
}

/**
 * Classic Gaussian mechanism: σ = Δ2 · √(2 ln(1.25/δ)) / ε gives (ε, δ)-differential privacy.
 * The proof (Dwork & Roth 2014, Theorem A.1) holds only for ε ≤ 1, so larger ε is refused rather
 * than silently releasing with a guarantee that does not hold.
 */
export function gaussianSigma(sensitivity: number, epsilon: number, delta: number): number {
  requirePositive(sensitivity, 'sensitivity');
  requirePositive(epsilon, 'epsilon');
  if (epsilon > 1) {
    throw badInput(
      `the classic Gaussian mechanism is only proven (epsilon, delta)-private for epsilon <= 1, got ${epsilon}; ` +
        'split the release into smaller epsilons or use the Laplace mechanism',
      'epsilon',
    );
  }
  requireOpenRange(delta, 0, 1, 'delta');
  return (sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}

/** A Laplace(0, scale) draw by inverting the CDF. */
export function sampleLaplace(scale: number, rng: Rng): number {
  requirePositive(scale, 'scale');
  let u = rng();
  // u = 0 would map to log(0) = -∞; redrawing keeps the distribution exact on (0, 1).
  while (u === 0) u = rng();
  return u < 0.5 ? scale * Math.log(2 * u) : -scale * Math.log(2 - 2 * u);
}

/** A Normal(0, sigma²) draw (Box–Muller). */
export function sampleGaussian(sigma: number, rng: Rng): number {
  requirePositive(sigma, 'sigma');
  return sigma * sampleNormal(rng);
}

interface Calibration {
  mechanism: Mechanism;
  epsilon: number;
  delta: number | null;
  scale: number;
  noise: (rng: Rng) => number;
}

function calibrate(options: ReleaseOptions): Calibration {
  const { mechanism, epsilon, sensitivity } = options;
  if (mechanism === 'laplace') {
    if (options.delta !== undefined) throw badInput('delta applies only to the gaussian mechanism', 'delta');
    const scale = laplaceScale(sensitivity, epsilon);
    return { mechanism, epsilon, delta: null, scale, noise: (rng) => sampleLaplace(scale, rng) };
  }
  if (mechanism === 'gaussian') {
    const delta = options.delta ?? DEFAULT_DELTA;
    const scale = gaussianSigma(sensitivity, epsilon, delta);
    return { mechanism, epsilon, delta, scale, noise: (rng) => sampleGaussian(scale, rng) };
  }
  throw badInput(`mechanism must be 'laplace' or 'gaussian', got ${String(mechanism)}`, 'mechanism');
}

/** Releases one value with noise calibrated to `options`; spends `epsilon` (and `delta`) of a budget. */
export function release(value: number, options: ReleaseOptions, rng: Rng): Released {
  requireFinite(value, 'value');
  const { noise, ...calibration } = calibrate(options);
  return { value: value + noise(rng), ...calibration };
}

/**
 * Releases a vector with one independent draw per entry, all at the same scale. `sensitivity` must
 * bound the whole vector's change (a histogram where each person's contribution is clipped to C
 * has L1 sensitivity C), so the vector costs one `epsilon`, not one per entry.
 */
export function releaseVector(values: readonly number[], options: ReleaseOptions, rng: Rng): ReleasedVector {
  values.forEach((value, i) => {
    if (!Number.isFinite(value)) throw badInput(`values[${i}] must be a finite number, got ${value}`, 'values');
  });
  const { noise, ...calibration } = calibrate(options);
  return { values: values.map((value) => value + noise(rng)), ...calibration };
}
