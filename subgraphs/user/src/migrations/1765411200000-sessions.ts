import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that can end: each sign-in opens a row holding the hash of its refresh token, and each
 * account gets a token version that revokes every access token issued below it.
 */
export class Sessions1765411200000 implements MigrationInterface {
  name = 'Sessions1765411200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `user` ADD `token_version` int UNSIGNED NOT NULL DEFAULT 0');
    await runner.query(`
      CREATE TABLE \`user_session\` (
        \`id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`refresh_hash\` char(64) NOT NULL,
        \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        \`refreshed_at\` datetime(3) NULL,
        \`expires_at\` datetime(3) NOT NULL,
        \`ended_at\` datetime(3) NULL,
        INDEX \`ix_user_session_user\` (\`user_id\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`fk_user_session_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`user\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `user_session`');
    await runner.query('ALTER TABLE `user` DROP COLUMN `token_version`');
  }
}
