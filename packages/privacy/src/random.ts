/** A source of uniform numbers in [0, 1). Mechanisms take one so that tests are deterministic. */
export type Rng = () => number;

const WORDS_PER_REFILL = 512;
const TWO_POW_26 = 2 ** 26;
const TWO_POW_53 = 2 ** 53;

/**
 * Uniform draws from the platform CSPRNG (`crypto.getRandomValues`), 53 random bits each, so every
 * double in [0, 1) on the 2^-53 grid is equally likely. Use this for every real release: noise from a
 * predictable generator (Math.random, a seeded PRNG) can be reproduced by whoever learns its state,
 * and subtracting known noise undoes the privacy guarantee entirely.
 */
export function secureRng(): Rng {
  // One getRandomValues call per 256 draws: the call, not the arithmetic, dominates the cost.
  const words = new Uint32Array(WORDS_PER_REFILL);
  let next = WORDS_PER_REFILL;
  return () => {
    if (next === WORDS_PER_REFILL) {
      globalThis.crypto.getRandomValues(words);
      next = 0;
    }
    const high = (words[next] ?? 0) >>> 5;
    const low = (words[next + 1] ?? 0) >>> 6;
    next += 2;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  };
}

/** mulberry32: deterministic and fast, for tests and replays only; its state is trivially recoverable. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
