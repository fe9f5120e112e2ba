import { notFound } from '@serendip/federation';
import { IsNull, type DataSource } from 'typeorm';
import { isRowId } from '@serendip/db';
import { CategoryEntity } from './category.entity';
import { insertCategory, normaliseCategoryName } from './category.tree';
import type { CreateCategoryInput } from './dto/create-category.input';

export class CategoryService {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: CreateCategoryInput): Promise<CategoryEntity> {
    const name = normaliseCategoryName(input.name);
    const parentId = input.parentId ?? null;
    return this.dataSource.transaction(async (manager) => {
      let parent: CategoryEntity | null = null;
      if (parentId !== null) {
        parent = isRowId(parentId) ? await manager.getRepository(CategoryEntity).findOneBy({ id: parentId }) : null;
        if (!parent) throw notFound('Category', parentId);
      }
      return insertCategory(manager, name, parent);
    });
  }

  roots(): Promise<CategoryEntity[]> {
    return this.dataSource.getRepository(CategoryEntity).find({ where: { parentId: IsNull() }, order: { name: 'ASC', id: 'ASC' } });
  }
}
