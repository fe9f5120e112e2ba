import type { BaseContext, Identity } from '@serendip/federation';
import type { DataSource } from 'typeorm';
import type { AdminRoleService } from './admin/admin-role.service';
import { createUserLoader } from './user/user.loader';
import type { UserService } from './user/user.service';
import type { SessionService } from './session/session.service';

export interface UserContext extends BaseContext {
  loaders: { user: ReturnType<typeof createUserLoader> };
  users: UserService;
  sessions: SessionService;
  adminRoles: AdminRoleService;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, users: UserService, sessions: SessionService, adminRoles: AdminRoleService) {
  return (identity: Identity): UserContext => ({
    identity,
    users,
    sessions,
    adminRoles,
    loaders: { user: createUserLoader(dataSource) },
  });
}
