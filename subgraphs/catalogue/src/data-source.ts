import { databaseName, openDataSource } from '@serendip/db';
import { CategoryEntity } from './category/category.entity';
import type { CatalogueConfig } from './config';
import { migrations } from './migrations';
import { ProductEntity } from './product/product.entity';

export const catalogueEntities = [CategoryEntity, ProductEntity];

/** Opens (creating and migrating when needed) the catalogue database; also used by the demo-data importer. */
export const openCatalogueDataSource = (config: CatalogueConfig) =>
  openDataSource({
    settings: config,
    database: databaseName(config, 'catalogue'),
    entities: catalogueEntities,
    migrations,
  });
