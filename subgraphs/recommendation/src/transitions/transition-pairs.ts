import { transitionPairs, type CooccurrencePair } from '@serendip/recsys';
import { sumPairs, weighted, type ProductEvent } from '../cooccurrence/cooccurrence-pairs';
import { EVENT_WEIGHTS } from '../popularity/event-weights';
import { TRANSITION_GAP_DECAY, TRANSITION_MAX_GAP_MS, TRANSITION_WINDOW } from './transition-settings';

const OPTIONS = { windowSize: TRANSITION_WINDOW, maxGapMs: TRANSITION_MAX_GAP_MS, gapDecay: TRANSITION_GAP_DECAY };

/** The transitions a shopper's fresh events make from each other and from their history (any order). */
export function freshTransitions(history: readonly ProductEvent[], counted: readonly ProductEvent[]): CooccurrencePair[] {
  return transitionPairs(history.map(weighted), counted.map(weighted), OPTIONS);
}

/**
 * Sums the transitions of whole histories (each oldest first) into `totals`, keyed by pair, with
 * the same counting as live tracking: for rebuilding the table from the log.
 */
export function addHistoryTransitions(totals: Map<string, CooccurrencePair>, history: readonly ProductEvent[]): void {
  const counted = history.filter((event) => EVENT_WEIGHTS[event.type] > 0).map(weighted);
  sumPairs(totals, transitionPairs([], counted, OPTIONS));
}
