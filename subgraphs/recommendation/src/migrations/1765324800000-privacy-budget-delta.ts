import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Differential-privacy budgets account for delta as well as epsilon, keep analyst ids in one
 * canonical form, and gain a platform budget per period:
 *
 * - Analyst ids are lowercased. The key's case-insensitive collation had already folded every
 *   spelling of an id into one row, so nothing collides; a CHECK keeps them lowercase from now on,
 *   so no spelling of an id can ever key a row of its own.
 * - `total_delta` and `spent_delta`: what each analyst has already spent is summed from the
 *   ledger; existing analysts get the default delta budget (PRIVACY_BUDGET_DELTA's default, 1e-4,
 *   fixed here as migrations do not read settings), so one who spent more than that has none left.
 * - `privacy_period_budget`: what all releases of one period spent together. A period's row is
 *   created by its first release, starting from the ledger's releases in it, so releases made
 *   before this migration count; `idx_privacy_ledger_created` serves that sum.
 */
export class PrivacyBudgetDelta1765324800000 implements MigrationInterface {
  name = 'PrivacyBudgetDelta1765324800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('UPDATE `privacy_budget` SET `analyst_id` = LOWER(`analyst_id`)');
    await runner.query('UPDATE `privacy_ledger` SET `analyst_id` = LOWER(`analyst_id`)');
    await runner.query(
      'ALTER TABLE `privacy_budget` ADD `total_delta` double NOT NULL DEFAULT 1e-4, ADD `spent_delta` double NOT NULL DEFAULT 0, ' +
        'ADD CONSTRAINT `chk_privacy_budget_analyst_lowercase` CHECK (`analyst_id` COLLATE utf8mb4_bin = LOWER(`analyst_id`))',
    );
    await runner.query(
      'UPDATE `privacy_budget` b SET `spent_delta` = (SELECT COALESCE(SUM(l.`delta`), 0) FROM `privacy_ledger` l WHERE l.`analyst_id` = b.`analyst_id`)',
    );
    // The defaults only filled the rows that existed: the application always writes both columns.
    await runner.query('ALTER TABLE `privacy_budget` ALTER COLUMN `total_delta` DROP DEFAULT, ALTER COLUMN `spent_delta` DROP DEFAULT');
    await runner.query(
      'ALTER TABLE `privacy_ledger` ADD CONSTRAINT `chk_privacy_ledger_analyst_lowercase` CHECK (`analyst_id` COLLATE utf8mb4_bin = LOWER(`analyst_id`))',
    );
    await runner.query('CREATE INDEX `idx_privacy_ledger_created` ON `privacy_ledger` (`created_at`)');
    await runner.query(`
      CREATE TABLE \`privacy_period_budget\` (
        \`period_start\` datetime(3) NOT NULL,
        \`spent_epsilon\` double NOT NULL,
        \`spent_delta\` double NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`period_start\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `privacy_period_budget`');
    await runner.query('DROP INDEX `idx_privacy_ledger_created` ON `privacy_ledger`');
    await runner.query('ALTER TABLE `privacy_ledger` DROP CONSTRAINT `chk_privacy_ledger_analyst_lowercase`');
    await runner.query(
      'ALTER TABLE `privacy_budget` DROP CONSTRAINT `chk_privacy_budget_analyst_lowercase`, DROP COLUMN `spent_delta`, DROP COLUMN `total_delta`',
    );
  }
}
