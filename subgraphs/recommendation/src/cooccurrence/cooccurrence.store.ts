import { cooccurrencePairs } from '@serendip/recsys';
import type { EntityManager, DataSource } from 'typeorm';
import { EVENT_WEIGHTS } from '../popularity/event-weights';
import { compareIds } from '../product/product-id';
import type { EventRow } from '../event/event.store';

/** Earlier product events of the shopper a new one is paired with. */
const WINDOW = 20;
/** Further apart than this, two events are not one shopping intent. */
const MAX_GAP_MS = 24 * 3600 * 1000;

/**
 * Adds one shopper's freshly recorded events to the co-occurrence table. Call it in the
 * transaction that inserted them: the pairs come from their stored history, and the table never
 * drifts from the log.
 */
export async function addToCooccurrence(manager: EntityManager, userId: string, fresh: readonly EventRow[], at: Date): Promise<void> {
  const events = fresh.filter((row) => row.productId !== null && EVENT_WEIGHTS[row.type] > 0);
  if (events.length === 0) return;
  const earliest = Math.min(...events.map((row) => row.occurredAt.getTime()));
  const history: { productId: string; type: EventRow['type']; occurredAt: Date | string }[] = await manager.query(
    `SELECT product_id AS productId, type, occurred_at AS occurredAt FROM behaviour_event
     WHERE user_id = ? AND product_id IS NOT NULL AND occurred_at >= ? AND occurred_at < ?
     ORDER BY occurred_at DESC, id DESC LIMIT ?`,
    [userId, new Date(earliest - MAX_GAP_MS), new Date(earliest), WINDOW],
  );
  const pairs = cooccurrencePairs(
    history.map((row) => ({ productId: String(row.productId), weight: EVENT_WEIGHTS[row.type], occurredAt: new Date(row.occurredAt) })),
    events.map((row) => ({ productId: row.productId!, weight: EVENT_WEIGHTS[row.type], occurredAt: row.occurredAt })),
    { windowSize: WINDOW, maxGapMs: MAX_GAP_MS },
  );
  if (pairs.length === 0) return;
  // Rows are locked in key order so concurrent batches over the same products cannot deadlock.
  pairs.sort((x, y) => compareIds(x.a, y.a) || compareIds(x.b, y.b));
  await manager.query(
    `INSERT INTO product_cooccurrence (product_id, other_id, weight, updated_at)
     VALUES ${pairs.map(() => '(?, ?, ?, ?)').join(', ')}
     ON DUPLICATE KEY UPDATE weight = weight + VALUES(weight), updated_at = VALUES(updated_at)`,
    pairs.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
  );
}

/** The products most often engaged with next to each of `productIds`, strongest first. */
export async function cooccurringProducts(
  dataSource: DataSource,
  productIds: readonly string[],
  perProduct: number,
): Promise<{ productId: string; otherId: string; weight: number }[]> {
  if (productIds.length === 0) return [];
  const rows: { productId: string; otherId: string; weight: number }[] = await dataSource.query(
    `SELECT product_id AS productId, other_id AS otherId, weight FROM (
       SELECT product_id, other_id, weight, ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY weight DESC, other_id) AS position
       FROM product_cooccurrence WHERE product_id IN (${productIds.map(() => '?').join(', ')})
     ) AS ranked WHERE position <= ?`,
    [...productIds, perProduct],
  );
  return rows.map((row) => ({ productId: String(row.productId), otherId: String(row.otherId), weight: Number(row.weight) }));
}
