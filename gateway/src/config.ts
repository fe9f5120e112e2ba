import { commonEnv, loadConfig, secret, z } from '@serendip/config';

const url = (port: number) => z.string().url().default(`http://127.0.0.1:${port}/graphql`);

export const gatewayConfigSchema = z.object({
  ...commonEnv,
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).default(4000),
  /** Verifies shopper session tokens issued by the user subgraph. */
  JWT_SECRET: secret('jwt-secret'),
  /** Subgraph endpoints; they override the URLs written in the committed supergraph. */
  USER_URL: url(4001),
  CATALOGUE_URL: url(4002),
  RECOMMENDATION_URL: url(4003),
  FEEDBACK_URL: url(4004),
  /** Deepest selection accepted; the storefront's deepest query needs 5. @default 10 */
  MAX_DEPTH: z.coerce.number().int().positive().default(10),
  /** Most tokens accepted in one document. @default 2000 */
  MAX_TOKENS: z.coerce.number().int().positive().default(2000),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadConfig('gateway', gatewayConfigSchema, env);
