import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What review insights need: each review's category (keyword statistics and topics are per
 * category), the worker's language, aspects, tokens, keywords and topic per review, and one topic
 * model per category.
 */
export class ReviewInsights1764806400000 implements MigrationInterface {
  name = 'ReviewInsights1764806400000';

  async up(runner: QueryRunner): Promise<void> {
    // NULL until the catalogue has told which category the product is in (see CategoryBackfill).
    await runner.query('ALTER TABLE `review` ADD `category_id` bigint UNSIGNED NULL, ADD INDEX `idx_review_category_page` (`category_id`, `id`)');
    await runner.query(`
      ALTER TABLE \`review_analysis\`
        ADD \`language\` varchar(8) NULL,
        ADD \`aspects\` mediumtext NULL,
        ADD \`terms\` mediumtext NULL,
        ADD \`keywords\` varchar(1000) NULL,
        ADD \`topic\` smallint UNSIGNED NULL`);
    // Reviews analysed before this migration lack aspects and terms: analyse them again.
    await runner.query(`UPDATE review_analysis SET status = 'PENDING', requested_at = CURRENT_TIMESTAMP(3) WHERE status = 'DONE'`);
    await runner.query(`
      CREATE TABLE \`review_topic_model\` (
        \`category_id\` bigint UNSIGNED NOT NULL,
        \`model\` mediumtext NOT NULL,
        \`fitted_reviews\` int UNSIGNED NOT NULL,
        \`fitted_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`category_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `review_topic_model`');
    await runner.query('ALTER TABLE `review_analysis` DROP `topic`, DROP `keywords`, DROP `terms`, DROP `aspects`, DROP `language`');
    await runner.query('ALTER TABLE `review` DROP INDEX `idx_review_category_page`, DROP `category_id`');
  }
}
