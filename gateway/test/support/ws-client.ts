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

/**
 * A graphql-ws client that behaves as a long-lived page does: whenever its socket closes (a
 * gateway draining or restarting, a network cut) it connects again, every 0.5–1.5 s without end,
 * and subscribes again to what it had open; `stopped` ends that. For benchmarks of faults.
 */
export function reconnectingGatewayWsClient(
  httpUrl: string,
  connectionParams: Record<string, unknown>,
  options: { stopped: () => boolean; on?: { connected?: () => void; closed?: () => void } },
): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => !options.stopped(),
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1000)),
    ...(options.on ? { on: options.on } : {}),
  });
}
