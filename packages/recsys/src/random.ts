import { sampleNormal, type Rng } from '@serendip/random';
import { RecsysError } from './errors';

// The generators live in @serendip/random; recsys callers get them from here with the samplers built on them.
export { sampleNormal, sampleWithoutReplacement, seededRng, type Rng } from '@serendip/random';

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; shapes below 1 are boosted by U^(1/shape)). */
export function sampleGamma(rng: Rng, shape: number): number {
  return Math.exp(sampleLogGamma(rng, shape));
}

/** A Beta(a, b) draw. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  if ((a >= 1 || b >= 1) && a > 0 && b > 0 && a < Infinity && b < Infinity) {
    // The bandits' case (thousands of draws a slate), without logarithms: the gamma of the shape
    // ≥ 1 is d·v > 0, so X / (X + Y) stays defined even where the other underflows to 0 (then the
    // draw is 0 or 1, within rounding of the exact one). One Box–Muller pair gives both gammas'
    // first normals (cos and sin of one angle are independent standard normals).
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    const x = linearGamma(rng, a, radius * Math.cos(angle));
    return x / (x + linearGamma(rng, b, radius * Math.sin(angle)));
  }
  // Both shapes below 1: both gammas can underflow to 0 and X / (X + Y) would be NaN, so work with log-gammas.
  const x = sampleLogGamma(rng, a);
  const y = sampleLogGamma(rng, b);
  const top = Math.max(x, y);
  const ex = Math.exp(x - top);
  return ex / (ex + Math.exp(y - top));
}

const LOG_4 = Math.log(4);
const ONE_PLUS_LOG_5 = 1 + Math.log(5);

/**
 * A sampler of Beta(a, b) prepared for many draws, as Thompson sampling takes of each candidate.
 * Cheng's exact rejection algorithms (1978), whose constants are computed here once, then two
 * uniforms, a logarithm and an exponential a draw: BB when both shapes exceed 1 (a posterior with
 * a few clicks), BC when one is at most 1 and the other above it (a shop's first days, when the
 * calibrated prior puts well under one pseudo-click on an item). Both shapes at most 1 take
 * `sampleBeta`, which works with logarithms where both gammas would underflow.
 */
export function betaSampler(a: number, b: number): (rng: Rng) => number {
  if (!(a > 0 && b > 0 && a < Infinity && b < Infinity) || (a <= 1 && b <= 1)) return (rng) => sampleBeta(rng, a, b);
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  const sum = small + large;
  const smallIsA = small === a;
  // Both algorithms draw w ≥ 0 such that the small shape's variable is small/(small + w) (BC) or w/(large + w) (BB).
  if (small > 1) {
    const beta = Math.sqrt((sum - 2) / (2 * small * large - sum));
    const gamma = small + 1 / beta;
    return (rng) => {
      for (;;) {
        const u1 = rng();
        // u1 = 0 would draw exactly 0, which a Beta with both shapes above 1 never gives.
        if (u1 === 0) continue;
        const u2 = rng();
        const v = beta * Math.log(u1 / (1 - u1));
        const w = small * Math.exp(v);
        const z = u1 * u1 * u2;
        const r = gamma * v - LOG_4;
        const s = small + r - w;
        if (s + ONE_PLUS_LOG_5 < 5 * z) {
          // Outside the quick acceptance region: the exact test, with its quick rejection first.
          const t = Math.log(z);
          if (s <= t && r + sum * Math.log(sum / (large + w)) < t) continue;
        }
        return smallIsA ? w / (large + w) : large / (large + w);
      }
    };
  }
  const beta = 1 / small;
  const delta = 1 + large - small;
  const k1 = (delta * (0.0138889 + 0.0416667 * small)) / (large * beta - 0.777778);
  const k2 = 0.25 + (0.5 + 0.25 / delta) * small;
  // e^v can overflow for a small shape near 0; the largest double keeps the ratio defined (the draw is then 0 or 1 within rounding).
  const wOf = (v: number) => Math.min(Number.MAX_VALUE, large * Math.exp(v));
  return (rng) => {
    for (;;) {
      const u1 = rng();
      if (u1 === 0) continue;
      const u2 = rng();
      let z: number;
      if (u1 < 0.5) {
        const y = u1 * u2;
        z = u1 * y;
        if (0.25 * u2 + z - y >= k1) continue;
      } else {
        z = u1 * u1 * u2;
        if (z <= 0.25) {
          const w = wOf(beta * Math.log(u1 / (1 - u1)));
          return smallIsA ? small / (small + w) : w / (small + w);
        }
        if (z >= k2) continue;
      }
      const v = beta * Math.log(u1 / (1 - u1));
      const w = wOf(v);
      if (sum * (Math.log(sum / (small + w)) + v) - LOG_4 < Math.log(z)) continue;
      return smallIsA ? small / (small + w) : w / (small + w);
    }
  };
}

/** A Gamma(shape, 1) draw starting from `normal`; shapes below 1 are boosted by U^(1/shape), which may underflow to 0. */
function linearGamma(rng: Rng, shape: number, normal: number): number {
  if (shape >= 1) return gammaFrom(rng, shape, normal);
  return gammaFrom(rng, shape + 1, normal) * Math.pow(1 - rng(), 1 / shape);
}

/** Marsaglia–Tsang for shape ≥ 1, trying `normal` first and fresh normals after a rejection. */
function gammaFrom(rng: Rng, shape: number, normal: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let x = normal; ; x = sampleNormal(rng)) {
    const v = marsagliaTsang(rng, d, c, x);
    if (v > 0) return d * v;
  }
}

/** One Marsaglia–Tsang trial with the normal `x`: the accepted v, or 0 when rejected. */
function marsagliaTsang(rng: Rng, d: number, c: number, x: number): number {
  let v = 1 + c * x;
  if (v <= 0) return 0;
  v = v * v * v;
  const u = 1 - rng();
  const x2 = x * x;
  return u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v)) ? v : 0;
}

function sampleLogGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RecsysError(`gamma shape must be a positive finite number, got ${shape}`, 'shape');
  if (shape < 1) return sampleLogGamma(rng, shape + 1) + Math.log(1 - rng()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const v = marsagliaTsang(rng, d, c, sampleNormal(rng));
    if (v > 0) return Math.log(d * v);
  }
}
