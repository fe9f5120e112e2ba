import type { EntityManager } from 'typeorm';
import type { EventType } from '../event/event-type';
import { compareIds } from '../product/product-id';
import { EVENT_WEIGHTS, weightedTypes, weightSql } from './event-weights';

export interface PopularityContribution {
  type: EventType;
  productId: string | null;
  categoryId: string | null;
}

interface ProductDelta {
  productId: string;
  categoryId: string | null;
  score: number;
  events: number;
}

/**
 * Adds freshly inserted events to `product_popularity` with one multi-row upsert. Call it in the
 * transaction that inserted the events, so the aggregate never drifts from the log.
 */
export async function addToPopularity(manager: EntityManager, events: PopularityContribution[], at: Date): Promise<void> {
  const deltas = new Map<string, ProductDelta>();
  for (const event of events) {
    const weight = EVENT_WEIGHTS[event.type];
    if (!event.productId || weight <= 0) continue;
    const delta = deltas.get(event.productId) ?? { productId: event.productId, categoryId: null, score: 0, events: 0 };
    delta.categoryId = event.categoryId;
    delta.score += weight;
    delta.events += 1;
    deltas.set(event.productId, delta);
  }
  if (deltas.size === 0) return;
  // Rows are locked in id order so concurrent batches over the same products cannot deadlock.
  const rows = [...deltas.values()].sort((a, b) => compareIds(a.productId, b.productId));
  await manager.query(
    `INSERT INTO product_popularity (product_id, category_id, score, events, updated_at)
     VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}
     ON DUPLICATE KEY UPDATE
       category_id = VALUES(category_id),
       score = score + VALUES(score),
       events = events + VALUES(events),
       updated_at = VALUES(updated_at)`,
    rows.flatMap((row) => [row.productId, row.categoryId, row.score, row.events, at]),
  );
}

/**
 * Recomputes popularity from the event log: for `productIds`, or for every product when null.
 * INSERT ... SELECT reads the log with locks, so events committed meanwhile are not lost.
 */
export async function recomputePopularity(manager: EntityManager, productIds: string[] | null, at: Date): Promise<void> {
  if (productIds && productIds.length === 0) return;
  const types = weightedTypes();
  if (types.length === 0) return;
  const productFilter = productIds ? `AND product_id IN (${productIds.map(() => '?').join(', ')})` : '';
  await manager.query(
    `INSERT INTO product_popularity (product_id, category_id, score, events, updated_at)
     SELECT product_id, category_id, score, events, ? FROM (
       SELECT product_id, category_id,
         SUM(${weightSql('type')}) OVER (PARTITION BY product_id) AS score,
         COUNT(*) OVER (PARTITION BY product_id) AS events,
         ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY id DESC) AS newest
       FROM behaviour_event
       WHERE product_id IS NOT NULL AND type IN (${types.map(() => '?').join(', ')}) ${productFilter}
     ) AS per_product
     WHERE newest = 1
     ON DUPLICATE KEY UPDATE
       category_id = VALUES(category_id),
       score = VALUES(score),
       events = VALUES(events),
       updated_at = VALUES(updated_at)`,
    [at, ...types, ...(productIds ?? [])],
  );
}
