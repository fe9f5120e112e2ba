import { commonEnv, databasePasswordEnv, gatewaySecretEnv, loadConfig, secret, z } from '@serendip/config';

export const userConfigSchema = z.object({
  ...commonEnv,
  ...databasePasswordEnv.user,
  ...gatewaySecretEnv,
  USER_HOST: z.string().default('127.0.0.1'),
  USER_PORT: z.coerce.number().int().min(0).default(4001),
  /** Signs shopper session tokens; the gateway verifies them with the same secret. */
  JWT_SECRET: secret(),
  /** Session lifetime. @default 7 days */
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** The recommendation subgraph: consent is enforced there, and forgetMe deletes behaviour data there. */
  RECOMMENDATION_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  /** The feedback subgraph: forgetMe deletes reviews there. */
  FEEDBACK_URL: z.string().url().default('http://127.0.0.1:4004/graphql'),
});

export type UserConfig = z.infer<typeof userConfigSchema>;

export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env): UserConfig => loadConfig('user subgraph', userConfigSchema, env);
