import type { FormattedExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema, ExecutionResult } from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { WebSocketServer } from 'ws';
import { formatError } from './errors';
import { ANONYMOUS, IDENTITY_HEADER, verifyIdentity, type Identity, type SubgraphName } from './identity';

/** graphql-ws's CloseCode.Unauthorized. */
const UNAUTHORIZED = 4401;

/** What graphql-ws tells the hooks below about one WebSocket connection. */
export interface SubscriptionConnection {
  readonly connectionParams?: Readonly<Record<string, unknown>> | undefined;
  /** graphql-ws's per-connection slot for the server's own data: the identity verified at init. */
  readonly extra: { readonly request: IncomingMessage; readonly socket: { close(code: number, reason: string): void }; identity?: Identity };
}

/** The graphql-ws server options this module sets (methods, so graphql-ws's richer context fits). */
export interface SubscriptionServerOptions {
  schema: GraphQLSchema;
  onConnect(ctx: SubscriptionConnection): boolean;
  context(ctx: SubscriptionConnection): unknown;
  onNext(ctx: SubscriptionConnection, id: string, payload: unknown, args: unknown, result: ExecutionResult): FormattedExecutionResult | void;
  onError(ctx: SubscriptionConnection, id: string, payload: unknown, errors: readonly GraphQLError[]): GraphQLFormattedError[];
}

export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * graphql-ws on ws. `@serendip/federation` depends on neither (most subgraphs publish no
 * subscriptions), so a subgraph that does passes both in:
 * `{ WebSocketServer }` from `ws` and `{ useServer }` from `graphql-ws/use/ws`.
 */
export interface GraphqlWs {
  WebSocketServer: typeof WebSocketServer;
  useServer(options: SubscriptionServerOptions, server: WebSocketServer): Disposable;
}

export interface RunningSubscriptions {
  /** Closes every socket (their subscriptions end and release what they hold) and stops accepting. */
  close(): Promise<void>;
}

/**
 * Serves the subgraph's subscriptions with graphql-ws on `path` of the HTTP server. Only the
 * gateway may connect: the connection's init payload must carry the identity it signed
 * (`connectionParams[IDENTITY_HEADER]`), verified once at init; anything else is closed with
 * 4401. Every operation on the connection runs as that identity.
 */
export function serveSubscriptions<C>(
  graphqlWs: GraphqlWs,
  options: {
    server: Server;
    path: string;
    schema: GraphQLSchema;
    /** This subgraph: the gateway signs each socket's identity for it. */
    subgraph: SubgraphName;
    gatewaySecret: string;
    createContext: (identity: Identity) => C | Promise<C>;
  },
): RunningSubscriptions {
  const sockets = new graphqlWs.WebSocketServer({ server: options.server, path: options.path });
  const disposable = graphqlWs.useServer(
    {
      schema: options.schema,
      onConnect(ctx) {
        const token = ctx.connectionParams?.[IDENTITY_HEADER];
        const identity = verifyIdentity(options.gatewaySecret, typeof token === 'string' ? token : undefined, options.subgraph);
        if (!identity) {
          // graphql-ws's own refusal (4403) is retried by clients; the same stale or forged
          // identity would be refused again, so close with 4401 (Unauthorized), which is final.
          ctx.extra.socket.close(UNAUTHORIZED, 'Subscriptions must come through the Serendip gateway');
          return false;
        }
        ctx.extra.identity = identity;
        return true;
      },
      // graphql-ws acknowledges no operation before onConnect accepted, so the identity is set.
      context: (ctx) => options.createContext(ctx.extra.identity ?? ANONYMOUS),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? formatResult(result) : undefined),
      // Errors sent before execution: the document did not validate against this subgraph.
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => formatError({ ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions } }, error)),
    },
    sockets,
  );
  return { close: () => closeWebSockets(sockets, disposable) };
}

/** The same coded, stack-free errors HTTP responses carry (errors.ts `formatError`). */
function formatResult(result: ExecutionResult): FormattedExecutionResult {
  return { ...result, errors: result.errors?.map((error) => formatError(error.toJSON(), error)) };
}

/**
 * Says goodbye (1001, through `disposable`) to every socket of `sockets` and stops accepting new
 * ones; sockets whose peer has not completed the close handshake within `graceMs` are cut.
 */
export async function closeWebSockets(sockets: WebSocketServer, disposable: Disposable, graceMs = 1000): Promise<void> {
  const clients = [...sockets.clients];
  // Settles once every socket has closed, which a silent peer would otherwise stall for 30 s.
  const disposed = Promise.resolve(disposable.dispose());
  let fuse: NodeJS.Timeout | undefined;
  await Promise.race([disposed, new Promise((resolve) => (fuse = setTimeout(resolve, graceMs)))]);
  clearTimeout(fuse);
  for (const client of clients) client.terminate();
  await disposed;
}
