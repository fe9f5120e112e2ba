import { compareIds } from '@serendip/db';
import type { CooccurrencePair, Follower } from '@serendip/recsys';
import type { DataSource, EntityManager } from 'typeorm';

/** Pairs written per statement while the table is rebuilt. */
const REBUILD_CHUNK = 1000;

/**
 * `product_transition`: directed item-to-item weights (a → b: b was engaged with after a). The
 * shoppers' histories they come from are read through EventStore; `transitionPairs` (recsys) turns
 * them into pairs.
 */
export class TransitionStore {
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
      `INSERT INTO product_transition (product_id, next_id, weight, updated_at)
       VALUES ${pairs.map(() => '(?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE weight = weight + VALUES(weight), updated_at = VALUES(updated_at)`,
      pairs.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
    );
  }

  /** Replaces the whole table in one transaction (a rebuild from the log). */
  async replaceAll(pairs: readonly CooccurrencePair[], at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM product_transition');
      for (let start = 0; start < pairs.length; start += REBUILD_CHUNK) {
        const chunk = pairs.slice(start, start + REBUILD_CHUNK);
        await manager.query(
          `INSERT INTO product_transition (product_id, next_id, weight, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
        );
      }
    });
  }

  /**
   * The `perProduct` heaviest followers of each of `productIds`, each with its seed's total weight
   * over all its followers (what `transitionScores` takes shares of), in one statement.
   */
  async followers(productIds: readonly string[], perProduct: number): Promise<Follower[]> {
    if (productIds.length === 0) return [];
    const rows = await this.dataSource.query<{ seed: string; next: string; weight: number; total: number }[]>(
      `SELECT product_id AS seed, next_id AS next, weight, total FROM (
         SELECT product_id, next_id, weight,
                SUM(weight) OVER (PARTITION BY product_id) AS total,
                ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY weight DESC, next_id) AS position
         FROM product_transition WHERE product_id IN (${productIds.map(() => '?').join(', ')})
       ) AS ranked WHERE position <= ?`,
      [...productIds, perProduct],
    );
    return rows.map((row) => ({ seed: String(row.seed), next: String(row.next), weight: Number(row.weight), total: Number(row.total) }));
  }
}
