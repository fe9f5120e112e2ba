/**
 * pnpm eval:behaviour — what the demo's real behaviour logs say, read as the importer reads them
 * (tools/demo-data readers and event mapping): the REES46 clickstream sample (view/cart/purchase
 * with sessions) and two months of UCI Online Retail invoices (purchases only). In order:
 *  1. the data read;
 *  2. funnels view → cart → purchase, overall and for the top 10 categories (REES46), and basket
 *     figures (Online Retail, which has no views or carts);
 *  3. hour of day and 4. day of week (UTC), both data sets;
 *  5. sessions (REES46's user_session);
 *  6. repeat purchase, both data sets;
 *  7. shopper segments found by findSegments (packages/recsys) and their descriptions;
 *  8. campaign audiences (buildAudience) on Online Retail: fitted on December 2010, measured on
 *     January 2011's buyers against a popularity and a random audience of the same size; the
 *     weights chosen on a split of December alone (fit 1-14, respond 15-31).
 * Prints tables, writes bench-results/eval-behaviour.svg and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR        data folder (default <repo>/../shared/data)
 *   EVAL_BEHAVIOUR_SAMPLE    shoppers sampled to choose k by silhouette (default 1000)
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { isRetailProductCode, isRetailPurchase, RETAIL_CATEGORY_PATH, rees46EventType } from '../tools/demo-data/src/link';
import { readRetail, type RetailLine } from '../tools/demo-data/src/sources/online-retail.source';
import { readRees46, type Rees46Event } from '../tools/demo-data/src/sources/rees46-events.source';
import {
  behaviourFeatureNames,
  buildAudience,
  cooccurrencePairs,
  cosine,
  DEFAULT_AUDIENCE_WEIGHTS,
  DEFAULT_SEGMENT_OPTIONS,
  findSegments,
  normalise,
  overIndexedProducts,
  priceLevels,
  type AudienceCandidate,
  type AudienceWeights,
  type OverIndexedProduct,
  SEGMENT_EVENT_TYPES,
  type SegmentEventType,
  type SegmentsResult,
  type ShopperActivity,
} from '../packages/recsys/src';
import { COOCCURRENCE_MAX_GAP_MS, COOCCURRENCE_WINDOW } from '../subgraphs/recommendation/src/cooccurrence/cooccurrence-settings';
import { dataDirEnv, escapeXml, percent, printColumns, round } from './eval/report';
import { pairedBootstrap, quantile } from './eval/bootstrap';

const behaviourSchema = z.object({
  ...dataDirEnv,
  EVAL_BEHAVIOUR_SAMPLE: z.coerce.number().int().min(3).default(1000),
});
type BehaviourConfig = z.infer<typeof behaviourSchema>;

/** Fixed, so that segments repeat from run to run. */
const SEED = 20_251_204;
const CHART = path.resolve(__dirname, '../bench-results/eval-behaviour.svg');
const DAY_MS = 86_400_000;
const TOP_CATEGORIES = 10;
/** Terms (columns) of the category-based interest direction. */
const INTEREST_TERMS = 64;
/** The worker's default INTEREST_EVENT_WEIGHTS (workers/inference/src/config.ts). */
const INTEREST_WEIGHTS: Record<SegmentEventType, number> = { PURCHASE: 5, CART: 3, CLICK: 2, VIEW: 1, SEARCH: 1.5 };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** Function words of three letters or more in the product names, which say nothing about what was bought. */
const NAME_STOP_WORDS = new Set(['AND', 'THE', 'WITH', 'FOR']);

type DataSetId = 'rees46' | 'retail';

/** One behaviour event as the platform stores it, with what this evaluation groups it by. */
interface BehaviourEvent {
  userId: string;
  type: SegmentEventType;
  productId: string;
  /** REES46: the category code, or `category <id>` without one; Online Retail: its one category. */
  category: string;
  /** REES46: user_session; Online Retail: the invoice. */
  session: string;
  at: Date;
  /** What the interest direction is built from: category path levels (REES46) or product-name words (Online Retail). */
  interestTerms: readonly string[];
  /** For segment descriptions: the brand (REES46) or product-name words (Online Retail). */
  keywords: readonly string[];
  /** Unit price as the row gives it (REES46 USD, Online Retail GBP). */
  price: number;
  /** Units: Online Retail's quantity, 1 for REES46 rows. */
  quantity: number;
}

interface DataSet {
  id: DataSetId;
  title: string;
  rows: number;
  events: BehaviourEvent[];
  /** Rows left out, by reason. */
  skipped: Record<string, number>;
  readSeconds: number;
}

