import { rowLoader } from '@serendip/federation';
import { In, type DataSource } from 'typeorm';
import { UserEntity } from './user.entity';

export function createUserLoader(dataSource: DataSource) {
  const repo = dataSource.getRepository(UserEntity);
  return rowLoader<string, UserEntity>(
    (ids) => repo.findBy({ id: In([...ids]) }),
    (user) => user.id,
  );
}
