import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatError } from './errors';
import { responseWarnings } from './warnings';
import { pingDatabase, poolUsage, type QueryCounter, type SubgraphDataSource } from '@serendip/db';
import { requestStatements } from './sql-statements';
import { IDENTITY_HEADER, verifyIdentity, type Identity, type SubgraphName } from './identity';
import { drainHttpServer, Probes, type ReadinessChecks } from './probes';
import { ServiceMetrics } from './metrics';
import { requestMetrics } from './request-metrics';
import { requestTracing, serveTraced } from './request-tracing';
import { logger } from '@serendip/telemetry';
import { serveSubscriptions, type GraphqlWs } from './subscriptions';
import { publicDataChanges, type PublicDataVersions } from './public-data';

/** A request to one of a subgraph's own HTTP routes, body unparsed (a signature may cover its bytes). */
export interface RouteRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A JSON answer of a route. */
export interface RouteResponse {
  status: number;
  body: unknown;
}

export interface SubgraphServerOptions<C> {
  /** The subgraph: identities are accepted only when signed for it. */
  name: SubgraphName;
  schema: GraphQLSchema;
  /** Secret shared with the gateway; requests without its signature are refused. */
  gatewaySecret: string;
  createContext: (identity: Identity) => C | Promise<C>;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Development only: lets tools read the subgraph schema directly. */
  introspection: boolean;
  /** Largest request body accepted. @default 2 MiB */
  maxBodyBytes?: number;
  plugins?: ApolloServerPlugin<C & object>[];
  /**
   * Counter of SQL statements sent: the total is published on `/metrics` for dashboards, and each
   * HTTP request is counted apart (`QueryCounter.measure`) for `requestStatements`.
   */
  sqlQueries?: Pick<QueryCounter, 'total' | 'measure'>;
  /**
   * Serves the schema's subscriptions to the gateway with graphql-ws on `/graphql` (WebSocket
   * upgrade); see `serveSubscriptions`. Without it WebSocket upgrades are refused. @default undefined
   */
  subscriptions?: GraphqlWs;
  /**
   * HTTP routes besides `/graphql`, by path, for callers other than the gateway (a shop's signed
   * webhooks): they carry no gateway identity, so each route authenticates its requests itself.
   */
  routes?: Record<string, (request: RouteRequest) => Promise<RouteResponse>>;
  /** What `/readyz` checks besides the process answering (`Probes`). @default none */
  readiness?: ReadinessChecks;
  /** How long `stop` lets requests in flight finish before closing their connections. @default 10000 */
  shutdownGraceMs?: number;
  /**
   * The registry `/metrics` publishes, for a subgraph that adds series of its own (slate latency);
   * request latency and errors are added here. @default one of its own, named after the subgraph
   */
  metrics?: ServiceMetrics;
  /**
   * For a subgraph whose answers the gateway's response cache keeps (catalogue, feedback): every
   * mutation bumps its version there (`publicDataChanges`). @default none
   */
  publicData?: PublicDataVersions;
}