const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function increment<K>(counts: Map<K, number>, key: K, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const thousands = (value: number): string => value.toLocaleString('en-GB');
/** Monday 0 … Sunday 6. */
const weekday = (at: Date): number => (at.getUTCDay() + 6) % 7;
const utcDay = (at: Date): number => Math.floor(at.getTime() / DAY_MS);

// ---- 1. reading ---------------------------------------------------------------------------------

/** `electronics.audio.headphone` → electronics, electronics.audio, electronics.audio.headphone. */
function categoryLevels(categoryCode: string): string[] {
  const levels = categoryCode.split('.').filter(Boolean);
  return levels.map((_, depth) => levels.slice(0, depth + 1).join('.'));
}

function rees46Events(rows: readonly Rees46Event[], skipped: Record<string, number>): BehaviourEvent[] {
  return rows.flatMap((row): BehaviourEvent[] => {
    const type = rees46EventType(row.eventType);
    if (!type) {
      skipped[`${row.eventType} events`] = (skipped[`${row.eventType} events`] ?? 0) + 1;
      return [];
    }
    const category = row.categoryCode || `category ${row.categoryId}`;
    return [
      {
        userId: row.userId,
        type,
        productId: row.productId,
        category,
        // The importer's fallback for a row without a session.
        session: row.userSession || `rees46-${row.userId}`,
        at: row.eventTime,
        interestTerms: row.categoryCode ? categoryLevels(row.categoryCode) : [category],
        keywords: row.brand ? [row.brand] : [],
        price: row.price,
        quantity: 1,
      },
    ];
  });
}

const nameWords = (description: string): string[] => [
  ...new Set(
    description
      .toUpperCase()
      .split(/[^A-Z'-]+/)
      .filter((word) => word.length >= 3 && !NAME_STOP_WORDS.has(word)),
  ),
];

function retailEvents(lines: readonly RetailLine[], skipped: Record<string, number>): BehaviourEvent[] {
  const category = RETAIL_CATEGORY_PATH.join(' › ');
  return lines.flatMap((line): BehaviourEvent[] => {
    const reason = !isRetailProductCode(line.stockCode)
      ? 'non-product lines (postage, manual, discount, …)'
      : !isRetailPurchase(line.invoiceNo, line.quantity)
        ? 'cancellation lines'
        : null;
    if (reason) {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      return [];
    }
    const words = nameWords(line.description);
    return [
      {
        userId: line.customerId,
        type: 'PURCHASE',
        productId: line.stockCode,
        category,
        session: line.invoiceNo,
        at: line.invoiceDate,
        interestTerms: words,
        keywords: words.map((word) => word.toLowerCase()),
        price: line.unitPrice,
        quantity: line.quantity,
      },
    ];
  });
}

async function readDataSets(config: BehaviourConfig): Promise<{ rees46: DataSet; retail: DataSet; retailLines: RetailLine[] }> {
  let started = process.hrtime.bigint();
  console.error(`eval:behaviour: reading REES46 events from ${config.SERENDIP_DATA_DIR}`);
  const rees46Rows = await readRees46(config.SERENDIP_DATA_DIR);
  const rees46Skipped: Record<string, number> = {};
  const rees46: DataSet = {
    id: 'rees46',
    title: 'REES46',
    rows: rees46Rows.length,
    events: rees46Events(rees46Rows, rees46Skipped),
    skipped: rees46Skipped,
    readSeconds: elapsed(started),
  };
  console.error(`eval:behaviour: ${thousands(rees46.rows)} REES46 rows in ${fixed(rees46.readSeconds)} s; reading Online Retail`);
  started = process.hrtime.bigint();
  const retailLines = await readRetail(config.SERENDIP_DATA_DIR);
  const retailSkipped: Record<string, number> = {};
  const retail: DataSet = {
    id: 'retail',
    title: 'Online Retail',
    rows: retailLines.length,
    events: retailEvents(retailLines, retailSkipped),
    skipped: retailSkipped,
    readSeconds: elapsed(started),
  };
  console.error(`eval:behaviour: ${thousands(retail.rows)} Online Retail lines in ${fixed(retail.readSeconds)} s`);
  return { rees46, retail, retailLines };
}

function printData(sets: readonly DataSet[]): void {
  console.log('\n== 1. Data\n');
  printColumns(
    ['data set', 'rows', 'events kept', 'shoppers', 'products', 'sessions', 'first event (UTC)', 'last event (UTC)'],
    sets.map((set) => {
      const first = set.events.reduce((min, event) => Math.min(min, event.at.getTime()), Infinity);
      const last = set.events.reduce((max, event) => Math.max(max, event.at.getTime()), -Infinity);
      return [
        set.title,
        thousands(set.rows),
        thousands(set.events.length),
        thousands(new Set(set.events.map((event) => event.userId)).size),
        thousands(new Set(set.events.map((event) => event.productId)).size),
        thousands(new Set(set.events.map((event) => event.session)).size),
        new Date(first).toISOString().slice(0, 16).replace('T', ' '),
        new Date(last).toISOString().slice(0, 16).replace('T', ' '),
      ];
    }),
  );
  for (const set of sets) {
    for (const [reason, count] of Object.entries(set.skipped)) console.log(`  ${set.title}: left out ${thousands(count)} ${reason}`);
  }
  console.log('  REES46 is 2.6 hours of one night (2019-10-01 00:00-02:37 UTC): funnels and sessions yes, daily patterns and repeat purchase no.');
  console.log('  Online Retail sessions are invoices; it holds purchases only (no views, carts or searches).');
}

// ---- 2. funnels ---------------------------------------------------------------------------------

interface Funnel {
  name: string;
  events: Record<'VIEW' | 'CART' | 'PURCHASE', number>;
  shoppers: Record<'VIEW' | 'CART' | 'PURCHASE', number>;
  /** Purchasers with no view (of the same scope) in the window: their views fell before it. */
  purchasersWithoutView: number;
}

function funnelOf(name: string, events: readonly BehaviourEvent[]): Funnel {
  const counts = { VIEW: 0, CART: 0, PURCHASE: 0 };
  const shoppers = { VIEW: new Set<string>(), CART: new Set<string>(), PURCHASE: new Set<string>() };
  for (const event of events) {
    if (event.type !== 'VIEW' && event.type !== 'CART' && event.type !== 'PURCHASE') continue;
    counts[event.type]++;
    shoppers[event.type].add(event.userId);
  }
  return {
    name,
    events: counts,
    shoppers: { VIEW: shoppers.VIEW.size, CART: shoppers.CART.size, PURCHASE: shoppers.PURCHASE.size },
    purchasersWithoutView: [...shoppers.PURCHASE].filter((userId) => !shoppers.VIEW.has(userId)).length,
  };
}

const funnelRates = (funnel: Funnel) => ({
  cartPerView: ratio(funnel.events.CART, funnel.events.VIEW),
  purchasePerView: ratio(funnel.events.PURCHASE, funnel.events.VIEW),
  purchasePerCart: ratio(funnel.events.PURCHASE, funnel.events.CART),
  viewersWhoCarted: ratio(funnel.shoppers.CART, funnel.shoppers.VIEW),
  viewersWhoPurchased: ratio(funnel.shoppers.PURCHASE, funnel.shoppers.VIEW),
});

function rees46Funnels(set: DataSet): Funnel[] {
  const byCategory = [...groupBy(set.events, (event) => event.category)]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_CATEGORIES);
  return [funnelOf('all categories', set.events), ...byCategory.map(([category, events]) => funnelOf(category, events))];
}

function printFunnels(funnels: readonly Funnel[]): void {
  console.log(`\n== 2. Funnel view → cart → purchase, REES46 (overall and the ${TOP_CATEGORIES} categories with most events)\n`);
  printColumns(
    [
      'category',
      'views',
      'carts',
      'purchases',
      'cart/view %',
      'purchase/view %',
      'viewers',
      'carters',
      'purchasers',
      'carters/viewers %',
      'purchasers/viewers %',
      'purchasers w/o view',
    ],
    funnels.map((funnel) => {
      const rates = funnelRates(funnel);
      return [
        funnel.name,
        thousands(funnel.events.VIEW),
        thousands(funnel.events.CART),
        thousands(funnel.events.PURCHASE),
        percent(rates.cartPerView),
        percent(rates.purchasePerView),
        thousands(funnel.shoppers.VIEW),
        thousands(funnel.shoppers.CART),
        thousands(funnel.shoppers.PURCHASE),
        percent(rates.viewersWhoCarted),
        percent(rates.viewersWhoPurchased),
        thousands(funnel.purchasersWithoutView),
      ];
    }),
  );
  console.log('  Event rates divide event counts; shopper rates divide distinct shoppers with at least one such event. They are not nested:');
  console.log('  a purchase often has no cart event, and a purchaser without a view in the window would have viewed before 00:00.');
  console.log('  Categories: category_code, or `category <id>` where the row has none.');
}

interface Baskets {
  invoices: number;
  customers: number;
  linesPerInvoice: { mean: number; median: number };
  unitsPerInvoice: { mean: number; median: number };
  valuePerInvoice: { mean: number; median: number };
  invoicesPerCustomer: { mean: number; median: number };
  productsPerCustomer: { median: number };
}

/** Invoice figures from the purchase lines (`events`) with their quantities and prices from `lines`. */
function basketsOf(events: readonly BehaviourEvent[], lines: readonly RetailLine[]): Baskets {
  const purchaseLines = lines.filter((line) => isRetailProductCode(line.stockCode) && isRetailPurchase(line.invoiceNo, line.quantity));
  const invoices = [...groupBy(purchaseLines, (line) => line.invoiceNo).values()];
  const customers = [...groupBy(events, (event) => event.userId).values()];
  const summary = (values: number[]) => ({ mean: mean(values), median: quantile(values, 0.5) });
  return {
    invoices: invoices.length,
    customers: customers.length,
    linesPerInvoice: summary(invoices.map((invoice) => invoice.length)),
    unitsPerInvoice: summary(invoices.map((invoice) => invoice.reduce((sum, line) => sum + line.quantity, 0))),
    valuePerInvoice: summary(invoices.map((invoice) => invoice.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0))),
    invoicesPerCustomer: summary(customers.map((purchases) => new Set(purchases.map((event) => event.session)).size)),
    productsPerCustomer: {
      median: quantile(
        customers.map((purchases) => new Set(purchases.map((event) => event.productId)).size),
        0.5,
      ),
    },
  };
}

function printBaskets(baskets: Baskets): void {
  console.log('\n   Online Retail has purchases only, so no funnel; its baskets (product lines of non-cancelled invoices) instead:\n');
  printColumns(
    ['figure', 'mean', 'median'],
    [
      ['product lines per invoice', fixed(baskets.linesPerInvoice.mean, 1), fixed(baskets.linesPerInvoice.median, 0)],
      ['units per invoice', fixed(baskets.unitsPerInvoice.mean, 1), fixed(baskets.unitsPerInvoice.median, 0)],
      ['value per invoice, GBP', fixed(baskets.valuePerInvoice.mean), fixed(baskets.valuePerInvoice.median)],
      ['invoices per customer', fixed(baskets.invoicesPerCustomer.mean), fixed(baskets.invoicesPerCustomer.median, 0)],
      ['distinct products per customer', '', fixed(baskets.productsPerCustomer.median, 0)],
    ],
  );
  console.log(
    `  ${thousands(baskets.invoices)} invoices of ${thousands(baskets.customers)} customers; many customers are wholesalers, hence the large baskets.`,
  );
}

// ---- 3-4. time ----------------------------------------------------------------------------------

/** Events per bucket: hour 0-23 or weekday Mon-Sun. */
const histogram = (events: readonly BehaviourEvent[], buckets: number, bucket: (at: Date) => number): number[] => {
  const counts = new Array<number>(buckets).fill(0);
  for (const event of events) counts[bucket(event.at)]!++;
  return counts;
};

function printTime(title: string, names: readonly string[], rees46: readonly number[], retail: readonly number[], retailInvoices: readonly number[]): void {
  console.log(`\n${title}\n`);
  const rees46Total = rees46.reduce((a, b) => a + b, 0);
  const retailTotal = retail.reduce((a, b) => a + b, 0);
  printColumns(
    ['', 'REES46 events', '%', 'Retail purchase lines', '%', 'Retail invoices'],
    names.map((name, i) => [
      name,
      thousands(rees46[i]!),
      percent(ratio(rees46[i]!, rees46Total)),
      thousands(retail[i]!),
      percent(ratio(retail[i]!, retailTotal)),
      thousands(retailInvoices[i]!),
    ]),
  );
}

/** Invoices per bucket, each counted at its first line's time. */
function invoiceHistogram(events: readonly BehaviourEvent[], buckets: number, bucket: (at: Date) => number): number[] {
  const first = new Map<string, Date>();
  for (const event of events) if (!first.has(event.session)) first.set(event.session, event.at);
  const counts = new Array<number>(buckets).fill(0);
  for (const at of first.values()) counts[bucket(at)]!++;
  return counts;
}

const peakOf = (counts: readonly number[]): number => counts.indexOf(Math.max(...counts));

// ---- 5. sessions --------------------------------------------------------------------------------

interface SessionStats {
  sessions: number;
  sessionsPerShopper: { mean: number; median: number; max: number };
  eventsPerSession: { mean: number; median: number; p90: number; max: number };
  /** Last event − first event, minutes; a one-event session lasts 0. */
  minutes: { median: number; p90: number; max: number };
  singleEvent: number;
  withCart: number;
  withPurchase: number;
}

function sessionStats(events: readonly BehaviourEvent[]): SessionStats {
  const sessions = [...groupBy(events, (event) => event.session).values()];
  const perShopper = [...groupBy(sessions, (session) => session[0]!.userId).values()].map((group) => group.length);
  const sizes = sessions.map((session) => session.length);
  const minutes = sessions.map((session) => {
    const times = session.map((event) => event.at.getTime());
    return (Math.max(...times) - Math.min(...times)) / 60_000;
  });
  const share = (test: (session: BehaviourEvent[]) => boolean) => ratio(sessions.filter(test).length, sessions.length);
  return {
    sessions: sessions.length,
    sessionsPerShopper: { mean: mean(perShopper), median: quantile(perShopper, 0.5), max: Math.max(...perShopper) },
    eventsPerSession: { mean: mean(sizes), median: quantile(sizes, 0.5), p90: quantile(sizes, 0.9), max: Math.max(...sizes) },
    minutes: { median: quantile(minutes, 0.5), p90: quantile(minutes, 0.9), max: Math.max(...minutes) },
    singleEvent: share((session) => session.length === 1),
    withCart: share((session) => session.some((event) => event.type === 'CART')),
    withPurchase: share((session) => session.some((event) => event.type === 'PURCHASE')),
  };
}

function printSessions(stats: SessionStats): void {
  console.log('\n== 5. Sessions, REES46 (user_session)\n');
  printColumns(
    ['figure', 'value'],
    [
      ['sessions', thousands(stats.sessions)],
      [
        'sessions per shopper: mean / median / max',
        `${fixed(stats.sessionsPerShopper.mean)} / ${stats.sessionsPerShopper.median} / ${stats.sessionsPerShopper.max}`,
      ],
      [
        'events per session: mean / median / p90 / max',
        `${fixed(stats.eventsPerSession.mean)} / ${stats.eventsPerSession.median} / ${stats.eventsPerSession.p90} / ${stats.eventsPerSession.max}`,
      ],
      ['minutes first→last event: median / p90 / max', `${fixed(stats.minutes.median, 1)} / ${fixed(stats.minutes.p90, 1)} / ${fixed(stats.minutes.max, 1)}`],
      ['single-event sessions %', percent(stats.singleEvent)],
      ['sessions with a cart event %', percent(stats.withCart)],
      ['sessions with a purchase %', percent(stats.withPurchase)],
    ],
  );
  console.log('  Sessions that began before 00:00 or ended after 02:37 are cut at the window, so durations are lower bounds.');
}

// ---- 6. repeat purchase -------------------------------------------------------------------------

interface RepeatStats {
  purchasers: number;
  /** Share of purchasers with purchases on ≥ 2 distinct UTC days. */
  onTwoDays: number;
  /** Share of purchasers with purchases in ≥ 2 sessions (invoices). */
  inTwoSessions: number;
  /** Days between consecutive purchase days of the same shopper, pooled over shoppers; null without any. */
  medianDaysBetween: number | null;
  gaps: number;
}

function repeatStats(events: readonly BehaviourEvent[]): RepeatStats {
  const purchases = groupBy(
    events.filter((event) => event.type === 'PURCHASE'),
    (event) => event.userId,
  );
  const gaps: number[] = [];
  let onTwoDays = 0;
  let inTwoSessions = 0;
  for (const shopper of purchases.values()) {
    const days = [...new Set(shopper.map((event) => utcDay(event.at)))].sort((a, b) => a - b);
    if (days.length >= 2) onTwoDays++;
    if (new Set(shopper.map((event) => event.session)).size >= 2) inTwoSessions++;
    for (let i = 1; i < days.length; i++) gaps.push(days[i]! - days[i - 1]!);
  }
  return {
    purchasers: purchases.size,
    onTwoDays: ratio(onTwoDays, purchases.size),
    inTwoSessions: ratio(inTwoSessions, purchases.size),
    medianDaysBetween: gaps.length > 0 ? quantile(gaps, 0.5) : null,
    gaps: gaps.length,
  };
}

/** Customers buying in December 2010 and again in January 2011. */
function decemberToJanuary(events: readonly BehaviourEvent[]): { december: number; both: number } {
  const months = new Map<string, Set<number>>();
  for (const event of events) {
    const set = months.get(event.userId) ?? new Set<number>();
    set.add(event.at.getUTCMonth());
    months.set(event.userId, set);
  }
  const december = [...months.values()].filter((set) => set.has(11));
  return { december: december.length, both: december.filter((set) => set.has(0)).length };
}

function printRepeat(rees46: RepeatStats, retail: RepeatStats, months: { december: number; both: number }): void {
  console.log('\n== 6. Repeat purchase\n');
  printColumns(
    ['data set', 'purchasers', 'bought on >= 2 days %', 'bought in >= 2 sessions %', 'median days between purchase days', 'gaps'],
    (
      [
        ['REES46', rees46],
        ['Online Retail', retail],
      ] as const
    ).map(([name, stats]) => [
      name,
      thousands(stats.purchasers),
      percent(stats.onTwoDays),
      percent(stats.inTwoSessions),
      stats.medianDaysBetween === null ? '—' : String(stats.medianDaysBetween),
      thousands(stats.gaps),
    ]),
  );
  console.log('  REES46 spans one night, so no purchaser can buy on two days; its column shows the window, not the store.');
  console.log(
    `  Online Retail: ${thousands(months.both)} of the ${thousands(months.december)} December customers (${percent(ratio(months.both, months.december))}%) bought again in January; sessions there are invoices.`,
  );
  console.log('  Days between: consecutive distinct UTC purchase days of a shopper, pooled over all shoppers.');
}

// ---- 7. segments --------------------------------------------------------------------------------

/**
 * The data set's `INTEREST_TERMS` most frequent interest terms: the columns of the interest
 * direction, which stands in for the platform's weighted mean of product-embedding centroids.
 */
function interestVocabulary(events: readonly BehaviourEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) for (const term of event.interestTerms) increment(counts, term);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, INTEREST_TERMS);
  return new Map(top.map(([term], column) => [term, column]));
}

