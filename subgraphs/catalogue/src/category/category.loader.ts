import { groupLoader, rowLoader } from '@serendip/federation';
import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { isRowId } from '@serendip/db';
import { CategoryEntity } from './category.entity';

export function createCategoryLoader(dataSource: DataSource) {
  const repo = dataSource.getRepository(CategoryEntity);
  return rowLoader<string, CategoryEntity>(
    async (ids) => {
      const valid = ids.filter(isRowId);
      return valid.length ? repo.findBy({ id: In(valid) }) : [];
    },
    (category) => category.id,
  );
}

export function createChildrenLoader(dataSource: DataSource) {
  const repo = dataSource.getRepository(CategoryEntity);
  return groupLoader<string, CategoryEntity>(
    (parentIds) => repo.find({ where: { parentId: In([...parentIds]) }, order: { name: 'ASC', id: 'ASC' } }),
    (category) => category.parentId ?? '',
  );
}

/** Products in each category's whole subtree, one grouped query per batch. */
export function createProductCountLoader(dataSource: DataSource) {
  return new DataLoader<string, number>(async (ids) => {
    const rows = await dataSource.query<{ id: string; count: string | number }[]>(
      `SELECT a.id AS id, COUNT(p.id) AS count
         FROM category a
         JOIN category d ON d.path LIKE CONCAT(a.path, '%')
         JOIN product p ON p.category_id = d.id
        WHERE a.id IN (?)
        GROUP BY a.id`,
      [ids.filter(isRowId).concat('0')],
    );
    const counts = new Map(rows.map((row) => [String(row.id), Number(row.count)] as const));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}