export interface RunningSubgraph {
  url: string;
  server: Server;
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

const DEFAULT_MAX_BODY = 2 * 1024 * 1024;
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * Serves a subgraph over plain node:http with Apollo Server's HTTP API: `/graphql` for the
 * gateway, `/healthz` (liveness) and `/readyz` (readiness) for orchestrators, with `subscriptions`
 * graphql-ws on `/graphql` too, and its own `routes`.
 * Every GraphQL request must carry the gateway's signed identity header; a request sent straight
 * to a subgraph is refused with UNAUTHENTICATED.
 */
export async function startSubgraphServer<C extends object>(options: SubgraphServerOptions<C>): Promise<RunningSubgraph> {
  const metrics = options.metrics ?? new ServiceMetrics(options.name);
  const { sqlQueries } = options;
  metrics.counter({
    name: 'serendip_sql_queries_total',
    help: 'SQL statements sent by this subgraph.',
    labelNames: ['subgraph'],
    // The counter is the database's own (QueryCounter); published as it stands at each scrape.
    collect() {
      this.reset();
      this.inc({ subgraph: options.name }, sqlQueries?.total ?? 0);
    },
  });
  const apollo = new ApolloServer<C>({
    schema: options.schema,
    introspection: options.introspection,
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // runProcess owns SIGTERM/SIGINT; Apollo's own handler would race it and stall shutdown.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      responseWarnings<C>(),
      requestMetrics<C>(metrics),
      requestTracing<C>(),
      ...(options.publicData ? [publicDataChanges<C>(options.publicData, options.name)] : []),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const probes = new Probes(options.name, options.readiness);

  const fail = (res: ServerResponse, error: unknown): void => {
    logger().error({ err: error }, 'request failed');
    if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    else res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await probes.answer(req, res)) return;
    if (await metrics.answer(req, res)) return;
    // Probes and scrapes come every few seconds: neither traced nor logged. A failure is answered
    // inside the request's scope, so its log line carries the request and trace ids.
    await serveTraced(req, res, () => serve(req, res).catch((error: unknown) => fail(res, error)));
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    const route = options.routes && Object.hasOwn(options.routes, url.pathname) ? options.routes[url.pathname] : undefined;
    if (url.pathname !== '/graphql' && !route) {
      sendJson(res, 404, { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    let body: string;
    try {
      const raw = req.method === 'POST' ? await readBody(req, maxBody) : Buffer.alloc(0);
      if (route) {
        const response = await route({ method: req.method ?? 'GET', headers: req.headers, body: raw });
        sendJson(res, response.status, response.body);
        return;
      }
      body = raw.toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendJson(res, 413, {
          errors: [{ message: `Request body exceeds ${maxBody} bytes`, extensions: { code: 'BAD_USER_INPUT' } }],
        });
        return;
      }
      throw error;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsedBody: unknown = undefined;
    if (body) {
      try {
        parsedBody = JSON.parse(body);
      } catch {
        sendJson(res, 400, { errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsedBody },
      context: async () => {
        const identity = verifyIdentity(options.gatewaySecret, headers.get(IDENTITY_HEADER), options.name);
        if (!identity) {
          throw new GraphQLError('Requests must come through the Serendip gateway', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        return options.createContext(identity);
      },
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server = createServer((req, res) => {
    const run = () => handle(req, res);
    (options.sqlQueries ? options.sqlQueries.measure(run) : run()).catch((error: unknown) => fail(res, error));
  });
  // Connections from the gateway are reused; keep them open a little longer than its pool does.
  server.keepAliveTimeout = 65_000;
  const subscriptions =
    options.subscriptions &&
    serveSubscriptions(options.subscriptions, {
      server,
      path: '/graphql',
      schema: options.schema,
      subgraph: options.name,
      gatewaySecret: options.gatewaySecret,
      createContext: options.createContext,
    });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/graphql`,
    server,
    metrics,
    async stop() {
      probes.drain();
      // Upgraded sockets are no longer the HTTP server's: close them first, which ends their
      // subscriptions and releases what those hold (pub/sub channels) before the caller closes it.
      await subscriptions?.close();
      // Requests in flight finish before anything they use (the database) closes.
      await drainHttpServer(server, options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      await apollo.stop();
    },
  };
}

export interface SubgraphProcessOptions<C extends object> extends Omit<SubgraphServerOptions<C>, 'sqlQueries' | 'introspection' | 'shutdownGraceMs'> {
  database: SubgraphDataSource;
  nodeEnv: string;
  /** `SHUTDOWN_GRACE_MS`. */
  shutdownGraceMs: number;
  /** Releases what the subgraph holds besides its database (queues, clients), before the database closes. */
  onStop?: () => Promise<void>;
}

/**
 * The shape every subgraph's `start…Subgraph` returns: the server over its open database, SQL
 * counts on `/metrics`, readiness that pings the database besides the subgraph's own `readiness`,
 * introspection outside production, and a stop that drains the server, then closes the rest.
 */
export async function serveSubgraph<C extends object>(options: SubgraphProcessOptions<C>) {
  const { dataSource, queries } = options.database;
  const metrics = options.metrics ?? new ServiceMetrics(options.name);
  metrics.gauge({
    name: 'serendip_db_pool_connections',
    help: "Connections of the subgraph's database pool by state (in_use, idle, waiting: statements queued for one; limit).",
    labelNames: ['state'],
    collect() {
      const usage = poolUsage(dataSource);
      if (!usage) return;
      this.set({ state: 'in_use' }, usage.open - usage.idle);
      this.set({ state: 'idle' }, usage.idle);
      this.set({ state: 'waiting' }, usage.waiting);
      this.set({ state: 'limit' }, usage.limit);
    },
  });
  const running = await startSubgraphServer({
    ...options,
    metrics,
    introspection: options.nodeEnv !== 'production',
    sqlQueries: queries,
    // Outside production each response says how many statements it cost (tests of N+1 read it).
    plugins: [...(options.plugins ?? []), ...(options.nodeEnv === 'production' ? [] : [requestStatements<C>(queries)])],
    readiness: { mariadb: () => pingDatabase(dataSource), ...options.readiness },
  });
  return {
    ...running,
    dataSource,
    queries,
    async stop() {
      await running.stop();
      await options.onStop?.();
      await dataSource.destroy();
    },
  };
}
