import { normalise, sampleNormal, type Rng } from '../src';

/** A random unit direction. */
export function randomUnit(rng: Rng, dimension: number): Float32Array {
  return normalise(Array.from({ length: dimension }, () => sampleNormal(rng)));
}

/** A unit vector near `center`: per-coordinate Gaussian noise of standard deviation `noise / √d`. */
export function around(rng: Rng, center: Float32Array, noise: number): Float32Array {
  const spread = noise / Math.sqrt(center.length);
  return normalise(Array.from(center, (x) => x + spread * sampleNormal(rng)));
}
