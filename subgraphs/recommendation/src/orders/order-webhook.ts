import { AppError, ErrorCode, type RouteRequest, type RouteResponse } from '@serendip/federation';
import type { OrderService } from './order.service';

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.Unauthenticated]: 401,
  // The route exists; the body names a product that does not.
  [ErrorCode.NotFound]: 422,
  [ErrorCode.Unavailable]: 503,
};

/**
 * `POST /webhooks/orders`: answers 200 with `{ status, orderId, … }` for an order recorded, a replay
 * or an ignored shopper, and a 4xx or 5xx `{ error: { code, message, … } }` for a refusal, which
 * writes nothing (a 503 is worth retrying; a 4xx is not).
 */
export function orderWebhook(orders: OrderService): (request: RouteRequest) => Promise<RouteResponse> {
  return async (request) => {
    if (request.method !== 'POST') return { status: 405, body: { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST signed orders here' } } };
    try {
      return { status: 200, body: await orders.receive(request.headers, request.body) };
    } catch (error) {
      const status = error instanceof AppError ? STATUS[error.code] : undefined;
      if (!(error instanceof AppError) || status === undefined) throw error;
      return { status, body: { error: { code: error.code, message: error.message, ...error.details } } };
    }
  };
}
