/**
 * How directed transitions are counted and read, in one place: the table's upkeep, the slate
 * engine and `pnpm eval:topn` (which replays the same counting offline) all use these. The decays
 * and smoothing were chosen on Amazon Beauty's validation items (docs/evaluation.md).
 */

/** Earlier product events of the shopper that a new one follows… */
export const TRANSITION_WINDOW = 20;
/** …further apart than this, two events are not one shopping intent. */
export const TRANSITION_MAX_GAP_MS = 24 * 3600 * 1000;
/** A follower `gap` events later weighs this to the power gap − 1. */
export const TRANSITION_GAP_DECAY = 0.7;
/** A slate reads the followers of the shopper's this many most recent distinct products… */
export const TRANSITION_SEEDS = 10;
/** …this many per product, the heaviest… */
export const PER_TRANSITION_SEED = 100;
/** …and a seed counts this much less per newer seed. */
export const TRANSITION_RECENCY = 0.7;
/** Added to each seed's total weight, so a seed followed once does not speak with full confidence. */
export const TRANSITION_SMOOTHING = 5;
