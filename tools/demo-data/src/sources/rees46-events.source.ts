import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvRecords } from '../csv';

export const REES46_FILE = 'ecommerce_events_rees46_sample/events.csv';

export type Rees46EventType = 'view' | 'cart' | 'purchase' | 'remove_from_cart';

/** One row of events.csv. */
export interface Rees46Event {
  eventTime: Date;
  eventType: Rees46EventType;
  productId: string;
  /** 19-digit id, kept as a string (beyond Number's precision). */
  categoryId: string;
  /** Dotted path such as `electronics.smartphone`; empty when the store gave none. */
  categoryCode: string;
  brand: string;
  price: number;
  userId: string;
  userSession: string;
  /**
   * 1 for the first row with this time, type, product and user, 2 for an identical repeat, …:
   * the file has no row id and a few rows repeat exactly, so this makes the row key unique.
   */
  occurrence: number;
}

const EVENT_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$/;
const DIGITS = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const TYPES: ReadonlySet<string> = new Set<Rees46EventType>(['view', 'cart', 'purchase', 'remove_from_cart']);

export function parseRees46Time(value: string): Date {
  const match = EVENT_TIME.exec(value);
  if (!match) throw new Error(`events.csv: bad event_time ${JSON.stringify(value)}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

export function parseRees46Events(csv: string): Rees46Event[] {
  const events: Rees46Event[] = [];
  const seen = new Map<string, number>();
  for (const record of readCsvRecords(csv)) {
    const eventType = record.event_type ?? '';
    const productId = record.product_id ?? '';
    const userId = record.user_id ?? '';
    const categoryId = record.category_id ?? '';
    const price = record.price ?? '';
    if (!TYPES.has(eventType)) throw new Error(`events.csv: unknown event_type ${JSON.stringify(eventType)}`);
    if (!DIGITS.test(productId) || !DIGITS.test(userId) || !DIGITS.test(categoryId))
      throw new Error('events.csv: product_id, category_id and user_id must be integers');
    if (!DECIMAL.test(price)) throw new Error(`events.csv: bad price ${JSON.stringify(price)}`);
    const eventTime = parseRees46Time(record.event_time ?? '');
    const key = `${eventTime.getTime()}/${eventType}/${productId}/${userId}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    events.push({
      eventTime,
      eventType: eventType as Rees46EventType,
      productId,
      categoryId,
      categoryCode: record.category_code ?? '',
      brand: record.brand ?? '',
      price: Number(price),
      userId,
      userSession: record.user_session ?? '',
      occurrence,
    });
  }
  return events;
}

export async function readRees46(dataDir: string): Promise<Rees46Event[]> {
  return parseRees46Events(await readFile(join(dataDir, REES46_FILE), 'utf8'));
}
