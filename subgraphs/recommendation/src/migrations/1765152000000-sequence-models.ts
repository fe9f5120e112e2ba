import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sequence model: its registry of trained versions (one SERVING at a time), each shopper's
 * query vector beside their interest profile (written by the worker, deleted with the profile on
 * consent withdrawal or forgetting), and the version each logged slate was made with.
 */
export class SequenceModels1765152000000 implements MigrationInterface {
  name = 'SequenceModels1765152000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`sequence_model_version\` (
        \`version\` varchar(40) NOT NULL,
        \`status\` enum('SERVING', 'RETIRED', 'REJECTED') NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`promoted_at\` datetime(3) NULL,
        \`validation_hr10\` double NOT NULL,
        \`validation_ndcg10\` double NOT NULL,
        \`baseline_version\` varchar(40) NULL,
        \`baseline_hr10\` double NULL,
        \`shoppers\` int unsigned NOT NULL,
        \`events\` int unsigned NOT NULL,
        \`items\` int unsigned NOT NULL,
        \`training_seconds\` double NOT NULL,
        \`note\` varchar(500) NOT NULL,
        INDEX \`idx_sequence_model_version_status\` (\`status\`, \`created_at\`),
        PRIMARY KEY (\`version\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query('ALTER TABLE `interest_profile` ADD `sequence_model_version` varchar(40) NULL, ADD `sequence_query` text NULL');
    await runner.query('ALTER TABLE `recommendation_slate` ADD `sequence_model_version` varchar(40) NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `recommendation_slate` DROP COLUMN `sequence_model_version`');
    await runner.query('ALTER TABLE `interest_profile` DROP COLUMN `sequence_query`, DROP COLUMN `sequence_model_version`');
    await runner.query('DROP TABLE `sequence_model_version`');
  }
}
