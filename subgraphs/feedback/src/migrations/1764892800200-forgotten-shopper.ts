import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shoppers who asked to be forgotten: a still-valid token of theirs must not write a review again. */
export class ForgottenShopper1764892800200 implements MigrationInterface {
  name = 'ForgottenShopper1764892800200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`forgotten_shopper\` (
        \`user_id\` char(36) NOT NULL,
        \`forgotten_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`user_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `forgotten_shopper`');
  }
}
