import { openDataSource, type DatabaseAccountSettings } from '@serendip/db';
import { serveSubgraph } from '@serendip/federation';
import { AdminRoleService } from './admin/admin-role.service';
import type { UserConfig } from './config';
import { createContextFactory } from './context';
import { PrivacyClients } from './privacy/privacy.clients';
import { migrations } from './migrations';
import { buildUserSchema } from './schema';
import { UserEntity } from './user/user.entity';
import { UserService } from './user/user.service';
import { UserStore } from './user/user.store';

export const userEntities = [UserEntity];

/** Opens (migrating when needed) the user subgraph's database. */
export const openUserDataSource = (settings: DatabaseAccountSettings<'user'>) =>
  openDataSource({ settings, owner: 'user', entities: userEntities, migrations });

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startUserSubgraph(config: UserConfig) {
  const database = await openUserDataSource(config);
  const { dataSource } = database;
  const users = new UserService(
    dataSource,
    { jwtSecret: config.JWT_SECRET, jwtTtlSeconds: config.JWT_TTL_SECONDS },
    new PrivacyClients({ recommendation: config.RECOMMENDATION_URL, feedback: config.FEEDBACK_URL }, config.GATEWAY_SECRET),
  );
  return serveSubgraph({
    name: 'user',
    database,
    schema: await buildUserSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, users, new AdminRoleService(new UserStore(dataSource))),
    host: config.USER_HOST,
    port: config.USER_PORT,
    nodeEnv: config.NODE_ENV,
  });
}

/**
 * The operator's access to admin roles (`pnpm admin:grant`, the demo start, the e2e set-up): the
 * user database opened directly, so no process needs to be running and no token is involved.
 */
export async function withAdminRoles<T>(settings: DatabaseAccountSettings<'user'>, work: (roles: AdminRoleService) => Promise<T>): Promise<T> {
  const { dataSource } = await openUserDataSource(settings);
  try {
    return await work(new AdminRoleService(new UserStore(dataSource)));
  } finally {
    await dataSource.destroy();
  }
}
