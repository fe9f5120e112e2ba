import { RecsysError } from './errors';
import { requireFinite } from './validate';

export interface CooccurrenceEvent {
  productId: string;
  /** Event-type weight (view < cart < purchase); events weighing 0 or less are ignored. */
  weight: number;
  occurredAt: Date;
}

export interface CooccurrencePair {
  a: string;
  b: string;
  weight: number;
}

/** An event on a user's timeline, marked fresh when it is being counted now. */
export interface TimelineEntry {
  event: CooccurrenceEvent;
  fresh: boolean;
  time: number;
}

/**
 * A user's stored and fresh events in time order, checked: finite weights and valid dates. The
 * sort is stable, so at equal times history stays before fresh events, which stay in input order.
 */
export function timeline(history: readonly CooccurrenceEvent[], fresh: readonly CooccurrenceEvent[]): TimelineEntry[] {
  return [...history.map((event) => ({ event, fresh: false })), ...fresh.map((event) => ({ event, fresh: true }))]
    .map((entry) => {
      requireFinite(entry.event.weight, 'weight');
      const time = entry.event.occurredAt.getTime();
      if (Number.isNaN(time)) throw new RecsysError(`event for ${entry.event.productId} has an invalid date`, 'occurredAt');
      return { ...entry, time };
    })
    .sort((x, y) => x.time - y.time);
}

/** Pairs in (a, b) order, as the item-to-item functions return them. */
export const byPair = (x: CooccurrencePair, y: CooccurrencePair): number => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0);
