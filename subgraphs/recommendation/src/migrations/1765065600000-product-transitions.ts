import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Directed item-to-item transitions, a candidate source beside undirected co-occurrence. Events
 * fill it as they are tracked; `EventStore.rebuildItemGraphs` recounts it from the log.
 */
export class ProductTransitions1765065600000 implements MigrationInterface {
  name = 'ProductTransitions1765065600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`product_transition\` (
        \`product_id\` bigint NOT NULL,
        \`next_id\` bigint NOT NULL,
        \`weight\` double NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_product_transition_product_weight\` (\`product_id\`, \`weight\`),
        PRIMARY KEY (\`product_id\`, \`next_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `product_transition`');
  }
}
