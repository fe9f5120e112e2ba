import { EventType } from '@serendip/subgraph-recommendation';

/**
 * The rules that turn source rows into catalogue products, demo shoppers, behaviour events and
 * reviews. Every id is derived from the source's own keys, so a re-run names the same rows and
 * the stores' natural keys (sku, email, clientEventId, clientReviewId) make it a no-op.
 * docs/demo-data.md states these rules in prose; keep the two in step.
 */

export const DEMO_EMAIL_DOMAIN = 'demo.serendip.dev';

/** The catalogue's title column and validation allow this many characters. */
export const MAX_TITLE_LENGTH = 500;

export type Source = 'beauty' | 'retail' | 'rees46' | 'clothing' | 'zh';

export const beautySku = (asin: string): string => `beauty-${asin}`;
export const retailSku = (stockCode: string): string => `retail-${stockCode}`;
export const rees46Sku = (productId: string): string => `rees46-${productId}`;
export const clothingSku = (clothingId: string): string => `clothing-${clothingId}`;
export const chineseSku = (category: string): string => `zh-${category}`;

export interface ShopperDraft {
  email: string;
  displayName: string;
  locale: string;
}

const email = (local: string): string => `${local}@${DEMO_EMAIL_DOMAIN}`;

export const beautyShopper = (userId: string): ShopperDraft => ({
  email: email(`beauty-${userId}`),
  displayName: `Beauty shopper ${userId}`,
  // Amazon.com review data.
  locale: 'en-US',
});

export const retailShopper = (customerId: string): ShopperDraft => ({
  email: email(`retail-${customerId}`),
  displayName: `Retail customer ${customerId}`,
  // A UK retailer pricing in pounds.
  locale: 'en-GB',
});

export const rees46Shopper = (userId: string): ShopperDraft => ({
  email: email(`rees46-${userId}`),
  displayName: `REES46 shopper ${userId}`,
  locale: 'en',
});

/** One shopper per review: neither review set identifies its authors across reviews. */
export const reviewer = (source: 'clothing' | 'zh', rowKey: string): ShopperDraft => ({
  email: email(`reviewer-${source}-${rowKey}`),
  displayName: source === 'zh' ? `Shopping reviewer ${rowKey}` : `Clothing reviewer ${rowKey}`,
  locale: source === 'zh' ? 'zh-CN' : 'en',
});

export const beautyEventId = (userId: string, position: number): string => `beauty-${userId}-${position}`;
export const retailEventId = (invoiceNo: string, lineInInvoice: number): string => `retail-${invoiceNo}-${lineInInvoice}`;
export const rees46EventId = (at: Date, type: string, productId: string, occurrence: number): string =>
  `rees46-${Math.floor(at.getTime() / 1000)}-${type}-${productId}-${occurrence}`;
export const clothingReviewId = (rowId: string): string => `clothing-${rowId}`;
export const chineseReviewId = (rowKey: string): string => `zh-${rowKey}`;

export const BEAUTY_ROOT = 'Beauty';
/** Online Retail has no categories; the whole gift-ware catalogue goes under one. */
export const RETAIL_CATEGORY_PATH: readonly string[] = ['Home & Gifts'];
export const CLOTHING_ROOT = 'Clothing';
/** REES46 rows without a category_code; their numeric category_id keeps them grouped below it. */
export const REES46_UNLABELLED_ROOT = 'Unlabelled';

/**
 * S3-Rec only ships anonymised attribute ids, so the levels below "Beauty" are named after their
 * id ("Attribute 17"); the real names (Makeup, Skin Care, …) are not in the data.
 */
export function beautyCategoryPath(attributeIds: readonly number[]): string[] {
  return [BEAUTY_ROOT, ...attributeIds.map((id) => `Attribute ${id}`)];
}

/** `appliances.environment.water_heater` → appliances › environment › water heater. */
export function rees46CategoryPath(categoryCode: string, categoryId: string): string[] {
  const levels = categoryCode
    .split('.')
    .map((level) => level.replace(/_/g, ' ').trim())
    .filter((level) => level.length > 0);
  return levels.length > 0 ? levels : [REES46_UNLABELLED_ROOT, `Category ${categoryId}`];
}

export function clothingCategoryPath(department: string, className: string): string[] {
  if (!department) return [CLOTHING_ROOT];
  return className ? [CLOTHING_ROOT, department, className] : [CLOTHING_ROOT, department];
}

/** One root per label of the Chinese corpus (书籍, 平板, 手机, …), holding that label's one product. */
export const chineseCategoryPath = (category: string): string[] => [category];

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  eacute: 'é',
  Eacute: 'É',
  egrave: 'è',
  Egrave: 'È',
  ecirc: 'ê',
  agrave: 'à',
  aacute: 'á',
  ccedil: 'ç',
  ouml: 'ö',
  uuml: 'ü',
  auml: 'ä',
  ntilde: 'ñ',
  iacute: 'í',
  oacute: 'ó',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  bull: '•',
  ordm: 'º',
  deg: '°',
  hearts: '♥',
  trade: '™',
  reg: '®',
  copy: '©',
  mdash: '—',
  ndash: '–',
  hellip: '…',
};

/** HTML maps numeric references 128–159 to Windows-1252, which is what such titles meant. */
const WINDOWS_1252: Readonly<Record<number, string>> = {
  128: '€',
  130: '‚',
  131: 'ƒ',
  132: '„',
  133: '…',
  134: '†',
  135: '‡',
  136: 'ˆ',
  137: '‰',
  138: 'Š',
  139: '‹',
  140: 'Œ',
  142: 'Ž',
  145: '‘',
  146: '’',
  147: '“',
  148: '”',
  149: '•',
  150: '–',
  151: '—',
  152: '˜',
  153: '™',
  154: 'š',
  155: '›',
  156: 'œ',
  158: 'ž',
  159: 'Ÿ',
};

