import { RecsysError } from './errors';
import { byPair, timeline, type CooccurrenceEvent, type CooccurrencePair } from './pairs';
import { requireCount, requireFinite, requireRange } from './validate';

export interface TransitionOptions {
  /** How many of the user's preceding product events a fresh event is a follower of. */
  windowSize: number;
  /** The longest time between two events that still counts as one session of interest. */
  maxGapMs: number;
  /** A follower `gap` events later weighs `gapDecay`^(gap − 1): the very next event counts most. */
  gapDecay: number;
}

/**
 * Directed item-to-item increments for one user's new events: each `fresh` event is a follower of
 * the up-to-`windowSize` events before it (from `history` or earlier fresh events) that lie within
 * `maxGapMs`, pair `a → b` (a earlier, b the fresh one), weight = the two event weights multiplied
 * by `gapDecay`^(gap − 1), gap counted in events. Order is what co-occurrence ignores: what people
 * choose after a cleanser is not what they chose before it. Events weighing 0 or less take no
 * position; a product seen several times in the window counts once, at its nearest occurrence;
 * self pairs are dropped. Pairs are summed per (a, b) and sorted by a, then b.
 *
 * Only earlier events are paired, so adding each event once as fresh counts each transition once;
 * a fresh event older than some history (a late arrival) follows only what came before it.
 */
export function transitionPairs(history: readonly CooccurrenceEvent[], fresh: readonly CooccurrenceEvent[], options: TransitionOptions): CooccurrencePair[] {
  requireCount(options.windowSize, 1, 'windowSize');
  if (!(options.maxGapMs >= 0)) throw new RecsysError(`maxGapMs must be >= 0, got ${options.maxGapMs}`, 'maxGapMs');
  requireRange(options.gapDecay, 0, 1, 'gapDecay');
  // Events that weigh nothing take no position, so a search between two views does not widen their gap.
  const events = timeline(history, fresh).filter((entry) => entry.event.weight > 0);

  const totals = new Map<string, CooccurrencePair>();
  events.forEach((current, position) => {
    if (!current.fresh) return;
    const predecessors = new Map<string, number>();
    for (let gap = 1; gap <= options.windowSize && position - gap >= 0; gap++) {
      const previous = events[position - gap]!;
      if (current.time - previous.time > options.maxGapMs) break;
      const { productId, weight } = previous.event;
      if (productId === current.event.productId || predecessors.has(productId)) continue;
      predecessors.set(productId, weight * current.event.weight * options.gapDecay ** (gap - 1));
    }
    for (const [productId, weight] of predecessors) {
      const key = `${productId}\u0000${current.event.productId}`;
      const pair = totals.get(key);
      if (pair) pair.weight += weight;
      else totals.set(key, { a: productId, b: current.event.productId, weight });
    }
  });
  return [...totals.values()].sort(byPair);
}

/** One follower of a seed as the transition table holds it. */
export interface Follower {
  seed: string;
  next: string;
  weight: number;
  /** The summed weight of all the seed's followers, also those not read: what `weight` is a share of. */
  total: number;
}

export interface TransitionScoreOptions {
  /** A seed's contribution falls by this factor per newer seed (the newest counts fully). */
  recency: number;
  /** Added to every seed's total, so a seed followed once does not speak with full confidence. */
  smoothing: number;
}

/**
 * A first-order sequential score: Σ over the seeds (most recent first) of `recency`^age ·
 * weight / (seed's total + `smoothing`). Shares rather than raw weights, so a popular seed does not
 * drown the others. Followers of seeds not in `seeds` are ignored; the result is unsorted.
 */
export function transitionScores(seeds: readonly string[], followers: readonly Follower[], options: TransitionScoreOptions): Map<string, number> {
  requireRange(options.recency, 0, 1, 'recency');
  if (!(options.smoothing >= 0) || !Number.isFinite(options.smoothing))
    throw new RecsysError(`smoothing must be a finite number >= 0, got ${options.smoothing}`, 'smoothing');
  const age = new Map<string, number>();
  seeds.forEach((seed, index) => {
    if (!age.has(seed)) age.set(seed, index);
  });
  const scores = new Map<string, number>();
  for (const { seed, next, weight, total } of followers) {
    const seedAge = age.get(seed);
    if (seedAge === undefined) continue;
    requireFinite(weight, 'weight');
    const denominator = total + options.smoothing;
    // A seed with no weighed follower and no smoothing has no shares to give.
    if (!(denominator > 0)) continue;
    const score = (options.recency ** seedAge * weight) / denominator;
    scores.set(next, (scores.get(next) ?? 0) + score);
  }
  return scores;
}
