import type { DatabaseAccountSettings } from '@serendip/db';
import type { DataSource } from 'typeorm';
import { openCatalogueDataSource } from '../data-source';
import { ProductEmbeddingStore, type ProductText } from './product-embedding.store';

/** A product vector from the worker: its model, and the hash (`textHash`) of the text it was embedded from. */
export interface IncomingProductVector {
  productId: string;
  model: string;
  version: string;
  vector: Float32Array;
  textHash: string;
}

/**
 * The inference worker's access to the catalogue's database, through its own store, on one
 * connection of the worker's: where embed-products jobs store product vectors (the worker's
 * ProductVectorSink), and where interest updates read vectors and texts (its ProductVectorSource).
 */
export class WorkerProductVectors {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly embeddings: ProductEmbeddingStore,
  ) {}

  static async open(settings: DatabaseAccountSettings<'catalogue'>): Promise<WorkerProductVectors> {
    const { dataSource } = await openCatalogueDataSource(settings);
    return new WorkerProductVectors(dataSource, new ProductEmbeddingStore(dataSource));
  }

  /** One statement per model version present (normally exactly one). */
  async store(vectors: readonly IncomingProductVector[]): Promise<void> {
    const byVersion = new Map<string, IncomingProductVector[]>();
    for (const vector of vectors) {
      const key = `${vector.model}\u0000${vector.version}`;
      const group = byVersion.get(key);
      if (group) group.push(vector);
      else byVersion.set(key, [vector]);
    }
    for (const group of byVersion.values()) {
      const { model, version } = group[0]!;
      await this.embeddings.upsert(
        model,
        version,
        group.map((vector) => ({ productId: vector.productId, textHash: vector.textHash, vector: vector.vector })),
      );
    }
  }

  vectorsOf(model: string, version: string, productIds: readonly string[]): Promise<Map<string, Float32Array>> {
    return this.embeddings.vectorsOf(model, version, productIds);
  }

  texts(productIds: readonly string[]): Promise<ProductText[]> {
    return this.embeddings.texts(productIds);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
