import type { Follower } from '@serendip/recsys';
import type { DataSource } from 'typeorm';
import { ItemPairTable } from '../cooccurrence/item-pair-table';

/**
 * `product_transition`: directed item-to-item weights (a → b: b was engaged with after a). The
 * shoppers' histories they come from are read through EventStore; `transitionPairs` (recsys) turns
 * them into pairs.
 */
export class TransitionStore extends ItemPairTable {
  constructor(dataSource: DataSource) {
    super(dataSource, 'product_transition', 'next_id');
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