/**
 * One ShopperActivity per shopper, as the platform would build it from their events: spend is
 * price × quantity over purchases (the platform's signed-order value), the price level from each
 * product's latest price in the data (the catalogue's price).
 */
function activities(events: readonly BehaviourEvent[]): ShopperActivity[] {
  const vocabulary = interestVocabulary(events);
  const prices = new Map(events.map((event) => [event.productId, event.price]));
  const levels = priceLevels(
    events.map((event) => ({ userId: event.userId, productId: event.productId, categoryId: event.category })),
    prices,
  );
  return [...groupBy(events, (event) => event.userId)].map(([userId, own]): ShopperActivity => {
    const counts = Object.fromEntries(SEGMENT_EVENT_TYPES.map((type) => [type, 0])) as Record<SegmentEventType, number>;
    const categories: Record<string, number> = {};
    const hours = new Array<number>(24).fill(0);
    const keywords = new Map<string, number>();
    const direction = new Float32Array(vocabulary.size);
    for (const event of own) {
      counts[event.type]++;
      categories[event.category] = (categories[event.category] ?? 0) + 1;
      hours[event.at.getUTCHours()]!++;
      for (const keyword of event.keywords) increment(keywords, keyword);
      for (const term of event.interestTerms) {
        const column = vocabulary.get(term);
        if (column !== undefined) direction[column] = direction[column]! + INTEREST_WEIGHTS[event.type];
      }
    }
    const keywordTotal = [...keywords.values()].reduce((a, b) => a + b, 0);
    return {
      userId,
      interest: direction.some((x) => x > 0) ? normalise(direction) : null,
      counts,
      categories,
      hours,
      sessions: new Set(own.map((event) => event.session)).size,
      spend: own.reduce((sum, event) => sum + (event.type === 'PURCHASE' ? event.price * event.quantity : 0), 0),
      priceLevel: levels.get(userId) ?? null,
      keywords: [...keywords]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 5)
        .map(([term, count]) => ({ term, weight: count / keywordTotal })),
    };
  });
}

