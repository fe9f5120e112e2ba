import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Interest profiles, logged slates with propensities, bandit state and item co-occurrence. */
export class CreatePersonalisation1764547200000 implements MigrationInterface {
  name = 'CreatePersonalisation1764547200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `behaviour_event` ADD `recommendation_id` char(36) NULL');
    await runner.query(`
      CREATE TABLE \`interest_profile\` (
        \`user_id\` char(36) NOT NULL,
        \`profile\` longtext NOT NULL,
        \`signals\` int NOT NULL,
        \`model\` varchar(100) NOT NULL,
        \`model_version\` varchar(64) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`user_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`recommendation_slate\` (
        \`id\` char(36) NOT NULL,
        \`user_id\` char(36) NULL,
        \`slot\` enum('HOME','PRODUCT','CART') NOT NULL,
        \`policy\` varchar(64) NOT NULL,
        \`policy_version\` varchar(32) NOT NULL,
        \`exploration\` double NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        INDEX \`idx_recommendation_slate_user_created\` (\`user_id\`, \`created_at\`),
        INDEX \`idx_recommendation_slate_created\` (\`created_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`recommendation_item\` (
        \`slate_id\` char(36) NOT NULL,
        \`rank\` smallint NOT NULL,
        \`product_id\` bigint NOT NULL,
        \`source\` varchar(32) NOT NULL,
        \`score\` double NOT NULL,
        \`propensity\` double NOT NULL,
        \`explored\` tinyint NOT NULL,
        \`features\` varchar(1000) NOT NULL,
        INDEX \`idx_recommendation_item_product\` (\`product_id\`),
        PRIMARY KEY (\`slate_id\`, \`rank\`),
        CONSTRAINT \`fk_recommendation_item_slate\` FOREIGN KEY (\`slate_id\`) REFERENCES \`recommendation_slate\` (\`id\`) ON DELETE CASCADE ON UPDATE RESTRICT
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`arm_stat\` (
        \`slot\` enum('HOME','PRODUCT','CART') NOT NULL,
        \`product_id\` bigint NOT NULL,
        \`impressions\` int NOT NULL,
        \`clicks\` int NOT NULL,
        \`purchases\` int NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`slot\`, \`product_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`linucb_state\` (
        \`slot\` enum('HOME','PRODUCT','CART') NOT NULL,
        \`dimension\` smallint NOT NULL,
        \`a\` blob NOT NULL,
        \`b\` blob NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`slot\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE \`product_cooccurrence\` (
        \`product_id\` bigint NOT NULL,
        \`other_id\` bigint NOT NULL,
        \`weight\` double NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_product_cooccurrence_product_weight\` (\`product_id\`, \`weight\`),
        PRIMARY KEY (\`product_id\`, \`other_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `product_cooccurrence`');
    await runner.query('DROP TABLE `linucb_state`');
    await runner.query('DROP TABLE `arm_stat`');
    await runner.query('DROP TABLE `recommendation_item`');
    await runner.query('DROP TABLE `recommendation_slate`');
    await runner.query('DROP TABLE `interest_profile`');
    await runner.query('ALTER TABLE `behaviour_event` DROP COLUMN `recommendation_id`');
  }
}
