import { commonEnv, createRedis, databasePasswordEnv } from '@serendip/config';
import { openDataSource, type DatabaseAccountSettings } from '@serendip/db';
import { logRedisOutages, pingRedis, serveSubgraph, SessionRevocations } from '@serendip/federation';
import { AdminRoleService } from './admin/admin-role.service';
import { userConfigSchema, type UserConfig } from './config';
import { createContextFactory } from './context';
import { PrivacyClients } from './privacy/privacy.clients';
import { migrations } from './migrations';
import { buildUserSchema } from './schema';
import { SessionEntity } from './session/session.entity';
import { SessionService } from './session/session.service';
import { TokenVersions } from './session/token-versions';
import { UserEntity } from './user/user.entity';
import { UserService } from './user/user.service';
import { UserStore } from './user/user.store';
import { logger } from '@serendip/telemetry';

export const userEntities = [UserEntity, SessionEntity];

/** Opens (migrating when needed) the user subgraph's database. */
export const openUserDataSource = (settings: DatabaseAccountSettings<'user'>) =>
  openDataSource({ settings, owner: 'user', entities: userEntities, migrations });

/** Where session revocations go: the Redis the gateways check, under the deployment's prefix. */
type RevocationSettings = Pick<UserConfig, 'REDIS_URL' | 'QUEUE_PREFIX'>;

/**
 * Fails fast instead of queueing: a revocation that cannot be written is reported to the caller
 * (SERVICE_UNAVAILABLE, retried) rather than left waiting for a reconnect.
 */
function openRevocations(settings: RevocationSettings) {
  const redis = logRedisOutages(createRedis(settings.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true }), 'revocations');
  return { redis, revocations: new SessionRevocations(redis, settings.QUEUE_PREFIX) };
}

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startUserSubgraph(config: UserConfig) {
  const database = await openUserDataSource(config);
  const { dataSource } = database;
  const { redis, revocations } = openRevocations(config);
  await redis
    .connect()
    .catch((error: unknown) => logger().error(`Redis unavailable, sign-out and role changes refused until it is: ${(error as Error).message}`));
  const versions = new TokenVersions(dataSource, revocations, config.JWT_TTL_SECONDS);
  const sessions = new SessionService(
    dataSource,
    { jwtSecret: config.JWT_SECRET, accessTtlSeconds: config.JWT_TTL_SECONDS, refreshTtlSeconds: config.REFRESH_TTL_SECONDS },
    revocations,
    versions,
  );
  const users = new UserService(
    dataSource,
    sessions,
    versions,
    new PrivacyClients({ recommendation: config.RECOMMENDATION_URL, feedback: config.FEEDBACK_URL }, config.GATEWAY_SECRET),
  );
  return serveSubgraph({
    name: 'user',
    database,
    schema: await buildUserSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, users, sessions, new AdminRoleService(new UserStore(dataSource), versions)),
    host: config.USER_HOST,
    port: config.USER_PORT,
    nodeEnv: config.NODE_ENV,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    // Without Redis sign-out and role changes are refused (their revocations live there).
    readiness: { redis: pingRedis(() => redis) },
    onStop: () => {
      redis.disconnect();
      return Promise.resolve();
    },
  });
}

/** What the operator's admin command reads: the database, and where to announce that a role change revoked tokens. */
export const adminRolesEnv = {
  ...commonEnv,
  ...databasePasswordEnv.user,
  QUEUE_PREFIX: userConfigSchema.shape.QUEUE_PREFIX,
  JWT_TTL_SECONDS: userConfigSchema.shape.JWT_TTL_SECONDS,
};
export type AdminRolesSettings = DatabaseAccountSettings<'user'> & RevocationSettings & Pick<UserConfig, 'JWT_TTL_SECONDS'>;

/**
 * The operator's access to admin roles (`pnpm admin:grant`, the demo start, the e2e set-up): the
 * user database opened directly, so no process needs to be running and no token is involved. A
 * change is announced to the gateways through Redis, so it takes effect at once.
 */
export async function withAdminRoles<T>(settings: AdminRolesSettings, work: (roles: AdminRoleService) => Promise<T>): Promise<T> {
  const { dataSource } = await openUserDataSource(settings);
  const { redis, revocations } = openRevocations(settings);
  try {
    await redis.connect();
    return await work(new AdminRoleService(new UserStore(dataSource), new TokenVersions(dataSource, revocations, settings.JWT_TTL_SECONDS)));
  } finally {
    redis.disconnect();
    await dataSource.destroy();
  }
}
