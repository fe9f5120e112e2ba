import type { MysqlSettings } from '@serendip/db';
import type { DataSource } from 'typeorm';
import { openCatalogueDataSource } from '../data-source';
import { ProductEmbeddingStore, type ProductText } from './product-embedding.store';

/**
 * Product vectors and texts for the inference worker's interest updates, read from the
 * catalogue's own database on a connection of its own (the worker's ProductVectorSource).
 */
export class CatalogueVectorSource {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly embeddings: ProductEmbeddingStore,
  ) {}

  static async open(settings: MysqlSettings): Promise<CatalogueVectorSource> {
    const { dataSource } = await openCatalogueDataSource(settings);
    return new CatalogueVectorSource(dataSource, new ProductEmbeddingStore(dataSource));
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
