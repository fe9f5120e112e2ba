import { OutboxTable, type OutboxStore } from '@serendip/jobs';
import type { DataSource, EntityManager } from 'typeorm';

/** A product whose embedding is to be queued, as of its latest write. */
export interface EmbeddingRequest {
  productId: string;
  requestedAt: Date;
}

/** `product_embedding_request`, the outbox of product embeddings (see `JobOutbox`). */
export class EmbeddingRequestStore implements OutboxStore<EmbeddingRequest> {
  private readonly table: OutboxTable;

  constructor(dataSource: DataSource) {
    this.table = new OutboxTable(dataSource, 'product_embedding_request', 'product_id');
  }

  /** Records the requests in the caller's transaction, the one that writes the products. */
  request(manager: EntityManager, productIds: readonly string[], at: Date): Promise<void> {
    return this.table.request(manager, productIds, at);
  }

  async due(before: Date, limit: number): Promise<EmbeddingRequest[]> {
    return (await this.table.due(before, limit)).map(({ key, requestedAt }) => ({ productId: key, requestedAt }));
  }

  queued(requests: readonly EmbeddingRequest[], run: string, at: Date): Promise<void> {
    return this.table.queued(
      requests.map((request) => ({ key: request.productId, requestedAt: request.requestedAt })),
      run,
      at,
    );
  }

  requeueLost(run: string): Promise<number> {
    return this.table.requeueLost(run);
  }

  expire(before: Date): Promise<number> {
    return this.table.expire(before);
  }
}
