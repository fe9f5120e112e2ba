import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shopper segments: the fitted model and each consenting shopper's segment. */
export class ShopperSegments1764892800400 implements MigrationInterface {
  name = 'ShopperSegments1764892800400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`segment_model\` (
        \`id\` tinyint UNSIGNED NOT NULL,
        \`model\` mediumtext NOT NULL,
        \`shoppers\` int UNSIGNED NOT NULL,
        \`fitted_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`shopper_segment\` (
        \`user_id\` char(36) NOT NULL,
        \`segment\` smallint UNSIGNED NOT NULL,
        \`assigned_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`user_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `shopper_segment`');
    await runner.query('DROP TABLE `segment_model`');
  }
}
