import { getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { ANONYMOUS, closeWebSockets, type Identity } from '@serendip/federation';
import { CloseCode } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { IdentityForwarding } from './identity.plugin';

/** What a connection keeps besides graphql-ws's own: the shopper verified at init. */
type Verified = { identity: Identity };

/** `connectionParams.authorization` (any case): the same `Bearer <token>` as the HTTP header. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): unknown {
  const key = Object.keys(params ?? {}).find((name) => name.toLowerCase() === 'authorization');
  return key === undefined ? undefined : params?.[key];
}

/**
 * GraphQL over WebSocket (graphql-ws) on the gateway's GraphQL path. The shopper authenticates
 * once, in the connection init payload (`{ authorization: 'Bearer <token>' }`), because browsers
 * cannot set headers on a WebSocket: no token is an anonymous visitor, a bad or expired one is
 * closed with 4401 and the reason. Operations then run through the same runtime, plugins and
 * limits as HTTP ones. CSRF prevention does not apply: nothing authenticates a socket but the
 * token the page itself sends.
 */
export function serveGraphqlWs(gateway: GatewayRuntime, server: Server, identity: IdentityForwarding) {
  const sockets = new WebSocketServer({ server, path: gateway.graphqlEndpoint });
  const disposable = useServer<Record<string, unknown> | undefined, Verified>(
    {
      ...getGraphQLWSOptions<Record<string, unknown>, Extra & Partial<Verified>>(gateway, (ctx) => {
        // Operations read the identity through the request they run under, as HTTP ones do.
        const request = new gateway.fetchAPI.Request(new URL(ctx.extra.request.url ?? gateway.graphqlEndpoint, 'http://gateway'));
        identity.remember(request, ctx.extra.identity ?? ANONYMOUS);
        return { req: ctx.extra.request, socket: ctx.extra.socket, request };
      }),
      onConnect(ctx) {
        const authorization = authorizationOf(ctx.connectionParams);
        const result =
          authorization === undefined || typeof authorization === 'string'
            ? identity.identify(authorization ?? null)
            : { error: 'connectionParams.authorization must be "Bearer <token>"' };
        if ('error' in result) {
          // 4401 rather than graphql-ws's 4403 for `false`: clients retry 4403, never 4401.
          ctx.extra.socket.close(CloseCode.Unauthorized, result.error);
          return false;
        }
        ctx.extra.identity = result.identity;
        return true;
      },
    },
    sockets,
  );
  return { close: () => closeWebSockets(sockets, disposable) };
}
