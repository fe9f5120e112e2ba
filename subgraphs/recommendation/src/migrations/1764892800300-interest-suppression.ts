import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Interests a shopper removed from their profile, kept out of later recognitions. */
export class InterestSuppression1764892800300 implements MigrationInterface {
  name = 'InterestSuppression1764892800300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`interest_suppression\` (
        \`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT,
        \`user_id\` char(36) NOT NULL,
        \`centroid\` text NOT NULL,
        \`label\` varchar(200) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        INDEX \`idx_interest_suppression_user\` (\`user_id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `interest_suppression`');
  }
}
