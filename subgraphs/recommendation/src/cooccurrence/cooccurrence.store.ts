import type { DataSource } from 'typeorm';
import { ItemPairTable } from './item-pair-table';

/** A product engaged with next to `productId`, with the pair's weight. */
export interface Cooccurring {
  productId: string;
  otherId: string;
  weight: number;
}

/**
 * `product_cooccurrence`: item-to-item weights. The shoppers' histories the pairs come from are
 * read through EventStore; cooccurrence-pairs.ts turns them into pairs.
 */
export class CooccurrenceStore extends ItemPairTable {
  constructor(dataSource: DataSource) {
    super(dataSource, 'product_cooccurrence', 'other_id');
  }

  /** The products most often engaged with next to each of `productIds`, strongest first. */
  async partners(productIds: readonly string[], perProduct: number): Promise<Cooccurring[]> {
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
