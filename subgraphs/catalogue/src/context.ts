import type { BaseContext, Identity } from '@serendip/federation';
import { translateQuery } from '@serendip/text';
import type { DataSource } from 'typeorm';
import { createCategoryLoader, createChildrenLoader, createProductCountLoader } from './category/category.loader';
import type { CategoryService } from './category/category.service';
import type { EmbeddingService } from './embedding/embedding.service';
import { createProductLoader } from './product/product.loader';
import type { ProductService } from './product/product.service';
import { ProductSearch } from './search/product-search';

export interface CatalogueLoaders {
  product: ReturnType<typeof createProductLoader>;
  category: ReturnType<typeof createCategoryLoader>;
  children: ReturnType<typeof createChildrenLoader>;
  productCount: ReturnType<typeof createProductCountLoader>;
}

export interface CatalogueContext extends BaseContext {
  loaders: CatalogueLoaders;
  products: ProductService;
  categories: CategoryService;
  /** Null when no embedding model is configured: semantic search is then unavailable. */
  embeddings: EmbeddingService | null;
  /** searchProducts' LEXICAL, SEMANTIC and HYBRID modes over the two above. */
  search: ProductSearch;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, products: ProductService, categories: CategoryService, embeddings: EmbeddingService | null) {
  const search = new ProductSearch(products, embeddings, { translate: (query) => translateQuery(query) });
  return (identity: Identity): CatalogueContext => ({
    identity,
    products,
    categories,
    embeddings,
    search,
    loaders: {
      product: createProductLoader(dataSource),
      category: createCategoryLoader(dataSource),
      children: createChildrenLoader(dataSource),
      productCount: createProductCountLoader(dataSource),
    },
  });
}
