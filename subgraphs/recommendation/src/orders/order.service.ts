import { AppError, ErrorCode, ORDER_SIGNATURE_HEADER, ORDER_TIMESTAMP_HEADER, signatureProblem, type CatalogueClient } from '@serendip/federation';
import type { EventService } from '../event/event.service';
import type { EventRow, EventStore } from '../event/event.store';
import { EventType } from '../event/event-type';
import type { PrivacyService } from '../privacy/privacy.service';
import { parseOrder, decimal, type ShopOrder } from './order-payload';
import type { ShopOrderStore } from './shop-order.store';

/** A signed order's purchase credits the slate that led the shopper to its product within this long. */
const ATTRIBUTION_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface OrderWebhookSettings {
  /** ORDER_WEBHOOK_SECRET: the key the shop signs with. */
  secret: string;
  /** ORDER_WEBHOOK_TOLERANCE_SECONDS: how far a request's timestamp may be from the server clock. */
  toleranceSeconds: number;
}

/** What a signed order came to. */
export type OrderOutcome =
  | { status: 'RECORDED'; orderId: string; purchases: number }
  /** The order id was recorded before: a replay writes nothing. */
  | { status: 'DUPLICATE'; orderId: string }
  /** The shopper was forgotten: nothing of theirs is recorded, and the shop need not retry. */
  | { status: 'IGNORED'; orderId: string; reason: 'FORGOTTEN' };

/**
 * Purchases from the shop's server: each signed order's lines become verified PURCHASE events
 * whose value (unit price × quantity) is experiment revenue. Orders are recorded once per id.
 */
export class OrderService {
  constructor(
    private readonly settings: OrderWebhookSettings,
    private readonly stores: { events: EventStore; orders: ShopOrderStore },
    private readonly events: EventService,
    private readonly catalogue: CatalogueClient,
    private readonly privacy: PrivacyService,
  ) {}

  /**
   * Verifies the signature before reading the body, then records the order. Refusals are AppErrors
   * (UNAUTHENTICATED with a `reason`, BAD_USER_INPUT, NOT_FOUND for an unknown product,
   * SERVICE_UNAVAILABLE when the catalogue does not answer) and write nothing.
   */
  async receive(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): Promise<OrderOutcome> {
    const receivedAt = new Date();
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? undefined : value;
    };
    const problem = signatureProblem(
      this.settings.secret,
      { timestamp: header(ORDER_TIMESTAMP_HEADER), signature: header(ORDER_SIGNATURE_HEADER) },
      rawBody,
      receivedAt,
      this.settings.toleranceSeconds,
    );
    if (problem) throw new AppError(ErrorCode.Unauthenticated, `The order is not signed with the shop's secret (${problem})`, { reason: problem });
    const order = parseOrder(rawBody, receivedAt);
    if ((await this.privacy.state(order.userId)).forgotten) return { status: 'IGNORED', orderId: order.orderId, reason: 'FORGOTTEN' };

    const products = await this.catalogue.lookup(order.items.map((item) => item.productId));
    const recommendations = await this.stores.events.lastRecommendations(
      order.userId,
      order.items.map((item) => item.productId),
      new Date(receivedAt.getTime() - ATTRIBUTION_WINDOW_MS),
    );
    const rows = order.items.map((item, index): EventRow => {
      const product = products.get(item.productId);
      if (!product) {
        throw new AppError(ErrorCode.NotFound, `items[${index}].productId: product ${item.productId} does not exist`, {
          field: `items[${index}].productId`,
          id: item.productId,
        });
      }
      return {
        userId: order.userId,
        type: EventType.PURCHASE,
        productId: item.productId,
        categoryId: product.categoryId,
        query: null,
        sessionId: `order:${order.orderId}`,
        clientEventId: `order:${order.orderId}:${index}`,
        occurredAt: order.occurredAt,
        recommendationId: recommendations.get(item.productId) ?? null,
        value: decimal(item.valueCents),
        verified: true,
      };
    });
    const attributions = await this.events.attributions(order.userId, rows);
    const recorded = await this.events.recordBatch(order.userId, rows, attributions, receivedAt, (manager) =>
      this.stores.orders.claim(manager, order, receivedAt),
    );
    if (!recorded) return { status: 'DUPLICATE', orderId: order.orderId };
    return this.unlessForgotten(order, { status: 'RECORDED', orderId: order.orderId, purchases: recorded.accepted });
  }

  /** Forgotten while the order was written: whichever committed last, nothing of it stays. */
  private async unlessForgotten(order: ShopOrder, outcome: OrderOutcome): Promise<OrderOutcome> {
    if (!(await this.privacy.state(order.userId)).forgotten) return outcome;
    await this.privacy.forget(order.userId);
    return { status: 'IGNORED', orderId: order.orderId, reason: 'FORGOTTEN' };
  }
}
