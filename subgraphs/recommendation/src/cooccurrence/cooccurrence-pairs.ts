import { cooccurrencePairs, type CooccurrencePair } from '@serendip/recsys';
import type { EventType } from '../event/event-type';
import { EVENT_WEIGHTS } from '../popularity/event-weights';
import { TRANSITION_MAX_GAP_MS, TRANSITION_WINDOW } from '../transitions/transition-settings';
import { COOCCURRENCE_MAX_GAP_MS as MAX_GAP_MS, COOCCURRENCE_WINDOW as WINDOW } from './cooccurrence-settings';

/** A product event as co-occurrence counts it. */
export interface ProductEvent {
  productId: string;
  type: EventType;
  occurredAt: Date;
}

/** A product event as the pairing functions (co-occurrence, transitions) take it: weighed by its type. */
export const weighted = (event: ProductEvent) => ({ productId: event.productId, weight: EVENT_WEIGHTS[event.type], occurredAt: event.occurredAt });

/** The fresh events that count towards co-occurrence: about a product, with a positive weight. */
export function countedEvents<E extends { productId: string | null; type: EventType; occurredAt: Date }>(fresh: readonly E[]): (E & ProductEvent)[] {
  return fresh.filter((event): event is E & ProductEvent => event.productId !== null && EVENT_WEIGHTS[event.type] > 0);
}

/**
 * The window of the shopper's stored history that fresh events pair with: events before the
 * earliest fresh one, at most the longer of the co-occurrence and transition gaps earlier, the
 * newest as many as the longer window. Each pairing function applies its own limits within it.
 */
export function historyWindow(counted: readonly ProductEvent[]): { from: Date; before: Date; limit: number } {
  const earliest = Math.min(...counted.map((event) => event.occurredAt.getTime()));
  return { from: new Date(earliest - Math.max(MAX_GAP_MS, TRANSITION_MAX_GAP_MS)), before: new Date(earliest), limit: Math.max(WINDOW, TRANSITION_WINDOW) };
}

/** The pairs a shopper's fresh events make with each other and with their history (newest first). */
export function freshPairs(history: readonly ProductEvent[], counted: readonly ProductEvent[]): CooccurrencePair[] {
  return cooccurrencePairs(history.map(weighted), counted.map(weighted), { windowSize: WINDOW, maxGapMs: MAX_GAP_MS });
}

/** Adds pairs into `totals`, keyed by (a, b): how rebuilds sum the pairs of many histories. */
export function sumPairs(totals: Map<string, CooccurrencePair>, pairs: readonly CooccurrencePair[]): void {
  for (const pair of pairs) {
    const key = `${pair.a}/${pair.b}`;
    const total = totals.get(key);
    if (total) total.weight += pair.weight;
    else totals.set(key, { ...pair });
  }
}

/**
 * Sums the pairs of whole histories (each oldest first) into `totals`, keyed by pair, with the same
 * pairing as live tracking: for rebuilding the table from the log.
 */
export function addHistoryPairs(totals: Map<string, CooccurrencePair>, history: readonly ProductEvent[]): void {
  const counted = history.filter((event) => EVENT_WEIGHTS[event.type] > 0).map(weighted);
  sumPairs(totals, cooccurrencePairs([], counted, { windowSize: WINDOW, maxGapMs: MAX_GAP_MS }));
}
