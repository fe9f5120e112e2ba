import type { DataSource } from 'typeorm';
import { EventType } from '../event/event-type';
import { bucketSql, DURATION_BUCKETS, GAP_BUCKETS } from './histogram';
import type { Period } from './period';

/** The funnel's steps, in order. */
export const FUNNEL_STEPS = [EventType.VIEW, EventType.CART, EventType.PURCHASE] as const;
export type FunnelStepType = (typeof FUNNEL_STEPS)[number];

export interface FunnelCounts {
  /** Events of each step, in FUNNEL_STEPS order (capped per shopper when a cap is given). */
  events: number[];
  /** Shoppers with at least one event of each step. */
  shoppers: number[];
  /** Shoppers with at least one event of each step up to and including this one. */
  reached: number[];
}

export interface ProductFunnelRow {
  productId: string;
  views: number;
  carts: number;
  purchases: number;
}

/** Events by hour of day (0-23, UTC), day of week (0 Monday … 6 Sunday) and type. */
export interface ActivityCell {
  hour: number;
  weekday: number;
  type: EventType;
  events: number;
}

export interface SessionSummary {
  sessions: number;
  meanEvents: number | null;
  medianEvents: number | null;
  meanDuration: number | null;
  medianDuration: number | null;
  bounces: number;
  purchaseSessions: number;
}

export interface SessionHistograms {
  /** Sessions with 1 … cap events, the last entry counting sessions of `cap` events or more. */
  byEvents: number[];
  /** Sessions per DURATION_BUCKETS entry. */
  byDuration: number[];
  purchaseSessions: number;
}

export interface RepeatSummary {
  purchasers: number;
  repeaters: number;
  medianGap: number | null;
}

export interface RepeatHistogram {
  purchasers: number;
  repeaters: number;
  /** Gaps between consecutive purchase days per GAP_BUCKETS entry. */
  gaps: number[];
}

export interface CategoryAffinityRow {
  categoryId: string;
  shoppers: number;
  events: number;
  purchases: number;
  buyers: number;
}

export interface CategoryTotals {
  categories: number;
  shoppers: number;
  buyers: number;
}

type Row = Record<string, string | number | null>;

