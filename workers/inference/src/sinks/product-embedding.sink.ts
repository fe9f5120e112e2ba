import type { MysqlSettings } from '@serendip/db';
import { openCatalogueDataSource, ProductEmbeddingStore } from '@serendip/subgraph-catalogue';
import type { DataSource } from 'typeorm';
import type { ProductEmbedding } from '../handlers/handler';
import { MicroBatcher } from '../micro-batcher';

type StoredEmbedding = ProductEmbedding & { textHash: string };

/**
 * Stores product embeddings in the catalogue's database through the catalogue's own store, as
 * part of the job: a job completes only once its vector is stored, so a database fault retries the
 * job instead of losing the vector. Rows of concurrent jobs are written in one statement.
 */
export class ProductEmbeddingSink {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly batcher: MicroBatcher<StoredEmbedding, void>,
  ) {}

  static async open(settings: MysqlSettings, batch: { maxSize: number; maxWaitMs: number }): Promise<ProductEmbeddingSink> {
    const { dataSource } = await openCatalogueDataSource(settings);
    const store = new ProductEmbeddingStore(dataSource);
    const batcher = new MicroBatcher<StoredEmbedding, void>(async (results) => {
      // One statement per model version present in the batch (normally exactly one).
      const byVersion = new Map<string, typeof results>();
      for (const result of results) byVersion.set(`${result.model}\u0000${result.version}`, [...(byVersion.get(`${result.model}\u0000${result.version}`) ?? []), result]);
      for (const group of byVersion.values()) {
        const { model, version } = group[0]!;
        await store.upsert(
          model,
          version,
          group.map((result) => ({ productId: result.productId, textHash: result.textHash, vector: result.vector })),
        );
      }
      return results.map(() => undefined);
    }, batch);
    return new ProductEmbeddingSink(dataSource, batcher);
  }

  /** Resolves once every vector is stored. */
  async store(embeddings: readonly StoredEmbedding[]): Promise<void> {
    await Promise.all(embeddings.map((embedding) => this.batcher.submit(embedding)));
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
