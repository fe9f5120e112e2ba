import { commonEnv, databasePasswordEnv, databasePoolEnv, gatewaySecretEnv, loadConfig, secret, shutdownEnv, z, redisPrefix } from '@serendip/config';

export const userConfigSchema = z.object({
  ...commonEnv,
  ...databasePasswordEnv.user,
  ...gatewaySecretEnv,
  ...databasePoolEnv,
  ...shutdownEnv,
  USER_HOST: z.string().default('127.0.0.1'),
  USER_PORT: z.coerce.number().int().min(0).default(4001),
  /** Signs shopper session tokens; the gateway verifies them with the same secret. */
  JWT_SECRET: secret(),
  /**
   * Access token lifetime. Short, because it bounds how long a revoked token could still be used
   * if Redis lost the revocation; clients refresh it with their refresh token. @default 900 (15 minutes)
   */
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  /** A session unrefreshed for this long ends by itself; each refresh starts it again. @default 2592000 (30 days) */
  REFRESH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  /** Redis key prefix of this deployment; session revocations live under it, where the gateway (same QUEUE_PREFIX) reads them. @default serendip */
  QUEUE_PREFIX: redisPrefix('serendip'),
  /** The recommendation subgraph: consent is enforced there, and forgetMe deletes behaviour data there. */
  RECOMMENDATION_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  /** The feedback subgraph: forgetMe deletes reviews there. */
  FEEDBACK_URL: z.string().url().default('http://127.0.0.1:4004/graphql'),
});

export type UserConfig = z.infer<typeof userConfigSchema>;

export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env): UserConfig => loadConfig('user subgraph', userConfigSchema, env);