interface SegmentRun {
  set: DataSet;
  shoppers: number;
  withInterest: number;
  result: SegmentsResult;
  /** Per segment, its over-indexed products, as the platform stores them with a fit. */
  products: Map<number, OverIndexedProduct[]>;
  seconds: number;
}

function segmentsOf(set: DataSet, config: BehaviourConfig): SegmentRun {
  const started = process.hrtime.bigint();
  const shoppers = activities(set.events);
  console.error(`eval:behaviour: segmenting ${thousands(shoppers.length)} ${set.title} shoppers`);
  const result = findSegments(shoppers, { seed: SEED, sampleSize: config.EVAL_BEHAVIOUR_SAMPLE });
  const reached = new Map<string, Set<string>>();
  for (const event of set.events) {
    const key = `${result.assignments.get(event.userId)} ${event.productId}`;
    const members = reached.get(key) ?? new Set<string>();
    members.add(event.userId);
    reached.set(key, members);
  }
  const products = overIndexedProducts(
    [...reached].map(([key, members]) => {
      const [segment, productId] = key.split(' ') as [string, string];
      return { segment: Number(segment), productId, shoppers: members.size };
    }),
    new Map(result.segments.map((segment) => [segment.segment, segment.size])),
  );
  return {
    set,
    shoppers: shoppers.length,
    withInterest: shoppers.filter((shopper) => shopper.interest).length,
    result,
    products,
    seconds: elapsed(started),
  };
}

