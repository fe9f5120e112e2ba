import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fillSearchTokens } from '../product/search-tokens-backfill';

/**
 * `product.search_tokens`: the words the FULLTEXT index over title, brand and description cannot
 * hold (every word of a product with Han text, cut by jieba; words under the minimum token length
 * of the others) under their own FULLTEXT index, so Chinese and short-word search read an index
 * instead of scanning every row with LIKE '%…%'. The backfill fills it for the products already
 * there; a product written later gets it from the write.
 */
export class ProductSearchTokens1765670400000 implements MigrationInterface {
  name = 'ProductSearchTokens1765670400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `product` ADD `search_tokens` mediumtext NULL');
    await runner.query('ALTER TABLE `product` ADD FULLTEXT INDEX `ft_product_tokens` (`search_tokens`)');
    await fillSearchTokens((sql, parameters) => runner.query(sql, parameters));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `product` DROP INDEX `ft_product_tokens`, DROP COLUMN `search_tokens`');
  }
}
