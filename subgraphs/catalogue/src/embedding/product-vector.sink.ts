import type { MysqlSettings } from '@serendip/db';
import type { DataSource } from 'typeorm';
import { openCatalogueDataSource } from '../data-source';
import { ProductEmbeddingStore } from './product-embedding.store';

/** A product vector from the worker: its model, and the hash (`textHash`) of the text it was embedded from. */
export interface IncomingProductVector {
  productId: string;
  model: string;
  version: string;
  vector: Float32Array;
  textHash: string;
}

/**
 * Where the inference worker's embed-products jobs store product vectors: the catalogue's own
 * database, through its own store, on a connection of its own (the worker's ProductVectorSink).
 */
export class CatalogueVectorSink {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly embeddings: ProductEmbeddingStore,
  ) {}

  static async open(settings: MysqlSettings): Promise<CatalogueVectorSink> {
    const { dataSource } = await openCatalogueDataSource(settings);
    return new CatalogueVectorSink(dataSource, new ProductEmbeddingStore(dataSource));
  }

  /** One statement per model version present (normally exactly one). */
  async store(vectors: readonly IncomingProductVector[]): Promise<void> {
    const byVersion = new Map<string, IncomingProductVector[]>();
    for (const vector of vectors)
      byVersion.set(`${vector.model}\u0000${vector.version}`, [...(byVersion.get(`${vector.model}\u0000${vector.version}`) ?? []), vector]);
    for (const group of byVersion.values()) {
      const { model, version } = group[0]!;
      await this.embeddings.upsert(
        model,
        version,
        group.map((vector) => ({ productId: vector.productId, textHash: vector.textHash, vector: vector.vector })),
      );
    }
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