function printSegments(runs: readonly SegmentRun[], config: BehaviourConfig): void {
  console.log(
    `\n== 7. Shopper segments (findSegments: k by the best mean silhouette over 2-8 among the k whose bootstrap agreement (adjusted Rand index over ${DEFAULT_SEGMENT_OPTIONS.stabilityResamples} refits) reaches ${DEFAULT_SEGMENT_OPTIONS.minAgreement}, on a seeded sample of at most ${config.EVAL_BEHAVIOUR_SAMPLE}; spherical k-means)\n`,
  );
  console.log("  Interest direction: the shopper's events, weighted PURCHASE 5 / CART 3 / VIEW 1 as the worker weighs them, summed over");
  console.log(`  the data set's ${INTEREST_TERMS} most frequent terms and normalised: REES46 category-path levels (electronics, electronics.audio, …),`);
  console.log('  Online Retail product-name words (it has no categories). It stands in for the mean of product-embedding centroids,');
  console.log('  which needs the embedding model; shoppers with no such term have none (interest null).');
  for (const run of runs) {
    const { model, segments } = run.result;
    const names = behaviourFeatureNames(model.featureScale.categories);
    const constant = names.filter((_, j) => model.featureScale.spread[j] === 0);
    const chosen = model.silhouettes.find((score) => score.k === model.k);
    console.log(
      `\n${run.set.title}: ${thousands(run.shoppers)} shoppers, ${thousands(run.withInterest)} with an interest direction; k = ${model.k}, silhouette ${chosen ? fixed(chosen.silhouette, 3) : '—'}, stability (ARI) ${chosen?.agreement === undefined ? '—' : fixed(chosen.agreement, 3)}`,
    );
    console.log(
      `  silhouette / stability by k: ${model.silhouettes.map((score) => `${score.k}: ${fixed(score.silhouette, 3)} / ${score.agreement === undefined ? '—' : fixed(score.agreement, 3)}`).join(', ')}`,
    );
    if (!model.silhouettes.some((score) => (score.agreement ?? 0) >= DEFAULT_SEGMENT_OPTIONS.minAgreement))
      console.log(`  no k reached a stability of ${DEFAULT_SEGMENT_OPTIONS.minAgreement}: k is the most stable one.`);
    else if (model.k === Math.max(...model.silhouettes.map((score) => score.k)))
      console.log('  k is the largest candidate: the silhouette was still rising, so finer segments may score higher still.');
    console.log(`  constant, so left out: ${constant.length > 0 ? constant.join(', ') : 'none'}`);
    printColumns(
      ['  segment', 'size', 'share %', 'buyers %', 'events/shopper', 'purchases/shopper', 'sessions', 'active hours (UTC)', 'summary (its own figures)'],
      segments.map((segment) => [
        `  ${segment.segment}`,
        thousands(segment.size),
        percent(segment.share),
        percent(segment.conversion),
        fixed(segment.eventsPerShopper),
        fixed(segment.purchasesPerShopper),
        fixed(segment.sessionsPerShopper),
        segment.activeHours.join(','),
        segment.summary,
      ]),
    );
    const about = new Map(
      run.set.events.map((event) => [event.productId, `${event.category}${event.keywords.length > 0 ? `, ${event.keywords.join(' ')}` : ''}`]),
    );
    for (const segment of segments) {
      const categories = segment.topCategories.map((category) => `${category.categoryId} ${percent(category.share)}%`).join(', ');
      console.log(`  ${segment.segment}: top categories ${categories}; keywords ${segment.topKeywords.join(', ') || '—'}`);
      const products = run.products.get(segment.segment) ?? [];
      console.log(
        `     over-indexed products: ${
          products
            .slice(0, 3)
            .map(
              (product) =>
                `${product.productId} (${about.get(product.productId)}) index ${Math.round(product.index)}, ${percent(product.share)}% vs ${percent(product.othersShare)}%`,
            )
            .join('; ') || 'none reached by 3 members and 1% of the segment'
        }`,
      );
    }
    const labels = segments.map((segment) => segment.label);
    console.log(
      `\n  labels, from each segment's largest differences against every other shopper (${new Set(labels).size} distinct of ${labels.length}; effect = standardised mean difference):`,
    );
    for (const segment of segments) {
      console.log(`  ${segment.segment}: ${segment.label}`);
      console.log(
        `     largest: ${segment.differences
          .slice(0, 4)
          .map((difference) => `${difference.feature} ${difference.effect >= 0 ? '+' : ''}${fixed(difference.effect, 2)}`)
          .join(', ')}`,
      );
    }
  }
  console.log("\n  buyers %: the segment's purchasers' share (members with at least one purchase); sessions: mean per member.");
}

// ---- 8. campaign audiences ----------------------------------------------------------------------

/** Shoppers per audience: about a tenth of December's Online Retail customers. */
const AUDIENCE_SIZE = 100;
/** Products measured: the most bought in the response period by shoppers of the fit period… */
const AUDIENCE_TARGETS = 30;
/** …each with at least this many such buyers, so a recall is not one shopper's coin toss. */
const MIN_TARGET_BUYERS = 5;
const BOOTSTRAP_RESAMPLES = 2000;
/** Weights tried on the December split: every combination. */
const WEIGHT_GRID: Record<keyof AudienceWeights, number[]> = {
  owned: [0, 1, 2],
  related: [0, 1, 2],
  interest: [0, 0.5, 1],
  segment: [0, 0.5],
  activity: [0, 0.5, 1],
};

/** What an audience may use of one fit period, and who bought what in the period after. */
interface AudienceSplit {
  candidates: AudienceCandidate[];
  /** Co-occurrence as the platform counts it: product → partner → weight. */
  partners: Map<string, Map<string, number>>;
  /** The interest direction's columns and each product's direction over them. */
  productVectors: Map<string, Float32Array>;
  interests: Map<string, Float32Array | null>;
  /** Segment → members, for the target's reach. */
  members: Map<number, Set<string>>;
  /** Targets: product → buyers in the response period who were fit-period shoppers. */
  targets: Map<string, Set<string>>;
  /** The fit period's shoppers, most events first (ties by id): the popularity audience's order. */
  byActivity: string[];
}

function audienceSplit(fit: readonly BehaviourEvent[], respond: readonly BehaviourEvent[]): AudienceSplit {
  const shoppers = activities(fit);
  const { assignments } = findSegments(shoppers, { seed: SEED });
  const vocabulary = interestVocabulary(fit);
  const productVectors = new Map<string, Float32Array>();
  for (const event of fit) {
    if (productVectors.has(event.productId)) continue;
    const vector = new Float32Array(vocabulary.size);
    for (const term of event.interestTerms) {
      const column = vocabulary.get(term);
      if (column !== undefined) vector[column] = 1;
    }
    productVectors.set(event.productId, normalise(vector));
  }
  const partners = new Map<string, Map<string, number>>();
  for (const own of groupBy(fit, (event) => event.userId).values()) {
    const history = own.map((event) => ({ productId: event.productId, weight: 1, occurredAt: event.at }));
    for (const pair of cooccurrencePairs([], history, { windowSize: COOCCURRENCE_WINDOW, maxGapMs: COOCCURRENCE_MAX_GAP_MS })) {
      const row = partners.get(pair.a) ?? new Map<string, number>();
      row.set(pair.b, (row.get(pair.b) ?? 0) + pair.weight);
      partners.set(pair.a, row);
    }
  }
  const members = new Map<number, Set<string>>();
  for (const [userId, segment] of assignments) members.set(segment, (members.get(segment) ?? new Set()).add(userId));
  const products = groupBy(fit, (event) => event.userId);
  const candidates = shoppers.map((shopper): AudienceCandidate => ({
    userId: shopper.userId,
    segment: assignments.get(shopper.userId) ?? null,
    products: new Set(products.get(shopper.userId)!.map((event) => event.productId)),
    affinity: null,
    events: products.get(shopper.userId)!.length,
  }));
  const known = new Set(shoppers.map((shopper) => shopper.userId));
  const buyers = new Map<string, Set<string>>();
  for (const event of respond) if (known.has(event.userId)) buyers.set(event.productId, (buyers.get(event.productId) ?? new Set()).add(event.userId));
  const targets = new Map(
    [...buyers]
      .filter(([, who]) => who.size >= MIN_TARGET_BUYERS)
      .sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))
      .slice(0, AUDIENCE_TARGETS),
  );
  const byActivity = [...candidates].sort((a, b) => b.events - a.events || (a.userId < b.userId ? -1 : 1)).map((candidate) => candidate.userId);
  return {
    candidates,
    partners,
    productVectors,
    interests: new Map(shoppers.map((shopper) => [shopper.userId, shopper.interest])),
    members,
    targets,
    byActivity,
  };
}

