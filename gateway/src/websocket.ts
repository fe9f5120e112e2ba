import { getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { ANONYMOUS, closeWebSockets, type Identity, type ServiceMetrics } from '@serendip/federation';
import { getOperationAST, GraphQLError, parse } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { IdentityForwarding } from './identity.plugin';
import type { GatewayMetrics } from './metrics.plugin';
import type { SessionWatch } from './session-watch';
import type { TrustedDocuments } from './trusted-documents';

/** What a connection keeps besides graphql-ws's own: the shopper verified at init. */
type Verified = { identity: Identity };

/**
 * The name of a socket operation: the one the client gave, or its document's (a trusted
 * document's text is in `query` by now, put there by `vetSocketOperation`).
 */
function operationNameOf(payload: { query: string; operationName?: string | null }): string | undefined {
  if (payload.operationName) return payload.operationName;
  try {
    return getOperationAST(parse(payload.query))?.name?.value;
  } catch {
    return undefined;
  }
}

const isAsyncIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/** `connectionParams.authorization` (any case): the same `Bearer <token>` as the HTTP header. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): unknown {
  const key = Object.keys(params ?? {}).find((name) => name.toLowerCase() === 'authorization');
  return key === undefined ? undefined : params?.[key];
}

/** What one client may hold open: the socket server's own caps, beside the operation limits every request meets. */
export interface WebSocketLimits {
  /** Largest message in bytes; a larger one closes the socket with 1009 (message too big). */
  maxPayloadBytes: number;
  /** Open connections per client address; more are refused at the upgrade with HTTP 429. */
  maxConnectionsPerAddress: number;
  /** Open connections in all, also refused with 429. */
  maxConnections: number;
  /** Running subscriptions per connection; one more is answered with TOO_MANY_SUBSCRIPTIONS. */
  maxSubscriptions: number;
}

/**
 * GraphQL over WebSocket (graphql-ws) on the gateway's GraphQL path. The shopper authenticates
 * once, in the connection init payload (`{ authorization: 'Bearer <token>' }`), because browsers
 * cannot set headers on a WebSocket: no token is an anonymous visitor, a bad or expired one is
 * closed with 4401 and the reason, as is a socket whose token later expires or is revoked (see
 * SessionWatch). Operations then run through the same runtime, plugins and
 * limits as HTTP ones. CSRF prevention does not apply: nothing authenticates a socket but the
 * token the page itself sends. `limits` bound what one client can hold open: message size,
 * connections per address and in all, and subscriptions per connection.
 */
export function serveGraphqlWs(
  gateway: GatewayRuntime,
  server: Server,
  identity: IdentityForwarding,
  watch: SessionWatch,
  trusted: TrustedDocuments,
  limits: WebSocketLimits,
  metrics: ServiceMetrics,
  requests: GatewayMetrics,
) {
  const active = metrics.gauge({ name: 'serendip_gateway_subscriptions', help: 'Subscriptions running on WebSocket connections to the gateway.' });
  const pushes = metrics.counter({ name: 'serendip_gateway_subscription_pushes_total', help: 'Subscription events pushed to clients over WebSockets.' });
  // The subscription operations of each connection, by id: completions of other operations are not counted.
  const subscriptionsOf = new WeakMap<object, Set<string>>();
  // The queries and mutations of each connection waiting for their one result, by id: their operation names.
  const singlesOf = new WeakMap<object, Map<string, string | undefined>>();
  const open = new Map<string, number>();
  let total = 0;
  const sockets = new WebSocketServer({
    server,
    path: gateway.graphqlEndpoint,
    maxPayload: limits.maxPayloadBytes,
    // Counted before the handshake completes, so a flood of upgrades costs no socket state.
    verifyClient: ({ req }, done) => {
      const address = req.socket.remoteAddress ?? '';
      if (total >= limits.maxConnections || (open.get(address) ?? 0) >= limits.maxConnectionsPerAddress) done(false, 429, 'Too many WebSocket connections');
      else done(true);
    },
  });
  sockets.on('connection', (socket, req) => {
    const address = req.socket.remoteAddress ?? '';
    open.set(address, (open.get(address) ?? 0) + 1);
    total += 1;
    socket.once('close', () => {
      total -= 1;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
  const options = getGraphQLWSOptions<Record<string, unknown>, Extra & Partial<Verified>>(gateway, (ctx) => {
    // Operations read the identity through the request they run under, as HTTP ones do.
    const request = new gateway.fetchAPI.Request(new URL(ctx.extra.request.url ?? gateway.graphqlEndpoint, 'http://gateway'));
    identity.remember(request, ctx.extra.identity ?? ANONYMOUS);
    // Its operation was checked against the trusted documents when it subscribed.
    trusted.markVetted(request);
    return { req: ctx.extra.request, socket: ctx.extra.socket, request };
  });
  const disposable = useServer<Record<string, unknown> | undefined, Verified>(
    {
      ...options,
      onSubscribe(ctx, id, payload) {
        // graphql-ws registers the new operation before asking, so it is among those counted.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptions) {
          return [
            new GraphQLError(`At most ${limits.maxSubscriptions} subscriptions may run on one connection; complete one first`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', maxSubscriptions: limits.maxSubscriptions },
            }),
          ];
        }
        const refused = trusted.vetSocketOperation(payload, ctx.extra.identity ?? ANONYMOUS);
        if (refused) return [refused];
        return options.onSubscribe?.(ctx, id, payload);
      },
      // The runtime hands graphql-ws a stand-in document (always a subscription), so what an
      // operation is shows in its result: a stream for a subscription, one result otherwise.
      onOperation(ctx, id, payload, _args, result) {
        const name = operationNameOf(payload);
        if (!isAsyncIterable(result)) {
          const singles = singlesOf.get(ctx) ?? new Map<string, string | undefined>();
          singlesOf.set(ctx, singles.set(id, name));
          return;
        }
        requests.socketOperation(name, 'stream');
        const ids = subscriptionsOf.get(ctx) ?? new Set<string>();
        subscriptionsOf.set(ctx, ids.add(id));
        active.inc();
      },
      onNext(ctx, id, _payload, _args, result) {
        if (subscriptionsOf.get(ctx)?.has(id)) pushes.inc();
        const singles = singlesOf.get(ctx);
        if (!singles?.has(id)) return;
        requests.socketOperation(singles.get(id), result.errors ?? []);
        singles.delete(id);
      },
      // Refused before it ran (limits, trusted documents, validation): an operation with errors, as over HTTP.
      onError(_ctx, _id, payload, errors) {
        requests.socketOperation(payload.operationName ?? undefined, errors);
      },
      // graphql-ws completes every operation of a socket that closes too.
      onComplete(ctx, id) {
        if (subscriptionsOf.get(ctx)?.delete(id)) active.dec();
      },
      async onConnect(ctx) {
        const authorization = authorizationOf(ctx.connectionParams);
        const result =
          authorization === undefined || typeof authorization === 'string'
            ? await identity.identify(authorization ?? null)
            : { error: 'connectionParams.authorization must be "Bearer <token>"' };
        if ('error' in result) {
          // 4401 rather than graphql-ws's 4403 for `false`: clients retry 4403, never 4401.
          ctx.extra.socket.close(CloseCode.Unauthorized, result.error);
          return false;
        }
        ctx.extra.identity = result.identity;
        // A signed-in socket closes when its token expires or is revoked (sign-out, role change, forgetting).
        if (result.session) watch.watch(ctx.extra.socket, result.session);
        return true;
      },
    },
    sockets,
  );
  return { close: () => closeWebSockets(sockets, disposable) };
}
