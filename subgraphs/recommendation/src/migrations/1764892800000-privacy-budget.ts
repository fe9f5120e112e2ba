import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Differential-privacy budgets per analyst with their audit ledger, and period indexes on the
 * event log for behaviour analytics (every analytics query ranges over `occurred_at`).
 */
export class PrivacyBudget1764892800000 implements MigrationInterface {
  name = 'PrivacyBudget1764892800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`privacy_budget\` (
        \`analyst_id\` char(36) NOT NULL,
        \`total_epsilon\` double NOT NULL,
        \`spent_epsilon\` double NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`analyst_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`privacy_ledger\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`analyst_id\` char(36) NOT NULL,
        \`query\` varchar(64) NOT NULL,
        \`epsilon\` double NOT NULL,
        \`delta\` double NULL,
        \`created_at\` datetime(3) NOT NULL,
        INDEX \`idx_privacy_ledger_analyst_created\` (\`analyst_id\`, \`created_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query('CREATE INDEX `idx_behaviour_event_occurred` ON `behaviour_event` (`occurred_at`)');
    await runner.query('CREATE INDEX `idx_behaviour_event_category_occurred` ON `behaviour_event` (`category_id`, `occurred_at`)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX `idx_behaviour_event_category_occurred` ON `behaviour_event`');
    await runner.query('DROP INDEX `idx_behaviour_event_occurred` ON `behaviour_event`');
    await runner.query('DROP TABLE `privacy_ledger`');
    await runner.query('DROP TABLE `privacy_budget`');
  }
}
