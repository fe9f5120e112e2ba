import type { OutboxStore } from '@serendip/jobs';
import type { DataSource, EntityManager } from 'typeorm';

/** A product whose embedding is to be queued, as of its latest write. */
export interface EmbeddingRequest {
  productId: string;
  requestedAt: Date;
}

/** `product_embedding_request`, the outbox of product embeddings (see `JobOutbox`). */
export class EmbeddingRequestStore implements OutboxStore<EmbeddingRequest> {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the requests in the caller's transaction, the one that writes the products. */
  async request(manager: EntityManager, productIds: readonly string[], at: Date): Promise<void> {
    if (productIds.length === 0) return;
    await manager.query(
      `INSERT INTO product_embedding_request (product_id, requested_at) VALUES ${productIds.map(() => '(?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE requested_at = GREATEST(requested_at, VALUES(requested_at))`,
      productIds.flatMap((id) => [id, at]),
    );
  }

  async due(before: Date, limit: number): Promise<EmbeddingRequest[]> {
    const rows: { productId: string; requestedAt: Date }[] = await this.dataSource.query(
      `SELECT product_id AS productId, requested_at AS requestedAt FROM product_embedding_request
       WHERE requested_at < ? ORDER BY requested_at, product_id LIMIT ?`,
      [before, limit],
    );
    return rows.map((row) => ({ productId: String(row.productId), requestedAt: new Date(row.requestedAt) }));
  }

  async queued(requests: readonly EmbeddingRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM product_embedding_request WHERE ${requests.map(() => '(product_id = ? AND requested_at <= ?)').join(' OR ')}`,
      requests.flatMap((request) => [request.productId, request.requestedAt]),
    );
  }
}
