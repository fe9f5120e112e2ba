import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReview1764374400000 implements MigrationInterface {
  name = 'CreateReview1764374400000';

  // user_id and product_id point into other subgraphs' databases, so there are no foreign keys:
  // the catalogue is asked about products when a review is written.
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`review\` (
        \`id\` bigint unsigned NOT NULL AUTO_INCREMENT,
        \`user_id\` char(36) NOT NULL,
        \`product_id\` bigint unsigned NOT NULL,
        \`rating\` tinyint unsigned NOT NULL,
        \`text\` text NOT NULL,
        \`language\` varchar(8) NOT NULL DEFAULT 'und',
        \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        \`client_review_id\` varchar(64) NULL,
        PRIMARY KEY (\`id\`),
        UNIQUE INDEX \`uq_review_user_product\` (\`user_id\`, \`product_id\`),
        UNIQUE INDEX \`uq_review_user_client\` (\`user_id\`, \`client_review_id\`),
        INDEX \`idx_review_product_page\` (\`product_id\`, \`id\`),
        INDEX \`idx_review_user_page\` (\`user_id\`, \`id\`),
        CONSTRAINT \`chk_review_rating\` CHECK (\`rating\` BETWEEN 1 AND 5)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `review`');
  }
}
