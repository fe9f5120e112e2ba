import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each shopper's personalisation consent as this subgraph enforces it, and who asked to be forgotten. */
export class ShopperPrivacy1764892800100 implements MigrationInterface {
  name = 'ShopperPrivacy1764892800100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`shopper_privacy\` (
        \`user_id\` char(36) NOT NULL,
        \`personalisation\` tinyint NOT NULL,
        \`forgotten_at\` datetime(3) NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`user_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `shopper_privacy`');
  }
}
