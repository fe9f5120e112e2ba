import { RecsysError } from './errors';
import { requireCount, requireFinite } from './validate';

export interface CooccurrenceEvent {
  productId: string;
  /** Event-type weight (view < cart < purchase); events weighing 0 or less are ignored. */
  weight: number;
  occurredAt: Date;
}

export interface CooccurrenceOptions {
  /** How many preceding events of the same user a fresh event is paired with. */
  windowSize: number;
  /** The longest time between two events that still counts as one session of interest. */
  maxGapMs: number;
}

export interface CooccurrencePair {
  a: string;
  b: string;
  weight: number;
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
  const timeline = [...history.map((event) => ({ event, fresh: false })), ...fresh.map((event) => ({ event, fresh: true }))]
    .map((entry) => {
      requireFinite(entry.event.weight, 'weight');
      const time = entry.event.occurredAt.getTime();
      if (Number.isNaN(time)) throw new RecsysError(`event for ${entry.event.productId} has an invalid date`, 'occurredAt');
      return { ...entry, time };
    })
    // Array.prototype.sort is stable: at equal times history stays before fresh events, which stay in input order.
    .sort((x, y) => x.time - y.time);

  const totals = new Map<string, CooccurrencePair>();
  const add = (a: string, b: string, weight: number) => {
    const key = `${a}\u0000${b}`;
    const pair = totals.get(key);
    if (pair) pair.weight += weight;
    else totals.set(key, { a, b, weight });
  };

  timeline.forEach((current, position) => {
    if (!current.fresh || current.event.weight <= 0) return;
    const partners = new Map<string, number>();
    for (let back = position - 1; back >= Math.max(0, position - options.windowSize); back--) {
      const previous = timeline[back]!;
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
  return [...totals.values()].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}
