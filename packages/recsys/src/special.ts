/**
 * Special functions behind the package's closed-form probabilities: the log-gamma function, the
 * regularised upper incomplete gamma (chi-square and normal tails) and the Beta distribution's
 * upper tail (Thompson sampling's propensities).
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** Lentz's guard against a zero denominator. */
const TINY = 1e-300;
/** Continued fractions stop once a step changes the value by less than this (relative). */
const CONVERGED = 1e-15;
/** Far more steps than any shape the package meets needs (about √max(a, b) for the Beta fraction). */
const MAX_STEPS = 100_000;

/** ln Γ(a) for a > 0 (Lanczos, g = 7). */
export function logGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
  const z = a - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Q(a, x) = Γ(a, x) / Γ(a): P(X ≥ x) for X ~ Gamma(a, 1). */
export function upperGamma(a: number, x: number): number {
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for the lower part, converges quickly below a + 1.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * CONVERGED; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Lentz's continued fraction for the upper part.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < CONVERGED) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/**
 * P(X > x) for X ~ Beta(a, b), with `logB` = logBeta(a, b) passed in so a caller evaluating one
 * distribution many times computes it once. Accurate relative to its own size in the upper tail
 * (where Thompson's rare wins live): there the fraction is evaluated for 1 − x with the shapes
 * swapped, never as 1 minus a number close to 1.
 */
export function betaTail(x: number, a: number, b: number, logB = logBeta(a, b)): number {
  if (!(x > 0)) return 1;
  if (!(x < 1)) return 0;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logB);
  // The fraction converges fast below the mean-ish point (a + 1) / (a + b + 2), and by symmetry
  // (I_x(a, b) = 1 − I_{1−x}(b, a)) above it.
  if (x < (a + 1) / (a + b + 2)) return Math.max(0, 1 - (front * betaFraction(x, a, b)) / a);
  return Math.min(1, (front * betaFraction(1 - x, b, a)) / b);
}

/** The continued fraction of the regularised incomplete Beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const sum = a + b;
  let c = 1;
  let d = 1 - (sum * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_STEPS; m++) {
    const twoM = 2 * m;
    // Even step.
    let term = (m * (b - m) * x) / ((a - 1 + twoM) * (a + twoM));
    d = 1 + term * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + term / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    term = (-(a + m) * (sum + m) * x) / ((a + twoM) * (a + 1 + twoM));
    d = 1 + term * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + term / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < CONVERGED) break;
  }
  return h;
}
