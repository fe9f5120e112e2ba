import { startSubgraphServer } from '@serendip/federation';
import { CategoryService } from './category/category.service';
import type { CatalogueConfig } from './config';
import { createContextFactory } from './context';
import { openCatalogueDataSource } from './data-source';
import { ProductService } from './product/product.service';
import { buildCatalogueSchema } from './schema';

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startCatalogueSubgraph(config: CatalogueConfig) {
  const { dataSource, queries } = await openCatalogueDataSource(config);
  const running = await startSubgraphServer({
    name: 'catalogue',
    schema: await buildCatalogueSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, new ProductService(dataSource), new CategoryService(dataSource)),
    host: config.CATALOGUE_HOST,
    port: config.CATALOGUE_PORT,
    introspection: config.NODE_ENV !== 'production',
    sqlQueries: () => queries.total,
  });
  return {
    ...running,
    dataSource,
    queries,
    async stop() {
      await running.stop();
      await dataSource.destroy();
    },
  };
}
