import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseAccountSettings, DatabaseOwner } from '@serendip/db';
import { CatalogueImportStore, openCatalogueDataSource } from '@serendip/subgraph-catalogue';
import { openFeedbackDataSource, ReviewStore, type ImportedReview } from '@serendip/subgraph-feedback';
import { EventStore, openRecommendationDataSource, type EventRow } from '@serendip/subgraph-recommendation';
import { openUserDataSource, UserStore } from '@serendip/subgraph-user';
import { loadDemoDataConfig } from './config';
import { mergePlans, planBeauty, planChinese, planClothing, planRees46, planRetail, type ImportPlan } from './plan';
import { PROFILE_LIMITS, type Profile } from './profile';
import { BEAUTY_FILES, readBeauty } from './sources/amazon-beauty.source';
import { CHINESE_FILE, readChinese } from './sources/chinese-shopping.source';
import { readRetail, RETAIL_FILE } from './sources/online-retail.source';
import { readRees46, REES46_FILE } from './sources/rees46-events.source';
import { CLOTHING_FILE, readClothing } from './sources/womens-clothing.source';

export type ImportStage = 'read' | 'categories' | 'products' | 'shoppers' | 'events' | 'reviews' | 'popularity';

export interface ImportProgress {
  stage: ImportStage;
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Where the four subgraph databases live (any loaded Serendip config carries these). */
  config: DatabaseAccountSettings<DatabaseOwner>;
  /** Folder holding the data sets. @default SERENDIP_DATA_DIR, else `<repo>/../shared/data` */
  dataDir?: string;
  profile: Profile;
  onProgress?: (progress: ImportProgress) => void;
  /** Import nothing when the catalogue already has a product (the start command's mode). */
  ifEmpty?: boolean;
}

export interface KindCounts {
  categories: number;
  products: number;
  shoppers: number;
  events: number;
  reviews: number;
}

export interface ImportResult {
  profile: Profile;
  /** True when `ifEmpty` found products and nothing was imported. */
  skipped: boolean;
  /** Rows this run asked the stores to write, per kind. */
  planned: KindCounts;
  /** Events and reviews that were new in this run (both stores skip rows they already hold). */
  added: { events: number; reviews: number };
  /** Rows in the databases after the run (shoppers: every user, including any who signed up). */
  totals: KindCounts;
  /** Source rows left out on purpose, by reason. */
  skippedRows: Record<string, number>;
}

export const DATA_FILES: readonly string[] = [
  BEAUTY_FILES.titles,
  BEAUTY_FILES.attributes,
  BEAUTY_FILES.sequences,
  RETAIL_FILE,
  REES46_FILE,
  CLOTHING_FILE,
  CHINESE_FILE,
];

/** The data directory, or a file in it, is missing; the message says where to get it. */
export class DataDirectoryError extends Error {
  constructor(
    readonly dataDir: string,
    readonly missing: string[],
  ) {
    const what = missing.length === DATA_FILES.length ? 'no data sets' : `missing ${missing.join(', ')}`;
    super(`demo data not found in ${dataDir}: ${what}. Set SERENDIP_DATA_DIR to the folder holding the shared data sets (see docs/demo-data.md).`);
    this.name = 'DataDirectoryError';
  }
}

export async function missingDataFiles(dataDir: string): Promise<string[]> {
  const missing: string[] = [];
  for (const file of DATA_FILES) {
    await access(join(dataDir, file)).catch(() => missing.push(file));
  }
  return missing;
}

async function requireDataFiles(dataDir: string): Promise<void> {
  const missing = await missingDataFiles(dataDir);
  if (missing.length > 0) throw new DataDirectoryError(dataDir, missing);
}

/** Reads every data set and applies the linking rules and the profile's limits; writes nothing. */
export async function planDemoData(dataDir: string, profile: Profile, onProgress?: (progress: ImportProgress) => void): Promise<ImportPlan> {
  await requireDataFiles(dataDir);
  const limits = PROFILE_LIMITS[profile];
  const readers = [
    async () => planBeauty(await readBeauty(dataDir), limits),
    async () => planRetail(await readRetail(dataDir), limits),
    async () => planRees46(await readRees46(dataDir), limits),
    async () => planClothing(await readClothing(dataDir), limits),
    async () => planChinese(await readChinese(dataDir), limits),
  ];
  const plans = [];
  onProgress?.({ stage: 'read', done: 0, total: readers.length });
  for (const read of readers) {
    plans.push(await read());
    onProgress?.({ stage: 'read', done: plans.length, total: readers.length });
  }
  return mergePlans(plans);
}

const PRODUCT_CHUNK = 2000;
const SHOPPER_CHUNK = 2000;
const EVENT_CHUNK = 5000;
const REVIEW_CHUNK = 2000;

async function inChunks<T>(
  rows: readonly T[],
  size: number,
  stage: ImportStage,
  onProgress: ((progress: ImportProgress) => void) | undefined,
  write: (chunk: T[]) => Promise<void>,
): Promise<void> {
  onProgress?.({ stage, done: 0, total: rows.length });
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    await write(chunk);
    onProgress?.({ stage, done: start + chunk.length, total: rows.length });
  }
}

