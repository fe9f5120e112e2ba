import { AppError, badInput, ErrorCode } from '@serendip/federation';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { CategoryEntity } from './category.entity';

/** Keeps `path` (20 characters per level at most) inside its 255-character column. */
export const MAX_CATEGORY_DEPTH = 10;
const MAX_SLUG_LENGTH = 255;

export function normaliseCategoryName(value: string, field = 'name'): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length < 1 || name.length > 100) throw badInput('name must be 1 to 100 characters', field);
  return name;
}

/** Letters and digits of any script survive, so Chinese names get readable slugs too. */
function slugSegment(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}

export function categorySlug(name: string, parent: CategoryEntity | null, field = 'name'): string {
  const segment = slugSegment(name);
  if (!segment) throw badInput('name needs at least one letter or digit', field);
  const slug = parent ? `${parent.slug}/${segment}` : segment;
  if (slug.length > MAX_SLUG_LENGTH) throw badInput('the category path is too long', field);
  return slug;
}

/**
 * Inserts one category under `parent` and fills in its materialized path, which needs the new id.
 * Call inside a transaction so a failure leaves no row without a path.
 */
export async function insertCategory(manager: EntityManager, name: string, parent: CategoryEntity | null): Promise<CategoryEntity> {
  const depth = parent ? parent.depth + 1 : 0;
  if (depth >= MAX_CATEGORY_DEPTH) throw badInput(`categories nest at most ${MAX_CATEGORY_DEPTH} levels deep`, 'parentId');
  const slug = categorySlug(name, parent);
  const repo = manager.getRepository(CategoryEntity);
  let id: string;
  try {
    const result = await repo.insert({ name, slug, parentId: parent?.id ?? null, path: '', depth });
    id = String(result.identifiers[0]?.id);
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
      throw new AppError(ErrorCode.Conflict, `A category with slug ${slug} already exists`, { field: 'name' });
    }
    throw error;
  }
  const path = `${parent?.path ?? '/'}${id}/`;
  await repo.update({ id }, { path });
  return repo.findOneByOrFail({ id });
}