/** Decodes the HTML entities the upstream title extraction left in (e.g. `&#9733;`, `&egrave;`). */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (WINDOWS_1252[code] !== undefined) return WINDOWS_1252[code];
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return entity;
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body] ?? entity;
  });
}

/** Cuts at a code-point boundary and marks the cut with an ellipsis. */
export function fitTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length <= MAX_TITLE_LENGTH) return trimmed;
  let cut = trimmed.slice(0, MAX_TITLE_LENGTH - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** The Amazon title with entities decoded; the 7 items without one are named by their ASIN. */
export function beautyTitle(title: string, asin: string): string {
  const decoded = decodeHtmlEntities(title).trim();
  return fitTitle(decoded || `Amazon Beauty item ${asin}`);
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * REES46 has no product names. The title is made from what the row does say: the last level of
 * the category code, the brand and the product id, e.g. `Smartphone by samsung #1004856`.
 */
export function rees46Title(categoryCode: string, brand: string, productId: string): string {
  const leaf = categoryCode.split('.').pop()?.replace(/_/g, ' ').trim();
  const kind = leaf ? capitalise(leaf) : 'Product';
  return brand ? `${kind} by ${brand} #${productId}` : `${kind} #${productId}`;
}

/** The clothing file names no garment; the title is its class and id, e.g. `Dresses #1077`. */
export const clothingTitle = (className: string, clothingId: string): string => `${className || CLOTHING_ROOT} #${clothingId}`;

export const chineseTitle = (category: string): string => category;

export const chineseDescription = (category: string): string =>
  `Stands for every review labelled ${category} in the online_shopping_10_cats corpus, which names a product category but never a product.`;

/**
 * The price a product is listed at: the one its rows show most often, ties going to the most
 * recent. Rows are in time order. Zero-priced rows (free samples, adjustments) are ignored; a
 * product with no other price is listed at 0.
 */
export function modalPrice(pricesInTimeOrder: readonly number[]): number {
  const counts = new Map<number, { count: number; last: number }>();
  pricesInTimeOrder.forEach((price, index) => {
    if (!(price > 0)) return;
    const entry = counts.get(price) ?? { count: 0, last: -1 };
    entry.count += 1;
    entry.last = index;
    counts.set(price, entry);
  });
  let best: [number, { count: number; last: number }] | undefined;
  for (const entry of counts) {
    if (!best || entry[1].count > best[1].count || (entry[1].count === best[1].count && entry[1].last > best[1].last)) best = entry;
  }
  return best ? Math.round(best[0] * 100) / 100 : 0;
}

/** The value seen most often, ties going to the first seen. */
export function mostFrequent<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestCount = 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** Beauty.txt has order but no time: the last item of every sequence is set at this instant. */
export const BEAUTY_LAST_EVENT_AT = new Date('2014-07-01T12:00:00.000Z');
const DAY_MS = 24 * 3600 * 1000;

/** Synthetic time of the `position`-th (1-based) of `length` items: one day apart, ending at BEAUTY_LAST_EVENT_AT. */
export function beautyEventTime(position: number, length: number): Date {
  return new Date(BEAUTY_LAST_EVENT_AT.getTime() - (length - position) * DAY_MS);
}

/** Online Retail stock codes of products: 5 digits and an optional letter suffix. POST, M, D, C2, BANK CHARGES are not products. */
export const isRetailProductCode = (stockCode: string): boolean => /^\d{5}[A-Za-z]*$/.test(stockCode);

/** A purchase line: not on a cancellation invoice (`C…`) and a positive quantity. */
export const isRetailPurchase = (invoiceNo: string, quantity: number): boolean => !invoiceNo.startsWith('C') && quantity > 0;

const REES46_TYPES: Readonly<Record<string, EventType>> = {
  view: EventType.VIEW,
  cart: EventType.CART,
  purchase: EventType.PURCHASE,
};

/** view/cart/purchase map one to one; remove_from_cart has no counterpart and is skipped. */
export const rees46EventType = (type: string): EventType | null => REES46_TYPES[type] ?? null;

/** The stores accept 1 to 5000 characters of review text. */
export const MAX_REVIEW_CHARACTERS = 5000;

/** Neither review set has dates: review n of a file is set n minutes after its set's base instant. */
export const CLOTHING_REVIEWS_FROM = new Date('2018-01-01T00:00:00.000Z');
export const CHINESE_REVIEWS_FROM = new Date('2018-03-01T00:00:00.000Z');

export const minutesAfter = (base: Date, minutes: number): Date => new Date(base.getTime() + minutes * 60_000);

/** Title and body joined by a blank line; either alone when the other is empty; null when both are. */
export function clothingReviewText(title: string, body: string): string | null {
  const parts = [title.trim(), body.trim()].filter((part) => part.length > 0);
  return acceptableReview(parts.join('\n\n'));
}

/** The corpus's labels as stars: positive (1) → 5, negative (0) → 1. */
export const chineseRating = (label: 0 | 1): number => (label === 1 ? 5 : 1);

/** Without the stray byte-order marks some reviews carry, trimmed; null when nothing is left. */
export function chineseReviewText(review: string): string | null {
  return acceptableReview(review.replace(/\ufeff/g, ''));
}

function acceptableReview(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || [...trimmed].length > MAX_REVIEW_CHARACTERS) return null;
  return trimmed;
}