/** The audience for one product of the split, with these weights. */
function audienceFor(split: AudienceSplit, productId: string, weights: AudienceWeights) {
  const vector = split.productVectors.get(productId);
  const candidates = split.candidates.map((candidate) => {
    const interest = split.interests.get(candidate.userId);
    return { ...candidate, affinity: interest && vector ? cosine(interest, vector) : null };
  });
  const reach = new Map(
    [...split.members].map(([segment, who]) => [
      segment,
      { size: who.size, reached: split.candidates.filter((candidate) => who.has(candidate.userId) && candidate.products.has(productId)).length },
    ]),
  );
  return buildAudience(new Map([[productId, 1]]), candidates, { partners: split.partners.get(productId) ?? new Map(), reach }, AUDIENCE_SIZE, weights);
}

const recallOf = (audience: Iterable<string>, buyers: ReadonlySet<string>): number => {
  let found = 0;
  for (const userId of audience) if (buyers.has(userId)) found += 1;
  return found / buyers.size;
};

/** The grid's weights with the best mean recall over the split's targets (first in grid order on ties). */
function chooseWeights(split: AudienceSplit): { weights: AudienceWeights; recall: number; tried: number } {
  const names = Object.keys(WEIGHT_GRID) as (keyof AudienceWeights)[];
  let combinations: AudienceWeights[] = [{} as AudienceWeights];
  for (const name of names) combinations = combinations.flatMap((partial) => WEIGHT_GRID[name].map((value) => ({ ...partial, [name]: value })));
  let best = { weights: combinations[0]!, recall: -1 };
  for (const weights of combinations) {
    const recalls = [...split.targets].map(([productId, buyers]) =>
      recallOf(
        audienceFor(split, productId, weights).shoppers.map((shopper) => shopper.userId),
        buyers,
      ),
    );
    const recall = mean(recalls);
    if (recall > best.recall + 1e-12) best = { weights, recall };
  }
  return { ...best, tried: combinations.length };
}

interface AudienceRow {
  productId: string;
  name: string;
  buyers: number;
  audience: number;
  popularity: number;
  random: number;
  expectedReach: number;
  found: number;
}

interface AudienceReport {
  fitShoppers: number;
  validation: { fitShoppers: number; targets: number; weights: AudienceWeights; recall: number; tried: number; popularity: number };
  rows: AudienceRow[];
  recall: { audience: number; popularity: number; random: number };
  /** Mean over products of audience recall − popularity recall, with a paired bootstrap 95% interval. */
  difference: { mean: number; low: number; high: number };
  lift: number;
  /** Of the product's buyers the audience found, the share the owned signal alone explains (they had bought it in December). */
  repeatBuyers: number;
  seconds: number;
}

function audienceReport(retail: DataSet): AudienceReport {
  const started = process.hrtime.bigint();
  const between = (from: string, to: string) => retail.events.filter((event) => event.at >= new Date(from) && event.at < new Date(to));
  console.error('eval:behaviour: choosing audience weights on December (fit 1-14, respond 15-31)');
  const validationSplit = audienceSplit(between('2010-12-01', '2010-12-15'), between('2010-12-15', '2011-01-01'));
  const chosen = chooseWeights(validationSplit);
  const validationPopularity = mean([...validationSplit.targets].map(([, buyers]) => recallOf(validationSplit.byActivity.slice(0, AUDIENCE_SIZE), buyers)));
  console.error('eval:behaviour: audiences for January from December');
  const split = audienceSplit(between('2010-12-01', '2011-01-01'), between('2011-01-01', '2011-02-01'));
  const popular = split.byActivity.slice(0, AUDIENCE_SIZE);
  const names = new Map(retail.events.map((event) => [event.productId, event.keywords.join(' ')]));
  let repeat = 0;
  let foundAll = 0;
  const rows = [...split.targets].map(([productId, buyers]): AudienceRow => {
    const audience = audienceFor(split, productId, chosen.weights);
    const ids = audience.shoppers.map((shopper) => shopper.userId);
    const found = ids.filter((userId) => buyers.has(userId));
    foundAll += found.length;
    repeat += found.filter((userId) => split.candidates.find((candidate) => candidate.userId === userId)!.products.has(productId)).length;
    return {
      productId,
      name: names.get(productId) ?? '',
      buyers: buyers.size,
      audience: recallOf(ids, buyers),
      popularity: recallOf(popular, buyers),
      random: AUDIENCE_SIZE / split.candidates.length,
      expectedReach: audience.expectedReach,
      found: found.length,
    };
  });
  const difference = pairedBootstrap(
    [rows.map((row) => row.audience), rows.map((row) => row.popularity)],
    ([audience, popularity]) => audience! - popularity!,
    { resamples: BOOTSTRAP_RESAMPLES, seed: SEED },
  );
  const recall = {
    audience: mean(rows.map((row) => row.audience)),
    popularity: mean(rows.map((row) => row.popularity)),
    random: AUDIENCE_SIZE / split.candidates.length,
  };
  return {
    fitShoppers: split.candidates.length,
    validation: {
      fitShoppers: validationSplit.candidates.length,
      targets: validationSplit.targets.size,
      weights: chosen.weights,
      recall: chosen.recall,
      tried: chosen.tried,
      popularity: validationPopularity,
    },
    rows,
    recall,
    difference: { mean: difference.value, low: difference.low, high: difference.high },
    lift: ratio(recall.audience, recall.popularity),
    repeatBuyers: ratio(repeat, foundAll),
    seconds: elapsed(started),
  };
}

