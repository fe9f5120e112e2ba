import { isRowId } from '@serendip/db';
import { badInput, canonicalUserId } from '@serendip/federation';
import { EARLIEST_OCCURRED_AT, MAX_CLOCK_SKEW_MS } from '../event/event.service';

/** Order ids become part of event ids (`order:<orderId>:<line>`, at most 64 characters). */
const ORDER_ID = /^[A-Za-z0-9_.:-]{1,40}$/;
export const MAX_ORDER_ITEMS = 100;
const MAX_QUANTITY = 10_000;
/** `decimal(12,2)`: a line's value and the order's total stay below this many cents. */
const MAX_CENTS = 1e12;

export interface OrderLine {
  productId: string;
  quantity: number;
  /** unitPrice × quantity, in cents (exact: prices have at most two decimals). */
  valueCents: number;
}

/** A signed order as the webhook records it. */
export interface ShopOrder {
  orderId: string;
  userId: string;
  items: OrderLine[];
  occurredAt: Date;
}

/** Cents as the decimal string MariaDB stores. */
export const decimal = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the body of a signed order: `{ orderId, userId, items: [{ productId, quantity, unitPrice }],
 * occurredAt }`. Anything else is BAD_USER_INPUT naming the field; the products' existence is
 * checked by the caller.
 */
export function parseOrder(rawBody: Buffer, receivedAt: Date): ShopOrder {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw badInput('the body is not JSON');
  }
  if (!isObject(body)) throw badInput('the body must be a JSON object');
  const { orderId, userId, items, occurredAt } = body;
  if (typeof orderId !== 'string' || !ORDER_ID.test(orderId)) throw badInput('orderId must be 1 to 40 characters of A-Z, a-z, 0-9, _ . : -', 'orderId');
  const user = typeof userId === 'string' ? canonicalUserId(userId) : null;
  if (!user) throw badInput('userId must be a user id', 'userId');
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_ORDER_ITEMS) throw badInput(`items must hold 1 to ${MAX_ORDER_ITEMS} lines`, 'items');
  let total = 0;
  const lines = items.map((item: unknown, index): OrderLine => {
    const field = (name: string) => `items[${index}].${name}`;
    if (!isObject(item)) throw badInput(`${field('')} must be an object`, 'items');
    const productId = typeof item.productId === 'number' && Number.isSafeInteger(item.productId) ? String(item.productId) : item.productId;
    if (typeof productId !== 'string' || !isRowId(productId)) throw badInput(`${field('productId')} must be a product id`, field('productId'));
    const { quantity, unitPrice } = item;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw badInput(`${field('quantity')} must be a whole number from 1 to ${MAX_QUANTITY}`, field('quantity'));
    }
    const cents = typeof unitPrice === 'number' ? Math.round(unitPrice * 100) : NaN;
    if (!(cents >= 0) || Math.abs(cents - (unitPrice as number) * 100) > 1e-6 || cents * quantity >= MAX_CENTS) {
      throw badInput(`${field('unitPrice')} must be an amount of at least 0 with at most two decimals`, field('unitPrice'));
    }
    total += cents * quantity;
    return { productId, quantity, valueCents: cents * quantity };
  });
  if (total >= MAX_CENTS) throw badInput('the order total is too large', 'items');
  const at = typeof occurredAt === 'string' ? new Date(occurredAt) : null;
  if (!at || Number.isNaN(at.getTime()) || at.getTime() < EARLIEST_OCCURRED_AT || at.getTime() > receivedAt.getTime() + MAX_CLOCK_SKEW_MS) {
    throw badInput('occurredAt must be an ISO 8601 time after 2000 and at most 5 minutes ahead of the server clock', 'occurredAt');
  }
  return { orderId, userId: user, items: lines, occurredAt: at };
}
