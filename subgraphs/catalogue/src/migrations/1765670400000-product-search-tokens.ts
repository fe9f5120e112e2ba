import type { MigrationInterface, QueryRunner } from 'typeorm';
import { productSearchTokens } from '../product/search-tokens';

/** Products read and written per round of the backfill. */
const BATCH = 1000;

/**
 * `product.search_tokens`: the words of products with Han text, cut by jieba, under their own
 * FULLTEXT index, so Chinese search reads an index instead of scanning every row with LIKE
 * '%…%'. The backfill fills it for the products already there with today's cut; a product written
 * later gets it from the write.
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
      for (const row of rows) {
        const tokens = productSearchTokens(row);
        if (tokens !== null) await runner.query('UPDATE `product` SET `search_tokens` = ? WHERE id = ?', [tokens, row.id]);
      }
      after = String(rows[rows.length - 1]!.id);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `product` DROP INDEX `ft_product_tokens`, DROP COLUMN `search_tokens`');
  }
}
