import { ORDER_SIGNATURE_HEADER, ORDER_TIMESTAMP_HEADER, ORDER_WEBHOOK_PATH } from '@serendip/federation';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '@serendip/telemetry';
import type { ReplicaSet } from './replicas';

/** Signed orders are a few kilobytes; anything far larger is refused before the subgraph sees it. */
const MAX_BODY_BYTES = 1024 * 1024;
/** The only headers passed on: the signature covers the body and timestamp, nothing else is needed. */
const FORWARDED = ['content-type', ORDER_TIMESTAMP_HEADER, ORDER_SIGNATURE_HEADER];
const UPSTREAM_TIMEOUT_MS = 10_000;

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

/**
 * `POST /webhooks/orders` on the gateway: the shop's signed order, forwarded byte for byte with its
 * signature headers to the recommendation subgraph (its replicas in turn), which verifies it (the
 * gateway holds no shop secret and adds no identity), and its answer returned as it came.
 */
export function orderWebhookForwarder(recommendation: ReplicaSet) {
  const targets = recommendation.urls.map((url) => new URL(ORDER_WEBHOOK_PATH, url).href);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        sendJson(res, 413, { error: { code: 'BAD_USER_INPUT', message: `Request body exceeds ${MAX_BODY_BYTES} bytes` } });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    const headers = Object.fromEntries(FORWARDED.flatMap((name) => (typeof req.headers[name] === 'string' ? [[name, req.headers[name]]] : [])));
    let upstream: Response;
    try {
      const body = req.method === 'POST' ? Buffer.concat(chunks) : undefined;
      upstream = await recommendation.send((index) =>
        fetch(targets[index]!, { method: req.method, headers, body, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) }),
      );
    } catch (error) {
      logger().error({ err: error }, 'order webhook: the recommendation subgraph did not answer');
      sendJson(res, 503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'Orders cannot be recorded now; retry later' } });
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json; charset=utf-8' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  };
}
