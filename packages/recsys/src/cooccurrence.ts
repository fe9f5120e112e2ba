import { RecsysError } from './errors';
import { byPair, timeline, type CooccurrenceEvent, type CooccurrencePair } from './pairs';

export type { CooccurrenceEvent, CooccurrencePair } from './pairs';
import { requireCount } from './validate';

export interface CooccurrenceOptions {
  /** How many preceding events of the same user a fresh event is paired with. */
  windowSize: number;
  /** The longest time between two events that still counts as one session of interest. */
  maxGapMs: number;
}

/**
 * Item-to-item co-occurrence increments for one user's new events: each `fresh` event is paired
 * with the up-to-`windowSize` events before it (from `history` or earlier fresh events) that lie
 * within `maxGapMs`, in both directions, weight = product of the two event weights. A product
 * seen several times in the window pairs once, with its heaviest event; self pairs are dropped.
 * Pairs are summed per (a, b) and sorted by a, then b.
 *
 * Only earlier events are paired, so adding each event once as fresh counts each co-occurrence
 * once; a fresh event older than some history (a late arrival) is not paired with the later ones.
 */
export function cooccurrencePairs(
  history: readonly CooccurrenceEvent[],
  fresh: readonly CooccurrenceEvent[],
  options: CooccurrenceOptions,
): CooccurrencePair[] {
  requireCount(options.windowSize, 1, 'windowSize');
  if (!(options.maxGapMs >= 0)) throw new RecsysError(`maxGapMs must be >= 0, got ${options.maxGapMs}`, 'maxGapMs');
  const events = timeline(history, fresh);

  const totals = new Map<string, CooccurrencePair>();
  const add = (a: string, b: string, weight: number) => {
    const key = `${a}\u0000${b}`;
    const pair = totals.get(key);
    if (pair) pair.weight += weight;
    else totals.set(key, { a, b, weight });
  };

  events.forEach((current, position) => {
    if (!current.fresh || current.event.weight <= 0) return;
    const partners = new Map<string, number>();
    for (let back = position - 1; back >= Math.max(0, position - options.windowSize); back--) {
      const previous = events[back]!;
      if (current.time - previous.time > options.maxGapMs) break;
      const { productId, weight } = previous.event;
      if (productId === current.event.productId || weight <= 0) continue;
      partners.set(productId, Math.max(partners.get(productId) ?? 0, weight));
    }
    for (const [productId, weight] of partners) {
      add(current.event.productId, productId, current.event.weight * weight);
      add(productId, current.event.productId, current.event.weight * weight);
    }
  });
  return [...totals.values()].sort(byPair);
}
