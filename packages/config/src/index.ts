import { z } from 'zod';
import { ConfigError } from './config-error';
import { DEFAULT_INSTALLATION_KEY_FILE, secret, withInstallationSecrets } from './secrets';

export { z, ConfigError };
export { formatColumns } from './columns';
export { secret, secretNames } from './secrets';

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

/** Shared settings every Serendip process understands. */
export const commonEnv = {
  /**
   * `development` turns on introspection and the Sandbox page and derives unset secrets from the
   * installation key; `production` turns both off and requires every secret to be set.
   */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** MariaDB/MySQL server shared by the subgraphs; each subgraph owns one database on it. */
  MYSQL_HOST: z.string().default('127.0.0.1'),
  MYSQL_PORT: z.coerce.number().int().positive().default(3306),
  MYSQL_USER: z.string().default('root'),
  MYSQL_PASSWORD: z.string().default(''),
  /** Prefix of every database name, so several stacks (tests, demos) share one server. */
  MYSQL_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .default('serendip'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
} as const;

/**
 * Settings of the processes that sign or verify forwarded identities: the gateway and the
 * subgraphs (which also sign their calls to each other). No other process should be given it.
 */
export const gatewaySecretEnv = {
  /** Signs the identity the gateway forwards; subgraphs refuse requests without a valid signature. */
  GATEWAY_SECRET: secret(),
} as const;
