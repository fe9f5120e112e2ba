import { databaseName, openDataSource, type MysqlSettings } from '@serendip/db';
import { startSubgraphServer } from '@serendip/federation';
import type { UserConfig } from './config';
import { createContextFactory } from './context';
import { migrations } from './migrations';
import { buildUserSchema } from './schema';
import { UserEntity } from './user/user.entity';
import { UserService } from './user/user.service';

export const userEntities = [UserEntity];

/** Opens (creating and migrating when needed) the user subgraph's database. */
export const openUserDataSource = (config: Pick<UserConfig, keyof MysqlSettings>) =>
  openDataSource({ settings: config, database: databaseName(config, 'user'), entities: userEntities, migrations });

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startUserSubgraph(config: UserConfig) {
  const { dataSource, queries } = await openUserDataSource(config);
  const users = new UserService(dataSource, {
    jwtSecret: config.JWT_SECRET,
    jwtTtlSeconds: config.JWT_TTL_SECONDS,
    adminEmails: config.ADMIN_EMAILS,
  });
  const running = await startSubgraphServer({
    name: 'user',
    schema: await buildUserSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, users),
    host: config.USER_HOST,
    port: config.USER_PORT,
    introspection: config.NODE_ENV !== 'production',
    sqlQueries: () => queries.total,
  });
  return {
    ...running,
    dataSource,
    queries,
    async stop() {
      await running.stop();
      await dataSource.destroy();
    },
  };
}
