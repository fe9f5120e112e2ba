import { commonEnv, gatewaySecretEnv, loadConfig, secret, shutdownEnv, z, redisPrefix } from '@serendip/config';
import { TRUSTED_DOCUMENTS_MANIFEST } from './trusted-documents';

/**
 * A subgraph's endpoint, or the endpoints of its replicas separated by commas: the gateway spreads
 * its calls over them (`replicas.ts`).
 */
const urls = (port: number) =>
  z
    .string()
    .default(`http://127.0.0.1:${port}/graphql`)
    .transform((value) => value.split(',').map((url) => url.trim()))
    .pipe(z.array(z.string().url()).min(1));
const timeout = () => z.coerce.number().int().min(1).max(600_000).default(10_000);

export const gatewayConfigSchema = z.object({
  ...commonEnv,
  ...gatewaySecretEnv,
  ...shutdownEnv,
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).default(4000),
  /** Verifies shopper session tokens issued by the user subgraph. */
  JWT_SECRET: secret(),
  /**
   * Subgraph endpoints; they override the URLs written in the committed supergraph. Each may list
   * several replicas of its subgraph, comma-separated: calls go round them in turn, and a
   * subscription stays on the replica it started on.
   */
  USER_URL: urls(4001),
  CATALOGUE_URL: urls(4002),
  RECOMMENDATION_URL: urls(4003),
  FEEDBACK_URL: urls(4004),
  /**
   * How long the gateway waits for each subgraph call (per attempt); past it the call's fields are
   * null with SERVICE_UNAVAILABLE. Semantic search waits up to the catalogue's
   * SEMANTIC_QUERY_TIMEOUT_MS for its query embedding, so keep CATALOGUE_TIMEOUT_MS above it. @default 10000
   */
  USER_TIMEOUT_MS: timeout(),
  /** @default 10000 */
  CATALOGUE_TIMEOUT_MS: timeout(),
  /** @default 10000 */
  RECOMMENDATION_TIMEOUT_MS: timeout(),
  /** @default 10000 */
  FEEDBACK_TIMEOUT_MS: timeout(),
  /** How many times a query (never a mutation) is sent again to a subgraph that gave no answer, a 5xx or a 429; 0 turns retries off. @default 1 */
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  /** Wait before the first retry, growing by a quarter each further one (or what the subgraph's Retry-After says). @default 200 */
  SUBGRAPH_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  /** Deepest selection accepted; the storefront's deepest query needs 5. @default 10 */
  MAX_DEPTH: z.coerce.number().int().positive().default(10),
  /** Most tokens accepted in one document. @default 2000 */
  MAX_TOKENS: z.coerce.number().int().positive().default(2000),
  /**
   * Most an operation may cost (gateway/src/query-cost.ts: object fields 1, expensive fields more,
   * lists multiplied by their page size). A page of 100 products with 20 reviews each costs about
   * 2,300; one search of 100 products with 100 reviews each, 10,000. @default 5000
   */
  MAX_COST: z.coerce.number().int().positive().default(5000),
  /**
   * Largest request body in bytes, judged by its Content-Length before it is read (413
   * PAYLOAD_TOO_LARGE); a body without one is refused (411). The largest first-party request, a
   * trackEvents of 500 events, is about 330 KB. @default 1048576
   */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Most aliases in one operation. @default 20 */
  MAX_ALIASES: z.coerce.number().int().min(0).default(20),
  /** Largest WebSocket message accepted (bytes); a larger one closes the socket with 1009. @default 65536 */
  WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Open WebSocket connections per client address; more are refused at the upgrade with 429. @default 20 */
  WS_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(20),
  /** Open WebSocket connections in all. @default 10000 */
  WS_MAX_CONNECTIONS: z.coerce.number().int().positive().default(10_000),
  /** Running subscriptions per WebSocket connection. @default 10 */
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().default(10),
  /**
   * How often open WebSockets are checked for revoked tokens besides the revocation channel
   * (which closes them at once): a bound on how long a missed announcement goes unnoticed. @default 30000
   */
  SESSION_SWEEP_MS: z.coerce.number().int().positive().default(30_000),
  /** Redis key prefix of this deployment (the subgraphs' QUEUE_PREFIX): the rate-limit counters and session revocations live under it. @default serendip */
  QUEUE_PREFIX: redisPrefix('serendip'),
  /** Length of a rate-limit window in seconds. @default 60 */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /** HTTP requests and WebSocket operations per client address and window. @default 600 */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(600),
  /** Operations per signed-in shopper and window. @default 300 */
  RATE_LIMIT_PER_SHOPPER: z.coerce.number().int().positive().default(300),
  /** signIn and signUp operations per client address and window. @default 10 */
  RATE_LIMIT_AUTH_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  /** signIn attempts per account (email), from any address, per RATE_LIMIT_SIGNIN_WINDOW_SECONDS. @default 5 */
  RATE_LIMIT_SIGNIN_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  /** @default 900 */
  RATE_LIMIT_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /** The first-party clients' trusted documents (`pnpm schema:write` writes the committed one). @default gateway/trusted-documents.json */
  TRUSTED_DOCUMENTS_FILE: z.string().default(TRUSTED_DOCUMENTS_MANIFEST),
  /**
   * Who may send operation text rather than a trusted document's id: `allow` (anyone), `admins`
   * (signed-in admins: the Sandbox, ad-hoc console queries) or `deny`. @default allow outside production, admins in production
   */
  ARBITRARY_OPERATIONS: z.enum(['allow', 'admins', 'deny']).optional(),
  /**
   * How long the response cache keeps an anonymous visitor's answer from the catalogue and feedback
   * subgraphs (gateway/src/response-cache.plugin.ts; docs/operations.md#browsing-throughput); 0
   * turns it off. A write shows at once whatever this is: it only bounds how long an answer lives
   * when a writer could not mark its change (Redis down). @default 60000 in production, 0 (off) elsewhere
   */
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).optional(),
  /** Take the client address from X-Forwarded-For: only behind a proxy that sets it, or clients could pick their own. @default false */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadConfig('gateway', gatewayConfigSchema, env);
