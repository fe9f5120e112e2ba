import { rowLoader } from '@serendip/federation';
import { In, type DataSource } from 'typeorm';
import { isRowId } from '@serendip/db';
import { ProductEntity } from './product.entity';

export function createProductLoader(dataSource: DataSource) {
  const repo = dataSource.getRepository(ProductEntity);
  return rowLoader<string, ProductEntity>(
    async (ids) => {
      const valid = ids.filter(isRowId);
      return valid.length ? repo.findBy({ id: In(valid) }) : [];
    },
    (product) => product.id,
  );
}
