import type { MysqlSettings } from '@serendip/db';
import type { EmbedProductResult } from '@serendip/jobs';
import { openCatalogueDataSource, ProductEmbeddingStore } from '@serendip/subgraph-catalogue';
import type { DataSource } from 'typeorm';
import { MicroBatcher } from '../micro-batcher';

/**
 * Stores product embeddings in the catalogue's database through the catalogue's own store, as
 * part of the job: a job completes only once its vector is stored, so a database fault retries the
 * job instead of losing the vector. Rows of concurrent jobs are written in one statement.
 */
export class ProductEmbeddingSink {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly batcher: MicroBatcher<EmbedProductResult & { textHash: string }, void>,
  ) {}

  static async open(settings: MysqlSettings, batch: { maxSize: number; maxWaitMs: number }): Promise<ProductEmbeddingSink> {
    const { dataSource } = await openCatalogueDataSource(settings);
    const store = new ProductEmbeddingStore(dataSource);
    const batcher = new MicroBatcher<EmbedProductResult & { textHash: string }, void>(async (results) => {
      // One statement per model version present in the batch (normally exactly one).
      const byVersion = new Map<string, typeof results>();
      for (const result of results) byVersion.set(`${result.model}\u0000${result.version}`, [...(byVersion.get(`${result.model}\u0000${result.version}`) ?? []), result]);
      for (const group of byVersion.values()) {
        const { model, version } = group[0]!;
        await store.upsert(
          model,
          version,
          group.map((result) => ({ productId: result.productId, textHash: result.textHash, vector: Float32Array.from(result.embedding) })),
        );
      }
      return results.map(() => undefined);
    }, batch);
    return new ProductEmbeddingSink(dataSource, batcher);
  }

  store(result: EmbedProductResult, textHash: string): Promise<void> {
    return this.batcher.submit({ ...result, textHash });
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
