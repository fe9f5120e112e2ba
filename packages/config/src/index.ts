import { z } from 'zod';
import { ConfigError } from './config-error';
import { redisUrlSetting } from './redis';
import { DEFAULT_INSTALLATION_KEY_FILE, secret, withInstallationSecrets } from './secrets';

export { z, ConfigError };
export { formatColumns } from './columns';
export { projectPath, projectRoot } from './project-root';
export { secret, secretNames } from './secrets';
export { createRedis, DEFAULT_REDIS_URL, pubsub, redisTopology, redisUrlSetting } from './redis';
export type { RedisAddress, RedisClient, RedisClientOptions, RedisTopology } from './redis';

export interface LoadConfigOptions {
  /**
   * The key secrets left unset are derived from outside production (see `withInstallationSecrets`).
   * @default `.run/installation-key` in the checkout
   */
  installationKeyFile?: string;
}

/**
 * Parses `env` once against `schema`, naming every bad variable at once rather than failing on
 * the first, so an operator fixes a deployment in one pass.
 */
export function loadConfig<S extends z.ZodObject>(
  processName: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): z.infer<S> {
  const parsed = schema.safeParse(withInstallationSecrets(processName, schema, env, options.installationKeyFile ?? DEFAULT_INSTALLATION_KEY_FILE));
  if (!parsed.success) {
    throw new ConfigError(
      processName,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/**
 * An optional setting of which an empty value (`NAME=` in an env file, a variable compose passes
 * through unset) counts as unset, so a deployment can list the setting without choosing a value.
 */
export const unsetIfEmpty = <T extends z.ZodType>(setting: T) => z.preprocess((value) => (value === '' ? undefined : value), setting.optional());

/**
 * Tracing, shared by every serving process (docs/operations.md "Tracing"). Off unless an endpoint
 * is set; the names are OpenTelemetry's own, so a deployment's usual OTel settings apply.
 */
export const telemetryEnv = {
  /**
   * Base URL of an OTLP/HTTP receiver (an OpenTelemetry Collector, Jaeger, Tempo); spans are
   * posted to `<url>/v1/traces` as OTLP JSON. Empty counts as unset (compose passes it through).
   * @default unset: no spans are made or sent
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.string().url()),
  /** How long finished spans are buffered to be sent together, in ms. @default 5000 */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(60_000).default(5000),
} as const;

/** Shared settings every Serendip process understands. */
export const commonEnv = {
  ...telemetryEnv,
  /**
   * `development` turns on introspection and the Sandbox page and derives unset secrets from the
   * installation key; `production` turns both off and requires every secret to be set.
   */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /**
   * MariaDB/MySQL server shared by the subgraphs; each subgraph owns one database on it and
   * connects as an account of its own (`<prefix>_<subgraph>`, password `<SUBGRAPH>_DB_PASSWORD`).
   */
  MYSQL_HOST: z.string().default('127.0.0.1'),
  MYSQL_PORT: z.coerce.number().int().positive().default(3306),
  /** Prefix of every database and database account name, so several stacks (tests, demos) share one server. */
  MYSQL_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .default('serendip'),
  /**
   * Where Redis is: one server (`redis://host:6379`), the master a Sentinel group names
   * (`redis-sentinel://s1:26379,s2:26379?master=mymaster`) or a cluster found from some of its nodes
   * (`redis-cluster://n1:6379,n2:6379`); `rediss…` for TLS (docs/operations.md "Redis topologies").
   */
  REDIS_URL: redisUrlSetting,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
} as const;

/**
 * The server account that creates the databases and the subgraphs' accounts: only the set-up
 * (`pnpm db:setup`, `npm start`, test set-ups) reads it, never a serving process.
 */
export const mysqlAdminEnv = {
  /** An account allowed to create databases and accounts and to grant. @default root */
  MYSQL_ADMIN_USER: z.string().min(1).default('root'),
  /** Its password. @default empty (a local MariaDB's root) */
  MYSQL_ADMIN_PASSWORD: z.string().default(''),
} as const;

/**
 * The password of each subgraph's database account, one secret per subgraph: a process is given
 * only the passwords of the databases it opens, so one subgraph's settings never open another's
 * database. Outside production each is derived from the installation key like every secret.
 */
export const databasePasswordEnv = {
  user: { USER_DB_PASSWORD: secret() },
  catalogue: { CATALOGUE_DB_PASSWORD: secret() },
  recommendation: { RECOMMENDATION_DB_PASSWORD: secret() },
  feedback: { FEEDBACK_DB_PASSWORD: secret() },
} as const;

/** Every subgraph's database password: the set-up and the demo importer, which fill all four databases. */
export const allDatabasePasswordsEnv = {
  ...databasePasswordEnv.user,
  ...databasePasswordEnv.catalogue,
  ...databasePasswordEnv.recommendation,
  ...databasePasswordEnv.feedback,
} as const;

/**
 * A Redis key or channel prefix setting (QUEUE_PREFIX, PUBSUB_PREFIX): letters, digits, `_` and `-`
 * only, so it cannot reach into another key's namespace or a cluster hash tag.
 */
export const redisPrefix = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default(fallback);

/**
 * Settings of a subgraph that queues jobs for the worker while it answers requests. A request's
 * data is committed before its jobs are queued; a job Redis does not take in time is left in the
 * subgraph's outbox for its sweep, never failing or holding up the request (docs/reliability.md).
 */
export const enqueueEnv = {
  /** How long a request waits for Redis to take its job before leaving it to the sweep. @default 1000 */
  ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(10).max(30_000).default(1000),
} as const;

/**
 * Bounds of a subgraph's pool of database connections (`openDataSource`): a burst beyond what the
 * pool and its queue hold is answered SERVICE_UNAVAILABLE at once, not queued without end.
 */
export const databasePoolEnv = {
  /** Connections this process keeps to its database at most. @default 10 */
  MYSQL_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** Statements that may wait for a free connection; more fail at once with SERVICE_UNAVAILABLE. @default 100 */
  MYSQL_POOL_QUEUE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
} as const;

/** How a serving process stops on SIGTERM (`runProcess`, docs/reliability.md). */
export const shutdownEnv = {
  /**
   * On SIGTERM the process stops accepting connections and waits this long for the requests (or
   * jobs) in hand to finish before closing what is left; keep it below the orchestrator's kill
   * timeout (docker's stop_grace_period, Kubernetes' terminationGracePeriodSeconds). @default 10000
   */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
} as const;

/**
 * Settings of the processes that sign or verify forwarded identities: the gateway and the
 * subgraphs (which also sign their calls to each other). No other process should be given it.
 */
export const gatewaySecretEnv = {
  /** Signs the identity the gateway forwards; subgraphs refuse requests without a valid signature. */
  GATEWAY_SECRET: secret(),
} as const;
