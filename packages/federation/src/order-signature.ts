import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The order webhook's protocol, shared by the recommendation subgraph (which verifies), the gateway
 * (which forwards the request unchanged) and whoever signs (a shop's order system, tests).
 */

/** Where a shop posts signed orders: the gateway forwards this path to the recommendation subgraph. */
export const ORDER_WEBHOOK_PATH = '/webhooks/orders';
/** Unix time in seconds when the shop signed the request. */
export const ORDER_TIMESTAMP_HEADER = 'x-serendip-timestamp';
/** `sha256=` and the hex HMAC-SHA256, under ORDER_WEBHOOK_SECRET, of `<timestamp>.<raw body>`. */
export const ORDER_SIGNATURE_HEADER = 'x-serendip-signature';
const SCHEME = 'sha256=';

/** Why a request's signature is refused; each is answered 401 with this as its `reason`. */
export type SignatureProblem = 'MISSING_SIGNATURE' | 'MALFORMED_SIGNATURE' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE';

/** The signature header's value for a body signed at `timestamp` (seconds, as sent in its header): what a shop computes. */
export function signOrder(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return SCHEME + createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks a request's timestamp and signature: the timestamp within `toleranceSeconds` of `now` either
 * way (a captured request cannot be replayed later, and its signature covers the timestamp, so it
 * cannot be moved), the signature an HMAC of exactly these bytes under the shop's secret. Null when
 * both hold. Replays within the window are caught by the order id.
 */
export function signatureProblem(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  now: Date,
  toleranceSeconds: number,
): SignatureProblem | null {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return 'MISSING_SIGNATURE';
  if (!/^\d{1,12}$/.test(timestamp) || !/^sha256=[0-9a-f]{64}$/.test(signature)) return 'MALFORMED_SIGNATURE';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return 'STALE_TIMESTAMP';
  const expected = Buffer.from(signOrder(secret, timestamp, rawBody));
  return timingSafeEqual(expected, Buffer.from(signature)) ? null : 'BAD_SIGNATURE';
}
