import type { CatalogueContext } from '../context';
import { toCategory } from './category.mapper';
import type { Category } from './category.type';

/** Resolves `Category` entities that other subgraphs reference by id. */
export async function resolveCategoryReference(reference: Pick<Category, 'id'>, ctx: CatalogueContext): Promise<Category | null> {
  const category = await ctx.loaders.category.load(String(reference.id));
  return category ? toCategory(category) : null;
}
