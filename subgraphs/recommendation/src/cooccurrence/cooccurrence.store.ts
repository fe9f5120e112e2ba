import { compareIds } from '@serendip/db';
import type { CooccurrencePair } from '@serendip/recsys';
import type { DataSource, EntityManager } from 'typeorm';

/** Pairs written per statement while the table is rebuilt. */
const REBUILD_CHUNK = 1000;

/**
 * `product_cooccurrence`: item-to-item weights. The shoppers' histories the pairs come from are
 * read through EventStore; cooccurrence-pairs.ts turns them into pairs.
 */
export class CooccurrenceStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds pairs from freshly recorded events. Call it in the transaction that inserted them, so the
   * table never drifts from the log.
   */
  async add(manager: EntityManager, pairs: CooccurrencePair[], at: Date): Promise<void> {
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

  /** Replaces the whole table in one transaction (a rebuild from the log). */
  async replaceAll(pairs: readonly CooccurrencePair[], at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM product_cooccurrence');
      for (let start = 0; start < pairs.length; start += REBUILD_CHUNK) {
        const chunk = pairs.slice(start, start + REBUILD_CHUNK);
        await manager.query(
          `INSERT INTO product_cooccurrence (product_id, other_id, weight, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
        );
      }
    });
  }

  /** The products most often engaged with next to each of `productIds`, strongest first. */
  async partners(productIds: readonly string[], perProduct: number): Promise<{ productId: string; otherId: string; weight: number }[]> {
    if (productIds.length === 0) return [];
    const rows: { productId: string; otherId: string; weight: number }[] = await this.dataSource.query(
      `SELECT product_id AS productId, other_id AS otherId, weight FROM (
         SELECT product_id, other_id, weight, ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY weight DESC, other_id) AS position
         FROM product_cooccurrence WHERE product_id IN (${productIds.map(() => '?').join(', ')})
       ) AS ranked WHERE position <= ?`,
      [...productIds, perProduct],
    );
    return rows.map((row) => ({ productId: String(row.productId), otherId: String(row.otherId), weight: Number(row.weight) }));
  }
}
