import { createHash } from 'node:crypto';
import { RecsysError } from './errors';
import { sampleBeta, type Rng } from './random';
import { upperGamma } from './special';
import { requireCount, requireFinite, requireRange } from './validate';

/**
 * The statistics behind online A/B experiments: deterministic assignment, per-unit metrics with
 * standard errors, comparisons, multiple-testing correction, the sample-ratio check and an
 * adaptive (Thompson) allocation. The unit of randomisation is the shopper, so every standard
 * error is computed over shoppers, never over impressions: one shopper's clicks are correlated.
 */

/**
 * A shopper's fixed point in [0, 1) for one experiment: the first 52 bits of SHA-256(salt:unit).
 * The same shopper always lands on the same arm, and different experiments (salts) draw
 * independently, so one test's split does not leak into the next.
 */
export function assignmentDraw(salt: string, unitId: string): number {
  const digest = createHash('sha256').update(`${salt}:${unitId}`).digest();
  // 52 bits fit a double's mantissa exactly: 4 bytes high, 20 bits low.
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4) >>> 12;
  return (high * 2 ** 20 + low) / 2 ** 52;
}

/** The arm whose slice of [0, 1) holds the draw, with slices sized by the probabilities. */
export function pickArm(draw: number, probabilities: readonly number[]): number {
  requireRange(draw, 0, 1, 'draw');
  requireProbabilities(probabilities, 'probabilities');
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i]!;
    if (draw < cumulative) return i;
  }
  // Rounding can leave the shares summing to 0.9999…; the last slice takes the remainder.
  return probabilities.length - 1;
}

export interface MetricEstimate {
  value: number;
  standardError: number;
  /** Units (shoppers) behind the estimate. */
  units: number;
}

