import { EventType } from '../event/event-type';

/**
 * How much one event of each type counts, both towards a product's popularity score and towards
 * a shopper's affinity for the product's category: a purchase says more about taste than a view.
 * SEARCH names no product, so it weighs nothing. Edit these numbers to re-tune ranking; new
 * events use them at once, and `EventStore.rebuildPopularity()` re-scores the recorded history.
 */
export const EVENT_WEIGHTS: Readonly<Record<EventType, number>> = Object.freeze({
  [EventType.PURCHASE]: 5,
  [EventType.CART]: 3,
  [EventType.CLICK]: 2,
  [EventType.VIEW]: 1,
  [EventType.SEARCH]: 0,
});

export type EventWeights = Readonly<Record<EventType, number>>;

/** Types that move popularity; the others never create a popularity row. */
export function weightedTypes(weights: EventWeights = EVENT_WEIGHTS): EventType[] {
  return Object.values(EventType).filter((type) => weights[type] > 0);
}

/**
 * `CASE type WHEN ... END` scoring one row of `behaviour_event`, for aggregates computed in SQL.
 * The weights are numbers from code, never input, so inlining them is safe.
 */
export function weightSql(column: string, weights: EventWeights = EVENT_WEIGHTS): string {
  const branches = weightedTypes(weights).map((type) => {
    const weight = weights[type];
    if (!Number.isFinite(weight)) throw new Error(`event weight for ${type} is not a finite number`);
    return `WHEN '${type}' THEN ${weight}`;
  });
  return `CASE ${column} ${branches.join(' ')} ELSE 0 END`;
}
