import { EventType } from '@serendip/subgraph-recommendation';
import {
  beautyCategoryPath,
  beautyEventId,
  beautyEventTime,
  beautyShopper,
  beautySku,
  beautyTitle,
  chineseCategoryPath,
  chineseDescription,
  chineseRating,
  chineseReviewId,
  chineseReviewText,
  chineseSku,
  chineseTitle,
  CHINESE_REVIEWS_FROM,
  clothingCategoryPath,
  clothingReviewId,
  clothingReviewText,
  CLOTHING_REVIEWS_FROM,
  clothingSku,
  clothingTitle,
  isRetailProductCode,
  isRetailPurchase,
  minutesAfter,
  modalPrice,
  mostFrequent,
  rees46CategoryPath,
  rees46EventId,
  rees46EventType,
  rees46Shopper,
  rees46Sku,
  rees46Title,
  RETAIL_CATEGORY_PATH,
  retailEventId,
  retailShopper,
  retailSku,
  reviewer,
  type ShopperDraft,
  type Source,
} from './link';
import type { ProfileLimits } from './profile';
import type { BeautyData } from './sources/amazon-beauty.source';
import type { ChineseReview } from './sources/chinese-shopping.source';
import type { RetailLine } from './sources/online-retail.source';
import type { Rees46Event } from './sources/rees46-events.source';
import type { ClothingReview } from './sources/womens-clothing.source';

/** A catalogue product before its category path has an id. */
export interface ProductDraft {
  sku: string;
  title: string;
  description: string;
  categoryPath: string[];
  brand: string | null;
  price: number;
  currency: string;
  tags: string[];
}

/** A behaviour event naming its shopper by email and its product by sku. */
export interface EventDraft {
  email: string;
  sku: string;
  type: EventType;
  sessionId: string;
  clientEventId: string;
  occurredAt: Date;
}

export interface ReviewDraft {
  email: string;
  sku: string;
  rating: number;
  text: string;
  language: 'en' | 'zh';
  createdAt: Date;
  clientReviewId: string;
}

/** What one data set contributes, and how many of its rows were left out and why. */
export interface SourcePlan {
  source: Source;
  products: ProductDraft[];
  shoppers: ShopperDraft[];
  events: EventDraft[];
  reviews: ReviewDraft[];
  skipped: Record<string, number>;
}

export type ImportPlan = Omit<SourcePlan, 'source'>;

function count(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

function group<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const members = groups.get(key);
  if (members) members.push(value);
  else groups.set(key, [value]);
}

const take = <T>(rows: readonly T[], limit: number | null): readonly T[] => (limit === null ? rows : rows.slice(0, limit));

/** Beauty: products from the title table, categories from the attribute ids, one purchase per sequence item. */
export function planBeauty(data: BeautyData, limits: ProfileLimits): SourcePlan {
  const skipped: Record<string, number> = {};
  const itemsById = new Map(data.items.map((item) => [item.itemId, item]));
  const sequences = take(data.sequences, limits.beautyUsers);
  const events: EventDraft[] = [];
  const bought = new Set<number>();
  for (const sequence of sequences) {
    const shopper = beautyShopper(sequence.userId);
    sequence.itemIds.forEach((itemId, index) => {
      const item = itemsById.get(itemId);
      if (!item) return count(skipped, 'sequence items without a title row');
      bought.add(itemId);
      const position = index + 1;
      events.push({
        email: shopper.email,
        sku: beautySku(item.asin),
        type: EventType.PURCHASE,
        sessionId: beautyEventId(sequence.userId, position),
        clientEventId: beautyEventId(sequence.userId, position),
        occurredAt: beautyEventTime(position, sequence.itemIds.length),
      });
    });
  }
  const items = limits.beautyUsers === null ? data.items : data.items.filter((item) => bought.has(item.itemId));
  const products = items.map((item): ProductDraft => {
    const attributes = data.attributes.get(item.itemId);
    return {
      sku: beautySku(item.asin),
      title: beautyTitle(item.title, item.asin),
      description: '',
      categoryPath: beautyCategoryPath(attributes?.categoryPath ?? []),
      brand: null,
      price: 0,
      currency: 'USD',
      tags: ['amazon-beauty', ...(attributes?.brand ? [`brand-attribute-${attributes.brand}`] : [])],
    };
  });
  return { source: 'beauty', products, shoppers: sequences.map((sequence) => beautyShopper(sequence.userId)), events, reviews: [], skipped };
}

