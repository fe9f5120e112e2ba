import { createClient, type Client, type EventListener } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A graphql-ws client of a gateway, as a Node client would build one (`ws` as the socket), for
 * gateway and end-to-end tests. It connects on the first subscription and does not retry, so a
 * refused connection surfaces as the close event (`{ code, reason }`) the subscription rejects with.
 * `onConnected` receives the raw socket, for tests that cut it.
 */
export function gatewayWsClient(httpUrl: string, connectionParams?: Record<string, unknown>, onConnected?: EventListener<'connected'>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(connectionParams ? { connectionParams } : {}),
    ...(onConnected ? { on: { connected: onConnected } } : {}),
  });
}
