import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `interest_update_request`: the outbox of interest updates. trackEvents (and a signed order) write
 * the shopper's row in the transaction that records their events; it is removed once the update is
 * queued, so an update that Redis did not take is queued later by the sweep.
 */
export class InterestUpdateRequests1765497600000 implements MigrationInterface {
  name = 'InterestUpdateRequests1765497600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`interest_update_request\` (
        \`user_id\` char(36) NOT NULL,
        \`requested_at\` datetime(3) NOT NULL,
        INDEX \`idx_interest_update_request_at\` (\`requested_at\`),
        PRIMARY KEY (\`user_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `interest_update_request`');
  }
}
