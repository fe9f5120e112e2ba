import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import http from '@graphql-mesh/transport-http';
import ws from '@graphql-mesh/transport-ws';
import {
  drainHttpServer,
  IDENTITY_HEADER,
  logRedisOutages,
  ORDER_WEBHOOK_PATH,
  PublicDataVersions,
  serveTraced,
  ServiceMetrics,
  SessionRevocations,
} from '@serendip/federation';
import { createRedis } from '@serendip/config';
import { logger } from '@serendip/telemetry';
import { Logger as HiveLogger } from '@graphql-hive/logger';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config';
import { IDENTITY_CONTEXT_FIELD, IdentityForwarding } from './identity.plugin';
import { codedGatewayErrors } from './error-codes.plugin';
import { gatewayMetrics } from './metrics.plugin';
import { gatewayTracing } from './tracing.plugin';
import { subgraphStatements } from './subgraph-statements.plugin';
import { subgraphWarnings } from './subgraph-warnings.plugin';
import { rateLimits, RedisRateCounter } from './rate-limit.plugin';
import { DEFAULT_LIST_SIZE, FIELD_COSTS, queryCostLimits } from './query-cost';
import { disableIntrospection } from './introspection.plugin';
import { sandboxPage } from './sandbox';
import { GRAPHIQL_PATH, graphiqlRoutes } from './graphiql';
import { loadSupergraph } from './supergraph';
import { replicatedTransport, subgraphReplicas } from './replicas';
import { orderWebhookForwarder } from './order-webhook';
import { serveGraphqlWs } from './websocket';
import { SessionWatch } from './session-watch';
import { loadTrustedDocuments, TrustedDocuments } from './trusted-documents';
import { upstreamRetry, upstreamTimeout } from './upstream';
import { responseCache } from './response-cache.plugin';

/**
 * Refuses a body over `maxBytes` from its Content-Length, before it is parsed: parsing a 25 MB
 * body (graphql-yoga's own limit, which the runtime does not let us lower) holds the event loop
 * for everyone. A body up to 8 × the limit is discarded unread as it arrives, so the client (still
 * sending) gets the 413 rather than a broken pipe; a larger one, an attack's size, is cut off with
 * the connection. A body without a length (chunked) is refused too, since its size is only known
 * once read; browsers and HTTP clients send the length of a string or buffer body.
 */
function refuseLargeBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  const length = req.headers['content-length'];
  const refuse = (status: number, code: string, message: string, drain: boolean) => {
    if (drain) req.resume();
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(drain ? {} : { connection: 'close' }) });
    res.end(JSON.stringify({ errors: [{ message, extensions: { code, maxBytes } }] }));
    return true;
  };
  if (length !== undefined) {
    const bytes = Number(length);
    return bytes > maxBytes ? refuse(413, 'PAYLOAD_TOO_LARGE', `Request bodies are limited to ${maxBytes} bytes`, bytes <= 8 * maxBytes) : false;
  }
  if (req.headers['transfer-encoding'] !== undefined) return refuse(411, 'LENGTH_REQUIRED', 'Send the body with a Content-Length', false);
  return false;
}

/** Headers that mark a request as coming from a script, not a cross-site form or image tag. */
export const CSRF_HEADERS = ['x-serendip-csrf', 'apollo-require-preflight', 'x-apollo-operation-name', 'graphql-client-name'];

