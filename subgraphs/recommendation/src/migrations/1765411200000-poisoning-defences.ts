import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Defences against poisoning the shared statistics (docs/security.md, section 7):
 * - `behaviour_event.counted`: whether an event counts towards popularity, co-occurrence,
 *   transitions and bandit rewards under the per-shopper cap. Events recorded before count, as
 *   they did; `EventStore.recountContributions` applies the cap to them on request.
 * - `behaviour_event.verified`: a PURCHASE from a signed order. Purchases recorded before came from
 *   clients, so none is, and their values (catalogue prices of what a client said it bought) no
 *   longer count as revenue.
 * - `shop_order`: the signed orders recorded, one row per order id, so a replayed order writes
 *   nothing.
 */
export class PoisoningDefences1765411200000 implements MigrationInterface {
  name = 'PoisoningDefences1765411200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `behaviour_event` ADD `verified` tinyint NOT NULL DEFAULT 0, ADD `counted` tinyint NOT NULL DEFAULT 1');
    await runner.query(`
      CREATE TABLE \`shop_order\` (
        \`order_id\` varchar(64) COLLATE utf8mb4_bin NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`items\` int NOT NULL,
        \`total\` decimal(12,2) NOT NULL,
        \`occurred_at\` datetime(3) NOT NULL,
        \`received_at\` datetime(3) NOT NULL,
        INDEX \`idx_shop_order_user\` (\`user_id\`),
        PRIMARY KEY (\`order_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `shop_order`');
    await runner.query('ALTER TABLE `behaviour_event` DROP COLUMN `counted`, DROP COLUMN `verified`');
  }
}
