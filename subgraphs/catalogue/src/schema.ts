import { buildFederatedSchema } from '@serendip/federation';
import { resolveCategoryReference } from './category/category.reference';
import { CategoryResolver } from './category/category.resolver';
import { ProductVectorResolver } from './embedding/product-vector.resolver';
import { resolveProductReference } from './product/product.reference';
import { ProductResolver } from './product/product.resolver';

export const buildCatalogueSchema = () =>
  buildFederatedSchema({
    resolvers: [ProductResolver, CategoryResolver, ProductVectorResolver],
    references: {
      Product: { __resolveReference: resolveProductReference },
      Category: { __resolveReference: resolveCategoryReference },
    },
  });