function printAudiences(report: AudienceReport): void {
  const { validation } = report;
  const w = (weights: AudienceWeights) =>
    Object.entries(weights)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ');
  console.log(`
== 8. Campaign audiences (buildAudience, Online Retail): ${AUDIENCE_SIZE} shoppers per product, fitted on December 2010, measured on January 2011
`);
  console.log(
    `  Weights chosen on December alone (fit 1-14 Dec: ${thousands(validation.fitShoppers)} shoppers, respond 15-31 Dec: ${validation.targets} products), never on January:`,
  );
  console.log(
    `  best of ${validation.tried} combinations: ${w(validation.weights)} (mean recall ${percent(validation.recall)}% against popularity's ${percent(validation.popularity)}%)`,
  );
  const same = (Object.keys(validation.weights) as (keyof AudienceWeights)[]).every((name) => validation.weights[name] === DEFAULT_AUDIENCE_WEIGHTS[name]);
  console.log(
    `  ${same ? 'the same as DEFAULT_AUDIENCE_WEIGHTS, which the subgraph uses' : `DEFAULT_AUDIENCE_WEIGHTS differ: ${w(DEFAULT_AUDIENCE_WEIGHTS)}`}`,
  );
  console.log(
    `
  ${report.rows.length} products most bought in January by December's ${thousands(report.fitShoppers)} shoppers (each by >= ${MIN_TARGET_BUYERS} of them); recall = share of those buyers in the audience:
`,
  );
  printColumns(
    ['  product', 'name', 'Jan buyers', 'audience %', 'popularity %', 'expected reach', 'found'],
    report.rows.map((row) => [
      `  ${row.productId}`,
      row.name.slice(0, 32),
      String(row.buyers),
      percent(row.audience),
      percent(row.popularity),
      fixed(row.expectedReach, 1),
      String(row.found),
    ]),
  );
  console.log(
    `
  mean recall: audience ${percent(report.recall.audience)}%, popularity (the ${AUDIENCE_SIZE} most active December shoppers) ${percent(report.recall.popularity)}%, random ${percent(report.recall.random)}% (expected)`,
  );
  console.log(
    `  audience − popularity: ${percent(report.difference.mean)} points, paired bootstrap 95% interval [${percent(report.difference.low)}, ${percent(report.difference.high)}] over the products; lift ${fixed(report.lift)}×`,
  );
  console.log(`  ${percent(report.repeatBuyers)}% of the buyers found had bought the product in December already.`);
  console.log(
    "  expected reach: the audience's summed response estimates (each member's segment's smoothed rate of buying the product in December), against found.",
  );
}

// ---- chart --------------------------------------------------------------------------------------

const FILLS: Record<DataSetId, string> = { rees46: '#2f6db5', retail: '#e08a1e' };
const PLOT_TOP = 80;
const PLOT_HEIGHT = 260;

interface Bar {
  label: string;
  value: number;
  fill: string;
}

/** Vertical bars of shares in [0, 1]; returns the panel's right edge. */
function barPanel(x0: number, title: string, bars: readonly Bar[], parts: string[]): number {
  const y = (value: number) => Number((PLOT_TOP + PLOT_HEIGHT * (1 - Math.min(1, value))).toFixed(1));
  const right = x0 + 20 + bars.length * 44;
  parts.push(`<text x="${x0}" y="${PLOT_TOP - 30}" font-weight="bold">${escapeXml(title)}</text>`);
  for (let step = 0; step <= 4; step++) {
    parts.push(`<line x1="${x0}" x2="${right}" y1="${y(step / 4)}" y2="${y(step / 4)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y(step / 4) + 4}" text-anchor="end" font-size="10">${step * 25}</text>`);
  }
  bars.forEach((bar, index) => {
    const x = x0 + 10 + index * 44;
    const base = PLOT_TOP + PLOT_HEIGHT;
    parts.push(`<rect x="${x}" y="${y(bar.value)}" width="34" height="${(base - y(bar.value)).toFixed(1)}" fill="${bar.fill}"/>`);
    parts.push(`<text x="${x + 17}" y="${y(bar.value) - 4}" text-anchor="middle" font-size="10">${percent(bar.value)}</text>`);
    parts.push(
      `<text x="${x + 17}" y="${base + 14}" text-anchor="end" font-size="11" transform="rotate(-40 ${x + 17} ${base + 14})">${escapeXml(bar.label)}</text>`,
    );
  });
  return right;
}

/**
 * One line per data set of its events in each UTC hour as a share of its busiest hour, so that
 * REES46's one-night burst and Online Retail's trading day can be read on one axis.
 */
function hourPanel(x0: number, lines: readonly { id: DataSetId; title: string; counts: readonly number[] }[], parts: string[]): number {
  const step = 22;
  const right = x0 + 23 * step + 20;
  const y = (value: number) => (PLOT_TOP + PLOT_HEIGHT * (1 - value)).toFixed(1);
  const x = (hour: number) => x0 + 10 + hour * step;
  parts.push(`<text x="${x0}" y="${PLOT_TOP - 30}" font-weight="bold">Events by hour of day (UTC), % of the data set's busiest hour</text>`);
  for (let tick = 0; tick <= 4; tick++) {
    parts.push(`<line x1="${x0}" x2="${right}" y1="${y(tick / 4)}" y2="${y(tick / 4)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 - 6}" y="${Number(y(tick / 4)) + 4}" text-anchor="end" font-size="10">${tick * 25}</text>`);
  }
  for (let hour = 0; hour < 24; hour += 3)
    parts.push(`<text x="${x(hour)}" y="${PLOT_TOP + PLOT_HEIGHT + 16}" text-anchor="middle" font-size="10">${hour}</text>`);
  let legendX = x0 + 10;
  for (const line of lines) {
    const peak = Math.max(...line.counts);
    const points = line.counts.map((count, hour) => `${x(hour)},${y(ratio(count, peak))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${FILLS[line.id]}" stroke-width="2"/>`);
    parts.push(`<rect x="${legendX}" y="${PLOT_TOP - 20}" width="10" height="10" fill="${FILLS[line.id]}"/>`);
    parts.push(`<text x="${legendX + 14}" y="${PLOT_TOP - 11}" font-size="11">${escapeXml(line.title)}</text>`);
    legendX += 24 + 6.5 * line.title.length;
  }
  return right;
}

