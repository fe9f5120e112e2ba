import { databaseName, openDataSource, type MysqlSettings } from '@serendip/db';
import { serveSubgraph } from '@serendip/federation';
import type { UserConfig } from './config';
import { createContextFactory } from './context';
import { PrivacyClients } from './privacy/privacy.clients';
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
  const database = await openUserDataSource(config);
  const { dataSource } = database;
  const users = new UserService(
    dataSource,
    { jwtSecret: config.JWT_SECRET, jwtTtlSeconds: config.JWT_TTL_SECONDS, adminEmails: config.ADMIN_EMAILS },
    new PrivacyClients({ recommendation: config.RECOMMENDATION_URL, feedback: config.FEEDBACK_URL }, config.GATEWAY_SECRET),
  );
  return serveSubgraph({
    name: 'user',
    database,
    schema: await buildUserSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, users),
    host: config.USER_HOST,
    port: config.USER_PORT,
    nodeEnv: config.NODE_ENV,
  });
}