/** The mean of one value per unit (conversion 0/1, revenue), with its standard error. */
export function meanMetric(values: readonly number[]): MetricEstimate {
  values.forEach((value) => requireFinite(value, 'values'));
  const n = values.length;
  if (n === 0) return { value: 0, standardError: 0, units: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { value: mean, standardError: 0, units: 1 };
  const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / (n - 1);
  return { value: mean, standardError: Math.sqrt(variance / n), units: n };
}

/**
 * A ratio of sums over units (clicks / impressions), with the delta-method standard error. The
 * ratio's error comes from the residuals nᵢ − R·dᵢ, so a shopper with many impressions counts as
 * one correlated unit rather than as many independent trials (the naive binomial error would be
 * far too small).
 */
export function ratioMetric(units: readonly { numerator: number; denominator: number }[]): MetricEstimate {
  for (const unit of units) {
    requireFinite(unit.numerator, 'numerator');
    requireFinite(unit.denominator, 'denominator');
  }
  const n = units.length;
  const numerator = units.reduce((total, unit) => total + unit.numerator, 0);
  const denominator = units.reduce((total, unit) => total + unit.denominator, 0);
  if (denominator === 0) return { value: 0, standardError: 0, units: n };
  const ratio = numerator / denominator;
  if (n < 2) return { value: ratio, standardError: 0, units: n };
  const meanDenominator = denominator / n;
  const residualSquares = units.reduce((total, unit) => total + (unit.numerator - ratio * unit.denominator) ** 2, 0);
  const standardError = Math.sqrt(residualSquares / (n * (n - 1))) / meanDenominator;
  return { value: ratio, standardError, units: n };
}

export interface MetricComparison {
  /** treatment − control. */
  difference: number;
  /** difference / control; null when the control is 0. */
  relativeLift: number | null;
  lower: number;
  upper: number;
  z: number;
  /** Two-sided. */
  pValue: number;
}

/** Welch-style normal comparison of two independent estimates. */
export function compareMetric(control: MetricEstimate, treatment: MetricEstimate, confidence = 0.95): MetricComparison {
  requireRange(confidence, 0, 1, 'confidence');
  if (confidence === 0 || confidence === 1) throw new RecsysError(`confidence must be inside (0, 1), got ${confidence}`, 'confidence');
  const difference = treatment.value - control.value;
  const standardError = Math.sqrt(control.standardError ** 2 + treatment.standardError ** 2);
  const relativeLift = control.value === 0 ? null : difference / control.value;
  if (standardError === 0) {
    // No spread at all: any difference is certain, none is certainly none.
    const z = difference === 0 ? 0 : difference > 0 ? Infinity : -Infinity;
    return { difference, relativeLift, lower: difference, upper: difference, z, pValue: difference === 0 ? 1 : 0 };
  }
  const zCritical = normalQuantile(1 - (1 - confidence) / 2);
  const z = difference / standardError;
  return {
    difference,
    relativeLift,
    lower: difference - zCritical * standardError,
    upper: difference + zCritical * standardError,
    z,
    pValue: Math.min(1, 2 * normalTail(Math.abs(z))),
  };
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  return x >= 0 ? 1 - normalTail(x) : normalTail(-x);
}

/**
 * 1 − Φ(x) for x ≥ 0, as Q(½, x²/2): the same incomplete gamma as the chi-square test, accurate
 * to ~1e-15 relative, so far-tail p-values keep their precision.
 */
function normalTail(x: number): number {
  return x === 0 ? 0.5 : 0.5 * upperGamma(0.5, (x * x) / 2);
}

/** Φ⁻¹(p): Acklam's rational approximation, polished by one Halley step against normalCdf. */
export function normalQuantile(p: number): number {
  requireRange(p, 0, 1, 'p');
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const error = normalCdf(x) - p;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Holm's step-down adjustment: with k treatments compared with one control, the chance that any
 * of them is called significant by luck stays at α, and it is uniformly more powerful than
 * Bonferroni. Returned in the input's order.
 */
export function holm(pValues: readonly number[]): number[] {
  pValues.forEach((p) => requireRange(p, 0, 1, 'pValues'));
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Below this p-value the split is called broken: strict, because the check runs continuously. */
export const SRM_THRESHOLD = 0.001;

export interface SampleRatioTest {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  mismatch: boolean;
}

/**
 * Pearson's chi-square goodness of fit of the units per arm against the configured shares. A
 * mismatch means assignment or logging is broken (a bot, a redirect dropping one arm, a crash in
 * one variant), and then no metric comparison can be trusted.
 */
export function sampleRatioMismatch(observed: readonly number[], expectedShares: readonly number[]): SampleRatioTest {
  if (observed.length !== expectedShares.length) {
    throw new RecsysError(`observed has ${observed.length} arms but expectedShares has ${expectedShares.length}`, 'expectedShares');
  }
  observed.forEach((count) => requireCount(count, 0, 'observed'));
  requireProbabilities(expectedShares, 'expectedShares');
  const degreesOfFreedom = observed.length - 1;
  const total = observed.reduce((a, b) => a + b, 0);
  if (total === 0 || degreesOfFreedom === 0) return { chiSquare: 0, degreesOfFreedom, pValue: 1, mismatch: false };
  let chiSquare = 0;
  observed.forEach((count, i) => {
    const expected = expectedShares[i]! * total;
    if (expected > 0) chiSquare += (count - expected) ** 2 / expected;
    else if (count > 0) chiSquare = Infinity;
  });
  const pValue = chiSquarePValue(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < SRM_THRESHOLD };
}

/** P(X ≥ x) for X ~ χ²(k): the regularised upper incomplete gamma Q(k/2, x/2). */
export function chiSquarePValue(x: number, degreesOfFreedom: number): number {
  requireCount(degreesOfFreedom, 1, 'degreesOfFreedom');
  if (!(x > 0)) return 1;
  if (x === Infinity) return 0;
  return upperGamma(degreesOfFreedom / 2, x / 2);
}

export interface AllocationOptions {
  /** Monte Carlo draws behind each arm's probability of being best. @default 2000 */
  draws?: number;
  /** Every arm keeps at least this share, so a loser's estimate keeps improving. @default 0.05 */
  floor?: number;
  /** @default Math.random */
  rng?: Rng;
}

/**
 * Adaptive traffic shares: each arm's posterior probability of having the highest success rate
 * (Beta(1 + successes, 1 + failures)), mixed with a floor as p' = floor + (1 − k·floor)·p. Traffic
 * flows to the arm that looks better while the others keep enough to be measured.
 */
export function thompsonAllocation(arms: readonly { successes: number; trials: number }[], options: AllocationOptions = {}): number[] {
  const { draws = 2000, floor = 0.05, rng = Math.random } = options;
  if (arms.length === 0) throw new RecsysError('thompsonAllocation needs at least one arm', 'arms');
  requireCount(draws, 1, 'draws');
  requireRange(floor, 0, 1 / arms.length, 'floor');
  for (const arm of arms) {
    requireCount(arm.trials, 0, 'trials');
    requireCount(arm.successes, 0, 'successes');
    if (arm.successes > arm.trials) throw new RecsysError(`successes (${arm.successes}) cannot exceed trials (${arm.trials})`, 'successes');
  }
  const wins = new Array<number>(arms.length).fill(0);
  for (let draw = 0; draw < draws; draw++) {
    let best = 0;
    let bestValue = -1;
    arms.forEach((arm, i) => {
      const value = sampleBeta(rng, 1 + arm.successes, 1 + arm.trials - arm.successes);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    wins[best]!++;
  }
  const free = 1 - arms.length * floor;
  return wins.map((count) => floor + free * (count / draws));
}

function requireProbabilities(probabilities: readonly number[], field: string): void {
  if (probabilities.length === 0) throw new RecsysError(`${field} must not be empty`, field);
  probabilities.forEach((p) => requireRange(p, 0, 1, field));
  const total = probabilities.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) throw new RecsysError(`${field} must sum to 1, got ${total}`, field);
}
