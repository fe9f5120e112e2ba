import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `interest_update_request` keeps a request after it is queued, marked with the run id of the Redis that took
 * it: a Redis that restarts without its data loses waiting jobs, and the sweep queues again the
 * kept requests of an earlier run (`JobOutbox`). Kept rows are removed an hour after queueing.
 */
export class OutboxQueuedRuns1765584000000 implements MigrationInterface {
  name = 'OutboxQueuedRuns1765584000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE \`interest_update_request\`
        ADD \`queued_at\` datetime(3) NULL,
        ADD \`queued_run\` varchar(40) NULL,
        ADD INDEX \`idx_interest_update_request_queued\` (\`queued_at\`)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE `interest_update_request` DROP INDEX `idx_interest_update_request_queued`, DROP COLUMN `queued_run`, DROP COLUMN `queued_at`',
    );
  }
}
