/** Small synthetic shopping data for the bandit simulator's tests. */
import { seededRng } from '../../packages/recsys/src';

/** Sequences of 6–10 items 1…items from a Markov chain in which each item mostly leads to one of its three successors. */
export function markovSequences(users: number, items: number, seed: number): number[][] {
  const rng = seededRng(seed);
  return Array.from({ length: users }, () => {
    const length = 6 + Math.floor(rng() * 5);
    const sequence = [1 + Math.floor(rng() * items)];
    while (sequence.length < length) {
      const last = sequence[sequence.length - 1]!;
      sequence.push(rng() < 0.8 ? 1 + ((last + Math.floor(rng() * 3)) % items) : 1 + Math.floor(rng() * items));
    }
    return sequence;
  });
}
