import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vector feed reads embeddings of one model version in (updated_at, product_id) order from a
 * cursor; this index makes each page a seek. It starts with the old index's columns, which it replaces.
 */
export class IndexProductEmbeddingFeed1764633600000 implements MigrationInterface {
  name = 'IndexProductEmbeddingFeed1764633600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE \`product_embedding\`
        ADD INDEX \`idx_product_embedding_feed\` (\`model\`, \`model_version\`, \`updated_at\`, \`product_id\`),
        DROP INDEX \`idx_product_embedding_model_version\``);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE \`product_embedding\`
        ADD INDEX \`idx_product_embedding_model_version\` (\`model\`, \`model_version\`),
        DROP INDEX \`idx_product_embedding_feed\``);
  }
}
