import { compareIds } from '@serendip/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventType } from '../event/event-type';
import type { PopularProduct } from '../popular-in-category/popular-in-category';
import { EVENT_WEIGHTS } from './event-weights';

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
 * `product_popularity`: the running popularity per product. Recomputing it from the log is a
 * single INSERT … SELECT over `behaviour_event`, so it lives in EventStore.recomputePopularity.
 */
export class PopularityStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds freshly inserted events with one multi-row upsert. Call it in the transaction that
   * inserted the events, so the aggregate never drifts from the log.
   */
  async add(manager: EntityManager, events: readonly PopularityContribution[], at: Date): Promise<void> {
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

  /** Empties the table, in the transaction that recomputes it. */
  async clear(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM product_popularity');
  }

  /** The most popular of the products with events since `since`. */
  async trending(since: Date, limit: number): Promise<{ productId: string; score: number }[]> {
    const rows: { productId: string; score: number }[] = await this.dataSource.query(
      `SELECT product_id AS productId, score FROM product_popularity WHERE updated_at >= ? ORDER BY score DESC, product_id LIMIT ?`,
      [since, limit],
    );
    return rows.map((row) => ({ productId: String(row.productId), score: Number(row.score) }));
  }

  /** The `perCategory` most popular products of each category, in one query. */
  async topInCategories(categoryIds: readonly string[], perCategory: number): Promise<PopularProduct[]> {
    if (categoryIds.length === 0) return [];
    const rows: { productId: string; categoryId: string; score: number }[] = await this.dataSource.query(
      `SELECT product_id AS productId, category_id AS categoryId, score
       FROM (
         SELECT product_id, category_id, score,
           ROW_NUMBER() OVER (PARTITION BY category_id ORDER BY score DESC, product_id) AS position
         FROM product_popularity
         WHERE category_id IN (${categoryIds.map(() => '?').join(', ')})
       ) AS ranked
       WHERE position <= ?`,
      [...categoryIds, perCategory],
    );
    return rows.map((row) => ({ ...row, score: Number(row.score) }));
  }

  /** The most popular products of all. */
  async top(limit: number): Promise<PopularProduct[]> {
    const rows: { productId: string; categoryId: string | null; score: number }[] = await this.dataSource.query(
      `SELECT product_id AS productId, category_id AS categoryId, score
       FROM product_popularity
       ORDER BY score DESC, product_id
       LIMIT ?`,
      [limit],
    );
    return rows.map((row) => ({ ...row, score: Number(row.score) }));
  }
}
