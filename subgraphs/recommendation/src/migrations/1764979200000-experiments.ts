import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A/B experiments: their definitions, each enrolled shopper's sticky arm, the arm on every slate
 * it served, and the order value of purchases (revenue per shopper). Clicks and purchases are
 * found from slates through behaviour_event.recommendation_id, hence its index.
 */
export class Experiments1764979200000 implements MigrationInterface {
  name = 'Experiments1764979200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`experiment\` (
        \`id\` char(36) NOT NULL,
        \`name\` varchar(100) NOT NULL,
        \`slot\` enum ('HOME', 'PRODUCT', 'CART') NOT NULL,
        \`status\` enum ('DRAFT', 'RUNNING', 'STOPPED') NOT NULL,
        \`allocation\` enum ('FIXED', 'ADAPTIVE') NOT NULL,
        \`primary_metric\` enum ('CTR', 'CONVERSION', 'REVENUE_PER_SHOPPER') NOT NULL,
        \`target_segment\` smallint UNSIGNED NULL,
        \`arms\` text NOT NULL,
        \`created_by\` char(36) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`started_at\` datetime(3) NULL,
        \`stopped_at\` datetime(3) NULL,
        UNIQUE INDEX \`uq_experiment_name\` (\`name\`),
        INDEX \`idx_experiment_status_slot\` (\`status\`, \`slot\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`experiment_assignment\` (
        \`experiment_id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`arm\` tinyint UNSIGNED NOT NULL,
        \`propensity\` double NOT NULL,
        \`assigned_at\` datetime(3) NOT NULL,
        INDEX \`idx_experiment_assignment_user\` (\`user_id\`),
        PRIMARY KEY (\`experiment_id\`, \`user_id\`),
        CONSTRAINT \`fk_experiment_assignment_experiment\` FOREIGN KEY (\`experiment_id\`) REFERENCES \`experiment\` (\`id\`) ON DELETE CASCADE ON UPDATE RESTRICT
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      ALTER TABLE \`recommendation_slate\`
        ADD \`experiment_id\` char(36) NULL,
        ADD \`experiment_arm\` tinyint UNSIGNED NULL,
        ADD \`arm_propensity\` double NULL,
        ADD INDEX \`idx_recommendation_slate_experiment\` (\`experiment_id\`, \`experiment_arm\`)`);
    await runner.query(`
      ALTER TABLE \`behaviour_event\`
        ADD \`value\` decimal(12,2) NULL,
        ADD INDEX \`idx_behaviour_event_recommendation\` (\`recommendation_id\`)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `behaviour_event` DROP INDEX `idx_behaviour_event_recommendation`, DROP COLUMN `value`');
    await runner.query(
      'ALTER TABLE `recommendation_slate` DROP INDEX `idx_recommendation_slate_experiment`, DROP COLUMN `arm_propensity`, DROP COLUMN `experiment_arm`, DROP COLUMN `experiment_id`',
    );
    await runner.query('DROP TABLE `experiment_assignment`');
    await runner.query('DROP TABLE `experiment`');
  }
}
