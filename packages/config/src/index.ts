import { z } from 'zod';

export { z };
export { formatColumns } from './columns';

/** Raised when the environment does not satisfy a process's config schema. */
export class ConfigError extends Error {
  constructor(
    readonly processName: string,
    readonly problems: string[],
  ) {
    super(`${processName}: invalid configuration\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` once against `schema`, naming every bad variable at once rather than failing on
 * the first, so an operator fixes a deployment in one pass.
 */
export function loadConfig<S extends z.ZodType>(processName: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      processName,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const data = parsed.data as Record<string, unknown>;
  if (data.NODE_ENV === 'production') {
    const defaulted = Object.entries(data)
      .filter(([, value]) => typeof value === 'string' && value.startsWith(DEV_SECRET_PREFIX))
      .map(([key]) => `${key}: the development default is refused in production; set a secret`);
    if (defaulted.length > 0) throw new ConfigError(processName, defaulted);
  }
  return parsed.data;
}

/** Secrets ship with development defaults carrying this prefix; production refuses them. */
const DEV_SECRET_PREFIX = 'serendip-development-';

/** A secret setting whose development default is refused when `NODE_ENV=production`. */
export const secret = (name: string) => z.string().min(16).default(`${DEV_SECRET_PREFIX}${name}`);

/** Shared settings every Serendip process understands. */
export const commonEnv = {
  /** `development` turns on introspection and the Sandbox page; `production` turns both off. */
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
  /**
   * Secret the gateway signs forwarded identities with; subgraphs refuse requests without a
   * valid signature. Secret: set a long random value in production.
   */
  GATEWAY_SECRET: secret('gateway-secret'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
} as const;
