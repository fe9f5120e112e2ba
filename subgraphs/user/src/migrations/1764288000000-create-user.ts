import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUser1764288000000 implements MigrationInterface {
  name = 'CreateUser1764288000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`user\` (
        \`id\` char(36) NOT NULL,
        \`email\` varchar(254) NOT NULL,
        \`display_name\` varchar(100) NOT NULL,
        \`locale\` varchar(16) NOT NULL DEFAULT 'en',
        \`roles\` varchar(64) NOT NULL DEFAULT 'shopper',
        \`password_hash\` varchar(255) NULL,
        \`personalisation_consent\` tinyint NOT NULL DEFAULT 1,
        \`consent_updated_at\` datetime(3) NOT NULL,
        \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE INDEX \`uq_user_email\` (\`email\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `user`');
  }
}
