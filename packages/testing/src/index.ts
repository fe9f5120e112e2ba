import { createRedis, loadConfig, mysqlAdminEnv, pubsub, type RedisClient, z } from '@serendip/config';
import { dropDatabase, openAdminConnection, provisionDatabases, type DatabaseOwner, type MysqlSettings } from '@serendip/db';
import { signIdentity, type Identity, ANONYMOUS, SUBGRAPHS } from '@serendip/federation';
import { Cluster, type Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

/**
 * Secrets of this test file's throwaway stacks: random per run (jest loads this module afresh for
 * each file), so no test depends on a value anyone else knows, and every subgraph a file starts
 * from `testEnv()` agrees with the others and with `subgraphClient`.
 */
export const testSecrets = () => ({
  GATEWAY_SECRET: randomBytes(32).toString('hex'),
  JWT_SECRET: randomBytes(32).toString('hex'),
  ORDER_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
  USER_DB_PASSWORD: randomBytes(24).toString('hex'),
  CATALOGUE_DB_PASSWORD: randomBytes(24).toString('hex'),
  RECOMMENDATION_DB_PASSWORD: randomBytes(24).toString('hex'),
  FEEDBACK_DB_PASSWORD: randomBytes(24).toString('hex'),
});

const secrets = testSecrets();

/** The secret this test file's subgraphs verify forwarded identities with. */
export const TEST_GATEWAY_SECRET = secrets.GATEWAY_SECRET;

/**
 * Environment for a throwaway stack: a unique database prefix per test file, so integration
 * tests run side by side on the one MariaDB and leave nothing behind after `dropTestDatabases`.
 */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prefix = `t_${randomBytes(4).toString('hex')}`;
  return {
    NODE_ENV: 'test',
    MYSQL_DATABASE_PREFIX: prefix,
    // Queues too: jobs a test enqueues never reach a worker of another test or of a running demo.
    QUEUE_PREFIX: prefix,
    // And pub/sub channels: notices a test publishes reach only its own subscribers.
    PUBSUB_PREFIX: prefix,
    // Tests that want the start-up embedding backfill turn it on.
    EMBEDDING_BACKFILL: 'off',
    ...secrets,
    ...overrides,
  };
}

/** The server's admin account, as the set-up reads it (MYSQL_ADMIN_USER, root by default): tests only create and drop with it. */
const testAdmin = () => loadConfig('test set-up', z.object(mysqlAdminEnv), process.env);

/**
 * Creates a test's databases and their accounts as the set-up does (`pnpm db:setup`), before the
 * test opens them as each subgraph's own account.
 */
export async function createTestDatabases(settings: MysqlSettings, owners: readonly DatabaseOwner[]): Promise<void> {
  // With this file's passwords, the ones `testEnv()` gives every process the file starts.
  await provisionDatabases({ ...settings, ...secrets, ...testAdmin() }, owners);
}

/** A connection as the admin account, for a test that looks across its databases (no subgraph's account may); the caller ends it. */
export const testAdminConnection = (settings: MysqlSettings) => openAdminConnection({ ...settings, ...testAdmin() });

/**
 * Drops a test's databases and their accounts and, when its settings name a queue prefix, every
 * Redis key under it (jobs the test enqueued for a worker it did not start).
 */
export async function dropTestDatabases(settings: MysqlSettings & { QUEUE_PREFIX?: string; REDIS_URL?: string }, owners: DatabaseOwner[]): Promise<void> {
  const admin = testAdmin();
  for (const owner of owners) await dropDatabase({ ...settings, ...admin }, owner);
  if (settings.QUEUE_PREFIX?.startsWith('t_') && settings.REDIS_URL) await dropRedisKeys(settings.REDIS_URL, settings.QUEUE_PREFIX);
}

/** The servers holding a client's keys: itself, or a cluster's masters. */
const servers = (client: RedisClient): Redis[] => (client instanceof Cluster ? client.nodes('master') : [client]);

/** Deletes every key under `prefix`, on every master of a cluster. */
export async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const server of servers(redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        // One DEL per key: keys of one cluster node may still lie in different slots.
        if (keys.length > 0) await keys.reduce((batch, key) => batch.del(key), server.pipeline()).exec();
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Looks at Redis pub/sub from outside, as a test does: how many connections listen on a channel
 * (PUBSUB NUMSUB, or SHARDNUMSUB over a cluster's masters), and notices to publish. Close it when done.
 */
export class PubSubProbe {
  private readonly redis: RedisClient;

  constructor(redisUrl: string) {
    this.redis = createRedis(redisUrl, { maxRetriesPerRequest: 1 });
  }

  async subscribers(channel: string): Promise<number> {
    if (!(this.redis instanceof Cluster)) {
      const [, count] = (await this.redis.pubsub('NUMSUB', channel)) as [string, number];
      return count;
    }
    // Masters are known once the cluster is ready, which a command waits for. A sharded channel's
    // subscribers are on the master that owns its slot; the others count none.
    await this.redis.ping();
    const counts = await Promise.all(servers(this.redis).map(async (server) => ((await server.pubsub('SHARDNUMSUB', channel)) as [string, number])[1]));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** Waits until `channel` has `expected` subscribers; fails naming the last count after `timeoutMs`. */
  async untilSubscribers(channel: string, expected: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = await this.subscribers(channel);
      if (count === expected) return;
      if (Date.now() > deadline) throw new Error(`${channel} has ${count} subscribers, not ${expected}, after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Publishes a message; resolves to the number of connections that received it. */
  publish(channel: string, message = ''): Promise<number> {
    return pubsub.publish(this.redis, channel, message);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** Posts a GraphQL operation to `url` with optional headers. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Omit<GraphQLResponse<T>, 'status'>;
  try {
    body = JSON.parse(text) as Omit<GraphQLResponse<T>, 'status'>;
  } catch {
    throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, ...body };
}

/**
 * Calls a subgraph directly as the gateway would, carrying a signed identity. It is signed for
 * every subgraph (the gateway signs for one), so a test need not say which one it calls.
 */
export function subgraphClient(url: string, secret = TEST_GATEWAY_SECRET) {
  return <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, identity: Identity = ANONYMOUS) =>
    postGraphQL<T>(url, query, variables, { 'x-serendip-identity': signIdentity(secret, identity, SUBGRAPHS) });
}

/**
 * The SQL statements one request cost, as its subgraph reports them outside production
 * (`extensions.sqlStatements`): that request's own, whatever else the process is doing.
 */
export function sqlStatements(response: GraphQLResponse<unknown>): number {
  const statements = response.extensions?.sqlStatements;
  if (typeof statements !== 'number') throw new Error(`no extensions.sqlStatements in ${JSON.stringify(response.extensions ?? null)}`);
  return statements;
}

/** Codes of the errors in a response, for compact assertions. */
export const errorCodes = (response: GraphQLResponse<unknown>): (string | undefined)[] => (response.errors ?? []).map((error) => error.extensions?.code);
export { sampleMoments } from './statistics';
export { OutageRelay } from './outage';
export { ScratchRedis, ScratchRedisCluster, ScratchSentinel } from './scratch-redis';
export { ScratchS3 } from './scratch-s3';
export { freePort, freePorts } from './ports';
export { childProcesses, processEnded, untilProcessesEnd } from './processes';
export * from './prometheus';
export { runTsCommand, type CommandRun } from './command';