/** Online Retail: one product per stock code, one shopper per customer, one purchase per invoice line. */
export function planRetail(allLines: readonly RetailLine[], limits: ProfileLimits): SourcePlan {
  const skipped: Record<string, number> = {};
  let lines = allLines;
  if (limits.retailCustomers !== null) {
    const customers = new Set<string>();
    for (const line of allLines) {
      if (customers.size >= limits.retailCustomers) break;
      customers.add(line.customerId);
    }
    lines = allLines.filter((line) => customers.has(line.customerId));
  }
  const byCode = new Map<string, RetailLine[]>();
  const customers = new Set<string>();
  const events: EventDraft[] = [];
  for (const line of lines) {
    customers.add(line.customerId);
    if (!isRetailProductCode(line.stockCode)) {
      count(skipped, 'non-product lines (postage, manual, discount, carriage, bank charges)');
      continue;
    }
    group(byCode, line.stockCode, line);
    if (!isRetailPurchase(line.invoiceNo, line.quantity)) {
      count(skipped, 'cancellation lines');
      continue;
    }
    events.push({
      email: retailShopper(line.customerId).email,
      sku: retailSku(line.stockCode),
      type: EventType.PURCHASE,
      sessionId: `retail-${line.invoiceNo}`,
      clientEventId: retailEventId(line.invoiceNo, line.lineInInvoice),
      occurredAt: line.invoiceDate,
    });
  }
  const products = [...byCode].map(([code, codeLines]): ProductDraft => ({
    sku: retailSku(code),
    title: mostFrequent(codeLines.map((line) => line.description).filter(Boolean)) ?? `Stock item ${code}`,
    description: '',
    categoryPath: [...RETAIL_CATEGORY_PATH],
    brand: null,
    price: modalPrice(codeLines.map((line) => line.unitPrice)),
    currency: 'GBP',
    tags: ['online-retail'],
  }));
  return { source: 'retail', products, shoppers: [...customers].map(retailShopper), events, reviews: [], skipped };
}

/** REES46: products from the rows' product, category and brand; events one to one. */
export function planRees46(allEvents: readonly Rees46Event[], limits: ProfileLimits): SourcePlan {
  const skipped: Record<string, number> = {};
  const rows = take(allEvents, limits.rees46Events);
  const byProduct = new Map<string, Rees46Event[]>();
  const users = new Set<string>();
  const events: EventDraft[] = [];
  for (const row of rows) {
    users.add(row.userId);
    group(byProduct, row.productId, row);
    const type = rees46EventType(row.eventType);
    if (!type) {
      count(skipped, `${row.eventType} events`);
      continue;
    }
    events.push({
      email: rees46Shopper(row.userId).email,
      sku: rees46Sku(row.productId),
      type,
      sessionId: row.userSession || `rees46-${row.userId}`,
      clientEventId: rees46EventId(row.eventTime, row.eventType, row.productId, row.occurrence),
      occurredAt: row.eventTime,
    });
  }
  const products = [...byProduct].map(([productId, productRows]): ProductDraft => {
    // A product's code and brand are the same on every row in the data; the latest row wins otherwise.
    const latest = productRows[productRows.length - 1] as Rees46Event;
    return {
      sku: rees46Sku(productId),
      title: rees46Title(latest.categoryCode, latest.brand, productId),
      description: '',
      categoryPath: rees46CategoryPath(latest.categoryCode, latest.categoryId),
      brand: latest.brand || null,
      price: modalPrice(productRows.map((row) => row.price)),
      currency: 'USD',
      tags: ['rees46'],
    };
  });
  return { source: 'rees46', products, shoppers: [...users].map(rees46Shopper), events, reviews: [], skipped };
}

