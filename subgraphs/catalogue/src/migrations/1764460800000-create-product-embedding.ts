import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Product embeddings, one row per product and model; the version says which weights made it. */
export class CreateProductEmbedding1764460800000 implements MigrationInterface {
  name = 'CreateProductEmbedding1764460800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`product_embedding\` (
        \`product_id\` bigint NOT NULL,
        \`model\` varchar(100) NOT NULL,
        \`model_version\` varchar(64) NOT NULL,
        \`dimension\` smallint UNSIGNED NOT NULL,
        \`vector\` mediumblob NOT NULL,
        \`text_hash\` char(64) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (\`product_id\`, \`model\`),
        INDEX \`idx_product_embedding_model_version\` (\`model\`, \`model_version\`),
        CONSTRAINT \`fk_product_embedding_product\` FOREIGN KEY (\`product_id\`) REFERENCES \`product\` (\`id\`) ON DELETE CASCADE ON UPDATE RESTRICT
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `product_embedding`');
  }
}
