/** A source of uniform numbers in [0, 1). Code that draws takes one, so tests and replays are deterministic. */
export type Rng = () => number;

const WORDS_PER_REFILL = 512;
const TWO_POW_26 = 2 ** 26;
const TWO_POW_53 = 2 ** 53;

/** mulberry32: a tiny, fast 32-bit generator for sampling, tests and replays; its state is trivially recoverable, so never for anything secret. */
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

/**
 * Uniform draws from the platform CSPRNG (`crypto.getRandomValues`), 53 random bits each, so every
 * double in [0, 1) on the 2^-53 grid is equally likely. Use this wherever a draw must not be
 * reproducible by whoever learns the generator's state (differential-privacy noise: subtracting known
 * noise undoes the guarantee entirely).
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

/** A standard normal draw (Box–Muller). */
export function sampleNormal(rng: Rng): number {
  // 1 - u lies in (0, 1], so the logarithm is finite even when rng() returns exactly 0.
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** At most `size` of `items` drawn without replacement (partial Fisher–Yates), in drawing order: a seeded sample. */
export function sampleWithoutReplacement<T>(items: readonly T[], size: number, rng: Rng): T[] {
  const pool = [...items];
  const count = Math.min(size, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}
