import { openDataSource, type DatabaseAccountSettings } from '@serendip/db';
import { CategoryEntity } from './category/category.entity';
import { migrations } from './migrations';
import { EmbeddingRequestEntity } from './embedding/embedding-request.entity';
import { ProductEmbeddingEntity } from './embedding/product-embedding.entity';
import { ProductEntity } from './product/product.entity';

export const catalogueEntities = [CategoryEntity, ProductEntity, ProductEmbeddingEntity, EmbeddingRequestEntity];

/** Opens (migrating when needed) the catalogue database; also used by the demo-data importer. */
export const openCatalogueDataSource = (settings: DatabaseAccountSettings<'catalogue'>) =>
  openDataSource({
    settings,
    owner: 'catalogue',
    entities: catalogueEntities,
    migrations,
  });
