import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBehaviourEvent1764374400000 implements MigrationInterface {
  name = 'CreateBehaviourEvent1764374400000';

  async up(runner: QueryRunner): Promise<void> {
    // client_event_id is binary-collated: client ids are case-sensitive, and the unique key must
    // agree with the exact-match duplicate check the tracking service does in code.
    await runner.query(`
      CREATE TABLE \`behaviour_event\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`user_id\` char(36) NOT NULL,
        \`type\` enum('VIEW','SEARCH','CART','PURCHASE','CLICK') NOT NULL,
        \`product_id\` bigint NULL,
        \`category_id\` bigint NULL,
        \`query\` varchar(500) NULL,
        \`session_id\` varchar(64) NOT NULL,
        \`client_event_id\` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        \`occurred_at\` datetime(3) NOT NULL,
        \`received_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_behaviour_event_user_client_event\` (\`user_id\`, \`client_event_id\`),
        INDEX \`idx_behaviour_event_user_occurred\` (\`user_id\`, \`occurred_at\`),
        INDEX \`idx_behaviour_event_product\` (\`product_id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`product_popularity\` (
        \`product_id\` bigint NOT NULL,
        \`category_id\` bigint NULL,
        \`score\` double NOT NULL,
        \`events\` int NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_product_popularity_category_score\` (\`category_id\`, \`score\`),
        INDEX \`idx_product_popularity_score\` (\`score\`),
        PRIMARY KEY (\`product_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `product_popularity`');
    await runner.query('DROP TABLE `behaviour_event`');
  }
}
