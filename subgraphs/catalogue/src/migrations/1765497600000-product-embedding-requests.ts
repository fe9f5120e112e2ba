import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `product_embedding_request`: the outbox of product embeddings. A product write stores its row in
 * the same transaction; it is removed once the embedding job is queued, so a job that Redis did not
 * take is queued later by the sweep rather than at the catalogue's next start.
 */
export class ProductEmbeddingRequests1765497600000 implements MigrationInterface {
  name = 'ProductEmbeddingRequests1765497600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`product_embedding_request\` (
        \`product_id\` bigint NOT NULL,
        \`requested_at\` datetime(3) NOT NULL,
        INDEX \`idx_product_embedding_request_at\` (\`requested_at\`),
        PRIMARY KEY (\`product_id\`),
        CONSTRAINT \`fk_product_embedding_request_product\` FOREIGN KEY (\`product_id\`) REFERENCES \`product\` (\`id\`) ON DELETE CASCADE ON UPDATE RESTRICT
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `product_embedding_request`');
  }
}