/** COUNT and SUM come back as strings (BIGINT and DECIMAL); absent aggregates of no rows as null. */
const count = (value: string | number | null | undefined): number => Number(value ?? 0);
const nullable = (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

const PERIOD = 'occurred_at >= ? AND occurred_at < ?';

const MICROSECONDS = 1_000_000;

/**
 * Per-session figures within the period; a session is one shopper's session id. Durations stay
 * in whole microseconds: SQL division would round them to MariaDB's four decimals.
 */
const SESSIONS = `
  SELECT user_id, session_id, MIN(occurred_at) AS started, COUNT(*) AS events,
         TIMESTAMPDIFF(MICROSECOND, MIN(occurred_at), MAX(occurred_at)) AS duration,
         MAX(type = 'PURCHASE') AS purchased
  FROM behaviour_event WHERE ${PERIOD}
  GROUP BY user_id, session_id`;

/** Each shopper's distinct purchase days (UTC) numbered in order, with the days since the previous one. */
const PURCHASE_DAYS = `
  WITH days AS (
    SELECT DISTINCT user_id, DATE(occurred_at) AS day FROM behaviour_event WHERE type = 'PURCHASE' AND ${PERIOD}
  )
  SELECT user_id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY day) AS nth,
         DATEDIFF(day, LAG(day) OVER (PARTITION BY user_id ORDER BY day)) AS gap
  FROM days`;

/**
 * Aggregates over the event log, in SQL. Methods that take a `cap` bound what one shopper can add
 * to any count, for differentially private releases; null reads exact figures. Caps are integers
 * checked by the caller and written into the SQL, as LIMIT-like constants are.
 */
export class AnalyticsStore {
  constructor(private readonly dataSource: DataSource) {}

  private capped(column: string, cap: number | null): string {
    return cap === null ? column : `LEAST(${column}, ${cap})`;
  }

  async funnel(period: Period, categoryId: string | null, cap: number | null): Promise<FunnelCounts> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT SUM(${this.capped('views', cap)}) AS viewEvents, SUM(${this.capped('carts', cap)}) AS cartEvents,
              SUM(${this.capped('purchases', cap)}) AS purchaseEvents,
              SUM(views > 0) AS viewers, SUM(carts > 0) AS carters, SUM(purchases > 0) AS purchasers,
              SUM(views > 0 AND carts > 0) AS reachedCart, SUM(views > 0 AND carts > 0 AND purchases > 0) AS reachedPurchase
       FROM (
         SELECT user_id, SUM(type = 'VIEW') AS views, SUM(type = 'CART') AS carts, SUM(type = 'PURCHASE') AS purchases
         FROM behaviour_event
         WHERE ${PERIOD} AND type IN ('VIEW', 'CART', 'PURCHASE') ${categoryId === null ? '' : 'AND category_id = ?'}
         GROUP BY user_id
       ) per_shopper`,
      [period.from, period.to, ...(categoryId === null ? [] : [categoryId])],
    );
    return {
      events: [count(row?.viewEvents), count(row?.cartEvents), count(row?.purchaseEvents)],
      shoppers: [count(row?.viewers), count(row?.carters), count(row?.purchasers)],
      reached: [count(row?.viewers), count(row?.reachedCart), count(row?.reachedPurchase)],
    };
  }

  /** Products of a category with funnel events, most viewed first, then by id; `after` seeks past a row. */
  async productFunnels(
    period: Period,
    categoryId: string,
    after: { views: number; productId: string } | null,
    limit: number,
  ): Promise<ProductFunnelRow[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT product_id AS productId, SUM(type = 'VIEW') AS views, SUM(type = 'CART') AS carts, SUM(type = 'PURCHASE') AS purchases
       FROM behaviour_event
       WHERE category_id = ? AND ${PERIOD} AND type IN ('VIEW', 'CART', 'PURCHASE')
       GROUP BY product_id
       ${after ? 'HAVING views < ? OR (views = ? AND product_id > CAST(? AS SIGNED))' : ''}
       ORDER BY views DESC, product_id ASC
       LIMIT ?`,
      [categoryId, period.from, period.to, ...(after ? [after.views, after.views, after.productId] : []), limit],
    );
    return rows.map((row) => ({ productId: String(row.productId), views: count(row.views), carts: count(row.carts), purchases: count(row.purchases) }));
  }

  async productCount(period: Period, categoryId: string): Promise<number> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT COUNT(DISTINCT product_id) AS products FROM behaviour_event
       WHERE category_id = ? AND ${PERIOD} AND type IN ('VIEW', 'CART', 'PURCHASE')`,
      [categoryId, period.from, period.to],
    );
    return count(row?.products);
  }

  /**
   * Event counts by hour, weekday and type. With a cap, only `cap` events of each shopper count,
   * picked by a hash of the event id rather than by time so the sample is not skewed to the start
   * of the period.
   */
  async activity(period: Period, categoryId: string | null, cap: number | null): Promise<ActivityCell[]> {
    const categoryFilter = categoryId === null ? '' : 'AND category_id = ?';
    const source =
      cap === null
        ? `SELECT occurred_at, type FROM behaviour_event WHERE ${PERIOD} ${categoryFilter}`
        : `SELECT occurred_at, type FROM (
             SELECT occurred_at, type, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY CRC32(id), id) AS pick
             FROM behaviour_event WHERE ${PERIOD} ${categoryFilter}
           ) sampled WHERE pick <= ${cap}`;
    const rows: Row[] = await this.dataSource.query(
      `SELECT HOUR(occurred_at) AS hour, WEEKDAY(occurred_at) AS weekday, type, COUNT(*) AS events
       FROM (${source}) picked
       GROUP BY hour, weekday, type`,
      [period.from, period.to, ...(categoryId === null ? [] : [categoryId])],
    );
    return rows.map((row) => ({ hour: count(row.hour), weekday: count(row.weekday), type: row.type as EventType, events: count(row.events) }));
  }

  async sessionSummary(period: Period): Promise<SessionSummary> {
    // Window aggregates over the one derived table: MariaDB's MEDIAN exists only as a window
    // function. Sums rather than AVG, which rounds to four decimals.
    const [row]: Row[] = await this.dataSource.query(
      `WITH sessions AS (${SESSIONS})
       SELECT COUNT(*) OVER () AS sessions, SUM(events) OVER () AS totalEvents, MEDIAN(events) OVER () AS medianEvents,
              SUM(duration) OVER () AS totalDuration, MEDIAN(duration) OVER () AS medianDuration,
              SUM(events = 1) OVER () AS bounces, SUM(purchased) OVER () AS purchaseSessions
       FROM sessions LIMIT 1`,
      [period.from, period.to],
    );
    const sessions = count(row?.sessions);
    const medianDuration = nullable(row?.medianDuration);
    return {
      sessions,
      meanEvents: sessions > 0 ? count(row?.totalEvents) / sessions : null,
      medianEvents: nullable(row?.medianEvents),
      meanDuration: sessions > 0 ? count(row?.totalDuration) / sessions / MICROSECONDS : null,
      medianDuration: medianDuration === null ? null : medianDuration / MICROSECONDS,
      bounces: count(row?.bounces),
      purchaseSessions: count(row?.purchaseSessions),
    };
  }

  /** Each shopper's first `cap` sessions, with events per session capped at `cap` too. */
  async sessionHistograms(period: Period, cap: number): Promise<SessionHistograms> {
    const rows: Row[] = await this.dataSource.query(
      `WITH sessions AS (${SESSIONS}),
       kept AS (SELECT events, duration, purchased, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY started, session_id) AS pick FROM sessions)
       SELECT LEAST(events, ${cap}) AS events, ${bucketSql('duration', DURATION_BUCKETS, MICROSECONDS)} AS durationBucket,
              COUNT(*) AS sessions, SUM(purchased) AS purchaseSessions
       FROM kept WHERE pick <= ${cap}
       GROUP BY 1, 2`,
      [period.from, period.to],
    );
    const histograms: SessionHistograms = { byEvents: new Array<number>(cap).fill(0), byDuration: new Array<number>(DURATION_BUCKETS.length).fill(0), purchaseSessions: 0 };
    for (const row of rows) {
      const sessions = count(row.sessions);
      histograms.byEvents[count(row.events) - 1]! += sessions;
      histograms.byDuration[count(row.durationBucket)]! += sessions;
      histograms.purchaseSessions += count(row.purchaseSessions);
    }
    return histograms;
  }

  async repeatSummary(period: Period): Promise<RepeatSummary> {
    const [row]: Row[] = await this.dataSource.query(
      `WITH numbered AS (${PURCHASE_DAYS})
       SELECT SUM(nth = 1) AS purchasers, SUM(nth = 2) AS repeaters,
              (SELECT MEDIAN(gap) OVER () FROM numbered WHERE gap IS NOT NULL LIMIT 1) AS medianGap
       FROM numbered`,
      [period.from, period.to],
    );
    return { purchasers: count(row?.purchasers), repeaters: count(row?.repeaters), medianGap: nullable(row?.medianGap) };
  }

  /** Purchasers, repeaters and the first `cap` gaps of each shopper by GAP_BUCKETS. */
  async repeatHistogram(period: Period, cap: number): Promise<RepeatHistogram> {
    const rows: Row[] = await this.dataSource.query(
      `WITH numbered AS (${PURCHASE_DAYS})
       SELECT CASE WHEN nth = 1 THEN 'purchaser' WHEN nth = 2 THEN 'repeater' ELSE 'later' END AS kind,
              CASE WHEN nth BETWEEN 2 AND ${cap + 1} THEN ${bucketSql('gap', GAP_BUCKETS)} END AS gapBucket,
              COUNT(*) AS n
       FROM numbered GROUP BY 1, 2`,
      [period.from, period.to],
    );
    const histogram: RepeatHistogram = { purchasers: 0, repeaters: 0, gaps: new Array<number>(GAP_BUCKETS.length).fill(0) };
    for (const row of rows) {
      if (row.kind === 'purchaser') histogram.purchasers += count(row.n);
      if (row.kind === 'repeater') histogram.repeaters += count(row.n);
      if (row.gapBucket !== null) histogram.gaps[count(row.gapBucket)]! += count(row.n);
    }
    return histogram;
  }

  /** Categories by shoppers (most first), then id; `after` seeks past a row. */
  async categoryAffinity(period: Period, after: { shoppers: number; categoryId: string } | null, limit: number): Promise<CategoryAffinityRow[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT category_id AS categoryId, COUNT(*) AS shoppers, SUM(events) AS events, SUM(purchases) AS purchases, SUM(purchases > 0) AS buyers
       FROM (
         SELECT category_id, user_id, COUNT(*) AS events, SUM(type = 'PURCHASE') AS purchases
         FROM behaviour_event WHERE ${PERIOD} AND category_id IS NOT NULL
         GROUP BY category_id, user_id
       ) per_shopper
       GROUP BY category_id
       ${after ? 'HAVING shoppers < ? OR (shoppers = ? AND category_id > CAST(? AS SIGNED))' : ''}
       ORDER BY shoppers DESC, category_id ASC
       LIMIT ?`,
      [period.from, period.to, ...(after ? [after.shoppers, after.shoppers, after.categoryId] : []), limit],
    );
    return rows.map((row) => ({
      categoryId: String(row.categoryId),
      shoppers: count(row.shoppers),
      events: count(row.events),
      purchases: count(row.purchases),
      buyers: count(row.buyers),
    }));
  }

  /** Shoppers (and buyers) with events on products of any category. */
  async categoryTotals(period: Period): Promise<CategoryTotals> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT COUNT(DISTINCT category_id) AS categories, COUNT(DISTINCT user_id) AS shoppers,
              COUNT(DISTINCT CASE WHEN type = 'PURCHASE' THEN user_id END) AS buyers
       FROM behaviour_event WHERE ${PERIOD} AND category_id IS NOT NULL`,
      [period.from, period.to],
    );
    return { categories: count(row?.categories), shoppers: count(row?.shoppers), buyers: count(row?.buyers) };
  }
}
