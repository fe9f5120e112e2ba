import { batchesOf } from '@serendip/db';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { productSearchTokens } from '../product/search-tokens';

/** Products read per round of the backfill, and written per UPDATE at most (fewer when their words are long: batchesOf). */
const BATCH = 1000;

/**
 * `product.search_tokens`: the words the FULLTEXT index over title, brand and description cannot
 * hold (every word of a product with Han text, cut by jieba; words under the minimum token length
 * of the others) under their own FULLTEXT index, so Chinese and short-word search read an index
 * instead of scanning every row with LIKE '%…%'. The backfill fills it for the products already
 * there with today's cut, one UPDATE per batch; a product written later gets it from the write.
 */
export class ProductSearchTokens1765670400000 implements MigrationInterface {
  name = 'ProductSearchTokens1765670400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `product` ADD `search_tokens` mediumtext NULL');
    await runner.query('ALTER TABLE `product` ADD FULLTEXT INDEX `ft_product_tokens` (`search_tokens`)');
    for (let after = '0'; ;) {
      const rows = (await runner.query('SELECT id, title, brand, description FROM `product` WHERE id > ? ORDER BY id LIMIT ?', [after, BATCH])) as {
        id: string | number;
        title: string;
        brand: string | null;
        description: string;
      }[];
      if (rows.length === 0) break;
      const filled = rows.flatMap((row) => {
        const tokens = productSearchTokens(row);
        return tokens === null ? [] : [{ id: String(row.id), tokens }];
      });
      // One statement per batch: a derived table of (id, tokens) joined to the rows it fills.
      for (const batch of batchesOf(filled, BATCH, (row) => Buffer.byteLength(row.tokens))) {
        const values = batch.map(() => 'SELECT CAST(? AS SIGNED) AS id, ? AS tokens').join(' UNION ALL ');
        await runner.query(
          `UPDATE \`product\` p JOIN (${values}) v ON v.id = p.id SET p.search_tokens = v.tokens`,
          batch.flatMap((row) => [row.id, row.tokens]),
        );
      }
      after = String(rows[rows.length - 1]!.id);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `product` DROP INDEX `ft_product_tokens`, DROP COLUMN `search_tokens`');
  }
}
