/**
 * How co-occurrence is counted and read, in one place: the table's upkeep, the slate engine and
 * `pnpm eval:topn` (which replays the same counting offline) all use these.
 */

/** Earlier product events of the shopper a new one is paired with. */
export const COOCCURRENCE_WINDOW = 20;
/** Further apart than this, two events are not one shopping intent. */
export const COOCCURRENCE_MAX_GAP_MS = 24 * 3600 * 1000;
/** A slate reads co-occurrence from the shopper's this many most recent distinct products… */
export const COOCCURRENCE_SEEDS = 10;
/** …and, per product, its this many heaviest partners. */
export const PER_COOCCURRENCE_SEED = 20;
