import type { CatalogueContext } from '../context';
import { toProduct } from './product.mapper';
import type { Product } from './product.type';

/** Resolves `Product` entities that other subgraphs reference by id; unknown ids give null. */
export async function resolveProductReference(reference: Pick<Product, 'id'>, ctx: CatalogueContext): Promise<Product | null> {
  const product = await ctx.loaders.product.load(String(reference.id));
  return product ? toProduct(product) : null;
}