function lookup(map: ReadonlyMap<string, string>, key: string, what: string): string {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no ${what} for ${key}`);
  return value;
}

async function openAll(settings: DatabaseAccountSettings<DatabaseOwner>) {
  const opened = await Promise.allSettled([
    openCatalogueDataSource(settings),
    openUserDataSource(settings),
    openRecommendationDataSource(settings),
    openFeedbackDataSource(settings),
  ] as const);
  const sources = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value.dataSource] : []));
  const close = async () => {
    await Promise.all(sources.map((dataSource) => dataSource.destroy()));
  };
  const [catalogue, user, recommendation, feedback] = opened;
  if (catalogue.status === 'rejected' || user.status === 'rejected' || recommendation.status === 'rejected' || feedback.status === 'rejected') {
    await close();
    throw opened.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason;
  }
  return {
    catalogue: new CatalogueImportStore(catalogue.value.dataSource),
    users: new UserStore(user.value.dataSource),
    events: new EventStore(recommendation.value.dataSource),
    reviews: new ReviewStore(feedback.value.dataSource),
    close,
  };
}

/**
 * Imports the demo data into the four subgraph databases (each migrated on open): categories and
 * products, then shoppers, then events, then reviews, then a popularity rebuild. Every row is
 * keyed on an id derived from its source row, so running it again changes no count.
 */
export async function importDemoData(options: ImportOptions): Promise<ImportResult> {
  const { config, profile, onProgress } = options;
  const dataDir = options.dataDir ?? loadDemoDataConfig().SERENDIP_DATA_DIR;
  // Fail before creating any database, unless the data may not be needed at all.
  if (!options.ifEmpty) await requireDataFiles(dataDir);
  const stores = await openAll(config);
  try {
    const totals = async (): Promise<KindCounts> => ({
      categories: await stores.catalogue.countCategories(),
      products: await stores.catalogue.countProducts(),
      shoppers: await stores.users.countUsers(),
      events: await stores.events.countEvents(),
      reviews: await stores.reviews.countReviews(),
    });
    const none: KindCounts = { categories: 0, products: 0, shoppers: 0, events: 0, reviews: 0 };
    if (options.ifEmpty && (await stores.catalogue.countProducts()) > 0) {
      return { profile, skipped: true, planned: none, added: { events: 0, reviews: 0 }, totals: await totals(), skippedRows: {} };
    }

    const plan = await planDemoData(dataDir, profile, onProgress);

    const paths = new Map(plan.products.map((product) => [JSON.stringify(product.categoryPath), product.categoryPath]));
    const categoryIds = new Map<string, string>();
    await inChunks([...paths], 50, 'categories', onProgress, async (chunk) => {
      for (const [key, path] of chunk) categoryIds.set(key, await stores.catalogue.upsertCategoryPath(path));
    });

    const productIds = new Map<string, string>();
    const productCategories = new Map<string, string>();
    await inChunks(plan.products, PRODUCT_CHUNK, 'products', onProgress, async (chunk) => {
      const rows = chunk.map((product) => {
        const categoryId = lookup(categoryIds, JSON.stringify(product.categoryPath), 'category');
        productCategories.set(product.sku, categoryId);
        return {
          sku: product.sku,
          title: product.title,
          description: product.description,
          categoryId,
          brand: product.brand,
          price: product.price,
          currency: product.currency,
          tags: product.tags,
          imageUrl: null,
        };
      });
      for (const [sku, id] of await stores.catalogue.upsertProducts(rows)) productIds.set(sku, id);
    });

    const userIds = new Map<string, string>();
    await inChunks(plan.shoppers, SHOPPER_CHUNK, 'shoppers', onProgress, async (chunk) => {
      for (const [email, id] of await stores.users.upsertShoppers(chunk)) userIds.set(email, id);
    });

    let addedEvents = 0;
    await inChunks(plan.events, EVENT_CHUNK, 'events', onProgress, async (chunk) => {
      const rows = chunk.map((event): EventRow => ({
        userId: lookup(userIds, event.email, 'shopper'),
        type: event.type,
        productId: lookup(productIds, event.sku, 'product'),
        categoryId: lookup(productCategories, event.sku, 'product category'),
        query: null,
        sessionId: event.sessionId,
        clientEventId: event.clientEventId,
        occurredAt: event.occurredAt,
      }));
      addedEvents += (await stores.events.insertEvents(rows)).inserted;
    });

    let addedReviews = 0;
    await inChunks(plan.reviews, REVIEW_CHUNK, 'reviews', onProgress, async (chunk) => {
      const rows = chunk.map((review): ImportedReview => ({
        userId: lookup(userIds, review.email, 'shopper'),
        productId: lookup(productIds, review.sku, 'product'),
        rating: review.rating,
        text: review.text,
        language: review.language,
        createdAt: review.createdAt,
        clientReviewId: review.clientReviewId,
      }));
      addedReviews += await stores.reviews.insertReviews(rows);
    });

    onProgress?.({ stage: 'popularity', done: 0, total: 2 });
    await stores.events.rebuildPopularity();
    onProgress?.({ stage: 'popularity', done: 1, total: 2 });
    // Item-to-item co-occurrence, which live tracking keeps up to date, from the imported histories.
    await stores.events.rebuildItemGraphs();
    onProgress?.({ stage: 'popularity', done: 2, total: 2 });

    return {
      profile,
      skipped: false,
      planned: {
        categories: paths.size,
        products: plan.products.length,
        shoppers: plan.shoppers.length,
        events: plan.events.length,
        reviews: plan.reviews.length,
      },
      added: { events: addedEvents, reviews: addedReviews },
      totals: await totals(),
      skippedRows: plan.skipped,
    };
  } finally {
    await stores.close();
  }
}