/** Women's clothing: one product per Clothing ID, one reviewer per review row. */
export function planClothing(allReviews: readonly ClothingReview[], limits: ProfileLimits): SourcePlan {
  const skipped: Record<string, number> = {};
  const selected: { row: ClothingReview; text: string }[] = [];
  for (const row of allReviews) {
    if (limits.clothingReviews !== null && selected.length >= limits.clothingReviews) break;
    const text = clothingReviewText(row.title, row.text);
    if (text === null) count(skipped, 'reviews without title or text');
    else selected.push({ row, text });
  }
  const byClothing = new Map<string, ClothingReview[]>();
  for (const { row } of selected) group(byClothing, row.clothingId, row);
  const products = [...byClothing].map(([clothingId, rows]): ProductDraft => {
    // A few garments are filed in two places (193 under two divisions, one under two classes).
    const placement = mostFrequent(rows.map((row) => `${row.department}\t${row.className}`)) ?? '';
    const [department = '', className = ''] = placement.split('\t');
    const divisions = [...new Set(rows.map((row) => row.division.toLowerCase()).filter(Boolean))].sort();
    return {
      sku: clothingSku(clothingId),
      title: clothingTitle(className, clothingId),
      description: '',
      categoryPath: clothingCategoryPath(department, className),
      brand: null,
      price: 0,
      currency: 'USD',
      tags: ['womens-clothing', ...divisions],
    };
  });
  const reviews = selected.map(({ row, text }): ReviewDraft => ({
    email: reviewer('clothing', row.rowId).email,
    sku: clothingSku(row.clothingId),
    rating: row.rating,
    text,
    language: 'en',
    createdAt: minutesAfter(CLOTHING_REVIEWS_FROM, Number(row.rowId)),
    clientReviewId: clothingReviewId(row.rowId),
  }));
  return {
    source: 'clothing',
    products,
    shoppers: selected.map(({ row }) => reviewer('clothing', row.rowId)),
    events: [],
    reviews,
    skipped,
  };
}

/** Chinese reviews: one product per category (the corpus names no product), one reviewer per review. */
export function planChinese(allReviews: readonly ChineseReview[], limits: ProfileLimits): SourcePlan {
  const skipped: Record<string, number> = {};
  const perLabel = limits.chineseReviewsPerCategory === null ? null : Math.floor(limits.chineseReviewsPerCategory / 2);
  const taken = new Map<string, number>();
  const selected: { row: ChineseReview; text: string }[] = [];
  for (const row of allReviews) {
    const bucket = `${row.category}\t${row.label}`;
    if (perLabel !== null && (taken.get(bucket) ?? 0) >= perLabel) continue;
    const text = chineseReviewText(row.review);
    if (text === null) {
      count(skipped, 'empty reviews');
      continue;
    }
    taken.set(bucket, (taken.get(bucket) ?? 0) + 1);
    selected.push({ row, text });
  }
  const categories = [...new Set(selected.map(({ row }) => row.category))];
  const products = categories.map((category): ProductDraft => ({
    sku: chineseSku(category),
    title: chineseTitle(category),
    description: chineseDescription(category),
    categoryPath: chineseCategoryPath(category),
    brand: null,
    price: 0,
    currency: 'CNY',
    tags: ['online-shopping-10-cats'],
  }));
  const reviews = selected.map(({ row, text }): ReviewDraft => ({
    email: reviewer('zh', row.key).email,
    sku: chineseSku(row.category),
    rating: chineseRating(row.label),
    text,
    language: 'zh',
    createdAt: minutesAfter(CHINESE_REVIEWS_FROM, row.index),
    clientReviewId: chineseReviewId(row.key),
  }));
  return { source: 'zh', products, shoppers: selected.map(({ row }) => reviewer('zh', row.key)), events: [], reviews, skipped };
}

/**
 * One plan from all sources. Skus and emails carry their source's prefix, so two sources can
 * never claim the same one; a clash means a linking rule is wrong, and is refused.
 */
export function mergePlans(plans: readonly SourcePlan[]): ImportPlan {
  const merged: ImportPlan = { products: [], shoppers: [], events: [], reviews: [], skipped: {} };
  const skus = new Set<string>();
  const emails = new Set<string>();
  for (const plan of plans) {
    for (const product of plan.products) {
      if (skus.has(product.sku)) throw new Error(`sku ${product.sku} is planned twice`);
      skus.add(product.sku);
      merged.products.push(product);
    }
    for (const shopper of plan.shoppers) {
      if (emails.has(shopper.email)) throw new Error(`shopper ${shopper.email} is planned twice`);
      emails.add(shopper.email);
      merged.shoppers.push(shopper);
    }
    // Not push(...rows): a full import has more events than a call may take arguments.
    for (const event of plan.events) merged.events.push(event);
    for (const review of plan.reviews) merged.reviews.push(review);
    for (const [reason, n] of Object.entries(plan.skipped)) merged.skipped[`${plan.source}: ${reason}`] = n;
  }
  return merged;
}