export async function startGateway(config: GatewayConfig) {
  const development = config.NODE_ENV !== 'production';
  // No offline queue: with Redis down a count fails at once and the request goes through (logged),
  // and a signed-in request is refused at once (its token cannot be checked for revocation),
  // instead of every request waiting for a reconnect.
  const log = logger();
  const redis = logRedisOutages(
    createRedis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    'rate limits and sessions',
  );
  await redis
    .connect()
    .catch((error: unknown) =>
      log.error(`Redis unavailable, rate limits not enforced and signed-in requests refused until it is: ${(error as Error).message}`),
    );
  const revocations = new SessionRevocations(redis, config.QUEUE_PREFIX);
  const identity = new IdentityForwarding(config.JWT_SECRET, config.GATEWAY_SECRET, revocations);
  const watch = new SessionWatch(
    revocations,
    logRedisOutages(createRedis(config.REDIS_URL, { lazyConnect: true, subscriber: true }), 'revocation notices'),
    config.SESSION_SWEEP_MS,
    (message) => log.error(message),
  );
  await watch.start();
  const counter = new RedisRateCounter(redis, config.QUEUE_PREFIX, config.GATEWAY_SECRET, (message) => log.error(message));
  const metrics = new ServiceMetrics('gateway');
  // Made once: the runtime may ask for its plugins more than once, and a series registers once.
  const measure = gatewayMetrics(metrics);
  const tracing = gatewayTracing();
  const responseCacheTtlMs = config.RESPONSE_CACHE_TTL_MS ?? (development ? 0 : 60_000);
  const cache =
    responseCacheTtlMs > 0
      ? responseCache({
          redis,
          versions: new PublicDataVersions(redis, config.QUEUE_PREFIX),
          prefix: config.QUEUE_PREFIX,
          ttlMs: responseCacheTtlMs,
          identityOf: (request) => identity.identityOf(request),
        })
      : null;
  const replicas = subgraphReplicas(config);
  const trusted = new TrustedDocuments(loadTrustedDocuments(config.TRUSTED_DOCUMENTS_FILE), config.ARBITRARY_OPERATIONS ?? (development ? 'allow' : 'admins'));
  const gateway = createGatewayRuntime({
    supergraph: loadSupergraph(config),
    graphqlEndpoint: '/graphql',
    // Liveness; readiness is the supergraph loaded (the runtime's check), and no longer once the
    // gateway drains. Not the subgraphs' readiness: one subgraph down costs its fields, not every
    // gateway its traffic (docs/reliability.md).
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    upstreamTimeout: upstreamTimeout(config),
    upstreamRetry: upstreamRetry(config),
    landingPage: false,
    graphiql: development,
    renderGraphiQL: () => sandboxPage(GRAPHIQL_PATH),
    csrfPrevention: { requestHeaders: CSRF_HEADERS },
    // First-party clients send a trusted document's id; operation text only where ARBITRARY_OPERATIONS lets the caller.
    persistedDocuments: trusted.runtimeOptions((request) => identity.identityOf(request)),
    propagateHeaders: { fromClientToSubgraphs: ({ request, subgraphName }) => identity.headersFor(request, subgraphName) },
    // Each subgraph's calls spread over its replicas (one unless its URL setting lists several).
    transports: { http: replicatedTransport(http, replicas), ws },
    transportEntries: {
      // Subscriptions go to the subgraph over graphql-ws, at the replica's own URL; everything else
      // stays on HTTP. The socket carries the caller's signed identity in its init payload (one
      // socket per identity and replica).
      recommendation: {
        options: {
          subscriptions: {
            kind: 'ws',
            options: { connectionParams: { [IDENTITY_HEADER]: `{context.${IDENTITY_CONTEXT_FIELD}}` } },
          },
        },
      },
    },
    // The runtime's own lines (supergraph loads, upstream failures) go through the process's pino
    // logger: the same JSON, service and request fields as every other line.
    logging: new HiveLogger({ level: config.LOG_LEVEL, writers: [{ write: (level, attrs, msg) => log[level](attrs ?? {}, msg ?? '') }] }),
    plugins: () => [
      // First, so that its clock starts before the other plugins' work and it sees every refusal.
      measure.plugin,
      tracing,
      // Before identity: its onRequest begins the token's revocation read beside its own counts.
      rateLimits(
        {
          windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
          perAddress: config.RATE_LIMIT_PER_ADDRESS,
          perShopper: config.RATE_LIMIT_PER_SHOPPER,
          authPerAddress: config.RATE_LIMIT_AUTH_PER_ADDRESS,
          signInPerAccount: config.RATE_LIMIT_SIGNIN_PER_ACCOUNT,
          signInWindowSeconds: config.RATE_LIMIT_SIGNIN_WINDOW_SECONDS,
          trustProxy: config.TRUST_PROXY,
        },
        counter,
        identity,
      ),
      identity.plugin(),
      codedGatewayErrors({ suggestions: development }),
      subgraphWarnings(),
      ...(development ? [subgraphStatements()] : []),
      maxDepthPlugin({
        n: config.MAX_DEPTH,
        flattenFragments: true,
        // Report as a validation error (coded like the others) instead of throwing out of validate.
        propagateOnRejection: false,
        onReject: [(context, error) => context?.reportError(error)],
      }),
      maxTokensPlugin({ n: config.MAX_TOKENS }),
      queryCostLimits({ maxCost: config.MAX_COST, maxAliases: config.MAX_ALIASES, defaultListSize: DEFAULT_LIST_SIZE, fieldCosts: FIELD_COSTS }),
      ...(development ? [] : [disableIntrospection()]),
      // Last, so that what it keeps is the answer as every plugin above left it.
      ...(cache ? [cache] : []),
    ],
  });
  // HTTP requests load the supergraph on first use; WebSocket operations skip that hook. Loading
  // it now serves both (and a supergraph that does not load fails start-up, not a first request).
  await gateway.getSchema();
  const forwardOrder = orderWebhookForwarder(replicas.recommendation);
  // The landing page's offline fallback, on only where the landing page is.
  const graphiql = development ? graphiqlRoutes(gateway.graphqlEndpoint) : null;
  let draining = false;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (draining && path === '/readyz') {
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ status: 'draining', process: 'gateway' }));
      return;
    }
    if (refuseLargeBody(req, res, config.MAX_BODY_BYTES)) return;
    // Served here, beside the runtime rather than through it: a scrape is no GraphQL request, so
    // CSRF prevention, rate limits and trusted documents have nothing to check on it.
    if (path === '/metrics') {
      void metrics.answer(req, res);
      return;
    }
    // Signed orders from the shop's server are no GraphQL: they go to the recommendation subgraph as they came.
    if (path === ORDER_WEBHOOK_PATH) {
      forwardOrder(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'order webhook failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    if (graphiql?.(req, res, path)) return;
    // The gateway's handler answers every request itself, failures included, so nothing awaits it.
    void serveTraced(req, res, () => gateway(req, res));
  });
  const webSockets = serveGraphqlWs(
    gateway,
    server,
    identity,
    watch,
    trusted,
    {
      maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
      maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_IP,
      maxConnections: config.WS_MAX_CONNECTIONS,
      maxSubscriptions: config.WS_MAX_SUBSCRIPTIONS,
    },
    metrics,
    measure,
  );
  await new Promise<void>((resolve) => server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.GATEWAY_HOST}:${port}/graphql`,
    async stop() {
      draining = true;
      // Upgraded sockets are no longer the HTTP server's to close.
      await webSockets.close();
      watch.stop();
      // Requests in flight (and their subgraph calls) finish first, within SHUTDOWN_GRACE_MS.
      await drainHttpServer(server, config.SHUTDOWN_GRACE_MS);
      await gateway.dispose();
      redis.disconnect();
    },
  };
}