function chartSvg(
  rees46: Funnel,
  rees46Shoppers: number,
  retail: RepeatStats,
  hours: readonly { id: DataSetId; title: string; counts: readonly number[] }[],
  audience: AudienceReport,
): string {
  const parts: string[] = [];
  const funnelRight = barPanel(
    60,
    'Funnel and repeat, % of shoppers',
    [
      { label: 'REES46 viewed', value: ratio(rees46.shoppers.VIEW, rees46Shoppers), fill: FILLS.rees46 },
      { label: 'REES46 carted', value: ratio(rees46.shoppers.CART, rees46Shoppers), fill: FILLS.rees46 },
      { label: 'REES46 purchased', value: ratio(rees46.shoppers.PURCHASE, rees46Shoppers), fill: FILLS.rees46 },
      { label: 'Retail purchased', value: 1, fill: FILLS.retail },
      { label: 'Retail >= 2 invoices', value: retail.inTwoSessions, fill: FILLS.retail },
      { label: 'Retail >= 2 days', value: retail.onTwoDays, fill: FILLS.retail },
    ],
    parts,
  );
  const hoursRight = hourPanel(funnelRight + 90, hours, parts);
  const width =
    barPanel(
      hoursRight + 90,
      `Jan buyers in a ${AUDIENCE_SIZE}-shopper audience, %`,
      [
        { label: 'audience', value: audience.recall.audience, fill: FILLS.retail },
        { label: 'popularity', value: audience.recall.popularity, fill: '#999' },
        { label: 'random', value: audience.recall.random, fill: '#ccc' },
      ],
      parts,
    ) + 30;
  const height = PLOT_TOP + PLOT_HEIGHT + 130;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="60" y="24" font-size="16" font-weight="bold">Behaviour: REES46 events (2.6 h of one night) and Online Retail invoices (Dec 2010 - Jan 2011)</text>`,
    ...parts,
    `<text x="60" y="${height - 10}" fill="#555" font-size="10">Online Retail holds purchases only, so every customer purchased; its bars show repeat purchase instead of a funnel. REES46 covers 00:00-02:37 UTC only.</text>`,
    '</svg>',
  ].join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const config = loadConfig('eval:behaviour', behaviourSchema, process.env);
  const { rees46, retail, retailLines } = await readDataSets(config);
  printData([rees46, retail]);

  const analysisStarted = process.hrtime.bigint();
  const funnels = rees46Funnels(rees46);
  printFunnels(funnels);
  const baskets = basketsOf(retail.events, retailLines);
  printBaskets(baskets);

  const hours = { rees46: histogram(rees46.events, 24, (at) => at.getUTCHours()), retail: histogram(retail.events, 24, (at) => at.getUTCHours()) };
  const days = { rees46: histogram(rees46.events, 7, weekday), retail: histogram(retail.events, 7, weekday) };
  printTime(
    '== 3. Hour of day (UTC; Online Retail converted from UK time)',
    Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`),
    hours.rees46,
    hours.retail,
    invoiceHistogram(retail.events, 24, (at) => at.getUTCHours()),
  );
  console.log('  REES46 is sparse from 00:20 to 02:10 UTC (about 16 events per 10 minutes against 300-3,300 either side), which looks like');
  console.log('  a gap in the logging rather than a quiet store. Online Retail is UK trading hours; invoices count at their first line.');
  printTime('== 4. Day of week (UTC)', WEEKDAYS, days.rees46, days.retail, invoiceHistogram(retail.events, 7, weekday));
  console.log('  REES46 is all one Tuesday night. Online Retail has no Saturday trading and a gap from 2010-12-24 to 2011-01-03.');

  const sessions = sessionStats(rees46.events);
  printSessions(sessions);
  const repeat = { rees46: repeatStats(rees46.events), retail: repeatStats(retail.events) };
  const months = decemberToJanuary(retail.events);
  printRepeat(repeat.rees46, repeat.retail, months);
  const analysisSeconds = elapsed(analysisStarted);

  const runs = [segmentsOf(rees46, config), segmentsOf(retail, config)];
  printSegments(runs, config);
  const audiences = audienceReport(retail);
  printAudiences(audiences);

  const rees46Shoppers = new Set(rees46.events.map((event) => event.userId)).size;
  fs.mkdirSync(path.dirname(CHART), { recursive: true });
  fs.writeFileSync(
    CHART,
    chartSvg(
      funnels[0]!,
      rees46Shoppers,
      repeat.retail,
      [
        { id: 'rees46', title: rees46.title, counts: hours.rees46 },
        { id: 'retail', title: retail.title, counts: hours.retail },
      ],
      audiences,
    ),
  );
  console.log(`\nchart: ${path.relative(process.cwd(), CHART)}`);
  const totalSeconds = elapsed(started);
  console.log(`total ${fixed(totalSeconds, 1)} s`);

  const overall = funnelRates(funnels[0]!);
  const segmentJson = (run: SegmentRun) => ({
    shoppers: run.shoppers,
    withInterest: run.withInterest,
    k: run.result.model.k,
    silhouette: round(run.result.model.silhouettes.find((score) => score.k === run.result.model.k)?.silhouette ?? 0),
    stability: round(run.result.model.silhouettes.find((score) => score.k === run.result.model.k)?.agreement ?? 0),
    byK: run.result.model.silhouettes.map((score) => ({ k: score.k, silhouette: round(score.silhouette), stability: round(score.agreement ?? 0) })),
    sizes: run.result.segments.map((segment) => segment.size),
    labels: run.result.segments.map((segment) => segment.label),
    labelsUnique: new Set(run.result.segments.map((segment) => segment.label)).size === run.result.segments.length,
  });
  const repeatJson = (stats: RepeatStats) => ({
    purchasers: stats.purchasers,
    onTwoDays: round(stats.onTwoDays),
    inTwoSessions: round(stats.inTwoSessions),
    medianDaysBetween: stats.medianDaysBetween,
  });
  console.log(
    JSON.stringify({
      rees46: {
        events: rees46.events.length,
        shoppers: rees46Shoppers,
        funnel: Object.fromEntries(Object.entries(overall).map(([name, value]) => [name, round(value)])),
        peakHourUtc: peakOf(hours.rees46),
        sessions: {
          count: sessions.sessions,
          eventsPerSession: round(sessions.eventsPerSession.mean),
          singleEvent: round(sessions.singleEvent),
          withPurchase: round(sessions.withPurchase),
        },
        repeat: repeatJson(repeat.rees46),
        segments: segmentJson(runs[0]!),
      },
      retail: {
        purchaseLines: retail.events.length,
        customers: baskets.customers,
        invoices: baskets.invoices,
        basket: {
          medianLines: baskets.linesPerInvoice.median,
          medianValueGbp: round(baskets.valuePerInvoice.median),
          invoicesPerCustomer: round(baskets.invoicesPerCustomer.mean),
        },
        peakHourUtc: peakOf(hours.retail),
        peakWeekday: WEEKDAYS[peakOf(days.retail)],
        repeat: { ...repeatJson(repeat.retail), decemberCustomersBackInJanuary: round(ratio(months.both, months.december)) },
        segments: segmentJson(runs[1]!),
        audiences: {
          size: AUDIENCE_SIZE,
          products: audiences.rows.length,
          decemberShoppers: audiences.fitShoppers,
          weights: audiences.validation.weights,
          validationRecall: round(audiences.validation.recall),
          recall: { audience: round(audiences.recall.audience), popularity: round(audiences.recall.popularity), random: round(audiences.recall.random) },
          differenceVsPopularity: { mean: round(audiences.difference.mean), low: round(audiences.difference.low), high: round(audiences.difference.high) },
          lift: round(audiences.lift),
          foundWhoBoughtInDecember: round(audiences.repeatBuyers),
          expectedReach: round(mean(audiences.rows.map((row) => row.expectedReach))),
          found: round(mean(audiences.rows.map((row) => row.found))),
        },
      },
      seconds: {
        readRees46: round(rees46.readSeconds),
        readRetail: round(retail.readSeconds),
        analysis: round(analysisSeconds),
        segmentsRees46: round(runs[0]!.seconds),
        segmentsRetail: round(runs[1]!.seconds),
        audiences: round(audiences.seconds),
        total: round(totalSeconds),
      },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
