import type { BaseContext, Identity } from '@serendip/federation';
import type { DataSource } from 'typeorm';
import { createUserLoader } from './user/user.loader';
import type { UserService } from './user/user.service';

export interface UserContext extends BaseContext {
  loaders: { user: ReturnType<typeof createUserLoader> };
  users: UserService;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, users: UserService) {
  return (identity: Identity): UserContext => ({
    identity,
    users,
    loaders: { user: createUserLoader(dataSource) },
  });
}
