import type { CategoryEntity } from './category.entity';
import type { Category } from './category.type';

export function toCategory(entity: CategoryEntity): Category {
  return {
    id: entity.id,
    name: entity.name,
    slug: entity.slug,
    parentId: entity.parentId,
    pathIds: entity.path.split('/').filter(Boolean),
  };
}
