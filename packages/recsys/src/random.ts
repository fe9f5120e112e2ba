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
 * Both shapes above 1 (every posterior of a prior worth a few pseudo-impressions): Cheng's
 * algorithm BB (1978), exact rejection sampling whose constants are computed here once, then two
 * uniforms, a logarithm and an exponential a draw, accepted about 9 times in 10. Other shapes
 * take `sampleBeta`.
 */
export function betaSampler(a: number, b: number): (rng: Rng) => number {
  if (!(a > 1 && b > 1 && a < Infinity && b < Infinity)) return (rng) => sampleBeta(rng, a, b);
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  const sum = small + large;
  const beta = Math.sqrt((sum - 2) / (2 * small * large - sum));
  const gamma = small + 1 / beta;
  const smallIsA = small === a;
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
