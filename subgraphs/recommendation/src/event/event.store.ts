import { compareIds } from '@serendip/db';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { bucketSql, DURATION_BUCKETS, GAP_BUCKETS } from '../analytics/histogram';
import type { Period } from '../analytics/period';
import { addHistoryPairs, type ProductEvent } from '../cooccurrence/cooccurrence-pairs';
import { CooccurrenceStore } from '../cooccurrence/cooccurrence.store';
import { weightedTypes, weightSql } from '../popularity/event-weights';
import { PopularityStore } from '../popularity/popularity.store';
import { localHourSql, offsetPeriods } from '../segments/shop-time';
import { addHistoryTransitions } from '../transitions/transition-pairs';
import { TransitionStore } from '../transitions/transition.store';
import { BehaviourEventEntity } from './behaviour-event.entity';
import { contributionKey, contributionPeriodSql, DEFAULT_CONTRIBUTION_CAP, type ContributionCap } from './contribution-cap';
import type {
  ActivityCell,
  CategoryAffinityRow,
  CategoryTotals,
  FunnelCounts,
  ProductFunnelRow,
  RepeatHistogram,
  RepeatSummary,
  SessionHistograms,
  SessionSummary,
} from './event-aggregates';
import { EventType } from './event-type';

/** One event to record, already validated by its producer (tracking API or demo-data importer). */
export interface EventRow {
  userId: string;
  type: EventType;
  productId: string | null;
  categoryId: string | null;
  query: string | null;
  sessionId: string;
  clientEventId: string;
  occurredAt: Date;
  /** The slate a CLICK, CART or PURCHASE came from; imports have none. */
  recommendationId?: string | null;
  /** A verified PURCHASE's value (unit price × quantity), as a decimal string; client events have none. */
  value?: string | null;
  /** A PURCHASE from a signed order. @default false */
  verified?: boolean;
  /** Counts towards shared statistics under the contribution cap; imports are recounted after insert. @default true */
  counted?: boolean;
}

/** What an EventRow becomes in the table. */
const toColumns = (row: EventRow, receivedAt: Date) => ({
  ...row,
  verified: row.verified ? 1 : 0,
  counted: row.counted === false ? 0 : 1,
  receivedAt,
});

/** An event as the User.recentEvents field shows it. */
export interface RecentEventRow {
  id: string;
  userId: string;
  type: EventType;
  productId: string | null;
  query: string | null;
  sessionId: string;
  clientEventId: string;
  occurredAt: Date;
}

/** One event as interest recognition reads it. */
export interface InterestEvent {
  type: EventType;
  productId: string | null;
  categoryId: string | null;
  query: string | null;
  occurredAt: Date;
}

/** A shopper's events as the popular-in-category ranking reads them: the newest few, and every purchase. */
export interface HistoryRow {
  userId: string;
  type: EventType;
  productId: string | null;
  categoryId: string | null;
  /** 1 for the newest event. */
  position: number;
}

/** Per consenting shopper, event counts as segmentation reads them. */
export interface SegmentCounts {
  types: { userId: string; type: string; n: number }[];
  categories: { userId: string; categoryId: string; n: number }[];
  hours: { userId: string; hour: number; n: number }[];
  sessions: { userId: string; n: number }[];
  /** Per shopper and product: purchases whose value a signed order gave (summed), and purchases without one. */
  products: { userId: string; productId: string; categoryId: string | null; value: number; unvaluedPurchases: number }[];
}

/** What the events crediting one shopper's slates of an experiment arm add up to. */
export interface ArmCredit {
  userId: string;
  arm: number;
  clicks: number;
  purchases: number;
  revenue: number;
}

/** Keeps statements well under max_allowed_packet and lock sets small. */
const CHUNK_SIZE = 1000;
/** Shoppers whose histories are read per query while co-occurrence is rebuilt. */
const REBUILD_USERS = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

type Row = Record<string, string | number | null>;

/** COUNT and SUM come back as strings (BIGINT and DECIMAL); absent aggregates of no rows as null. */
const count = (value: string | number | null | undefined): number => Number(value ?? 0);
const nullable = (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

/** Analytics read events in a half-open period [from, to). */
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
 * `behaviour_event`, the event log: the one place that queries it. Queries that join it with
 * another table (slates it credits, consent it is filtered by) live here too, so the log's
 * columns and indexes have one reader. Grouped by who reads: recording, per-shopper reads,
 * derived tables (popularity, co-occurrence), experiments, and analytics aggregates.
 *
 * Importers and jobs write through insertEvents. Re-running an import is harmless: rows already
 * recorded (same user and clientEventId) are skipped, and popularity is recomputed from the log
 * rather than incremented, so it stays exact however often the import runs.
 *
 * Shared statistics read only events flagged `counted` (the per-shopper contribution cap, `cap`),
 * so a rebuild from the log gives what live tracking added up.
 */
export class EventStore {
  private readonly popularity: PopularityStore;
  private readonly cooccurrence: CooccurrenceStore;
  private readonly transitions: TransitionStore;

  constructor(
    private readonly dataSource: DataSource,
    readonly cap: ContributionCap = DEFAULT_CONTRIBUTION_CAP,
  ) {
    this.popularity = new PopularityStore(dataSource);
    this.cooccurrence = new CooccurrenceStore(dataSource);
    this.transitions = new TransitionStore(dataSource);
  }

  // Recording

  /**
   * Inserts the rows that are not recorded yet (importers); returns how many were new. An imported
   * event is received when it happened (the operator vouches for the history), so the contribution
   * cap counts it in its own period; the shoppers' events are recounted under the cap afterwards.
   */
  async insertEvents(rows: EventRow[]): Promise<{ inserted: number; duplicates: number }> {
    const receivedAt = new Date();
    let inserted = 0;
    for (const chunk of chunks(rows, CHUNK_SIZE)) {
      const result = await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(BehaviourEventEntity)
        .orIgnore()
        .values(chunk.map((row) => toColumns(row, row.occurredAt)))
        .updateEntity(false)
        .execute();
      inserted += (result.raw as { affectedRows: number }).affectedRows;
    }
    // Always recount and recompute, even when nothing was new: a previous run may have stopped
    // between its inserts and its recompute.
    await this.recountContributions([...new Set(rows.map((row) => row.userId))]);
    const touched = [...new Set(rows.flatMap((row) => (row.productId ? [row.productId] : [])))].sort(compareIds);
    for (const productIds of chunks(touched, CHUNK_SIZE)) {
      await this.dataSource.transaction((manager) => this.recomputePopularity(manager, productIds, receivedAt));
    }
    return { inserted, duplicates: rows.length - inserted };
  }

  /** Inserts new events in the caller's transaction (live tracking, which has checked they are new). */
  async insert(manager: EntityManager, rows: readonly EventRow[], receivedAt: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(BehaviourEventEntity)
      .values(rows.map((row) => toColumns(row, receivedAt)))
      .updateEntity(false)
      .execute();
  }

  /**
   * How many events of each type (key `<type>/<productId>`, contributionKey) the shopper has on
   * these products received in [from, to), read with a lock on them until the caller's
   * transaction ends, so two batches of the shopper cannot both count the same first event.
   */
  async contributions(manager: EntityManager, userId: string, productIds: readonly string[], period: { from: Date; to: Date }): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (productIds.length === 0) return counts;
    const rows = await manager.query<{ type: EventType; productId: string | number }[]>(
      `SELECT type, product_id AS productId FROM behaviour_event
       WHERE user_id = ? AND product_id IN (?) AND received_at >= ? AND received_at < ? FOR UPDATE`,
      [userId, [...new Set(productIds)], period.from, period.to],
    );
    for (const row of rows) {
      const key = contributionKey({ type: row.type, productId: String(row.productId) });
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Sets `counted` on the shoppers' events (all shoppers' when null) as live tracking decides it:
   * the first `cap.events` of each shopper, type, product and period, in the order they were
   * recorded. For imports, and after the cap's settings change (then rebuild popularity and the
   * item graphs).
   */
  async recountContributions(userIds: readonly string[] | null): Promise<void> {
    const recount = (filter: string, params: unknown[]) =>
      this.dataSource.query(
        `UPDATE behaviour_event e JOIN (
           SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id, product_id, type, ${contributionPeriodSql('received_at', this.cap)} ORDER BY id) AS n
           FROM behaviour_event WHERE product_id IS NOT NULL ${filter}
         ) ranked ON ranked.id = e.id
         SET e.counted = ranked.n <= ?`,
        [...params, this.cap.events],
      );
    if (userIds === null) {
      await recount('', []);
      return;
    }
    for (const batch of chunks([...userIds], REBUILD_USERS)) await recount('AND user_id IN (?)', [batch]);
  }

  /** Which of the shopper's clientEventIds are recorded already, read in the caller's transaction. */
  async recordedClientEventIds(manager: EntityManager, userId: string, clientEventIds: readonly string[]): Promise<Set<string>> {
    const recorded = await manager.getRepository(BehaviourEventEntity).find({
      select: { clientEventId: true },
      where: { userId, clientEventId: In([...new Set(clientEventIds)]) },
    });
    return new Set(recorded.map((event) => event.clientEventId));
  }

  /**
   * The slate items the shopper already acted on, as `<type>/<recommendationId>/<productId>`, read
   * with a lock on those slates' events until the caller's transaction ends, so two batches carrying
   * the same click cannot both find it new.
   */
  async slateItemActions(manager: EntityManager, userId: string, recommendationIds: readonly string[]): Promise<Set<string>> {
    if (recommendationIds.length === 0) return new Set();
    const rows = await manager.query<{ type: string; recommendationId: string; productId: string }[]>(
      'SELECT type, recommendation_id AS recommendationId, product_id AS productId FROM behaviour_event WHERE user_id = ? AND recommendation_id IN (?) FOR UPDATE',
      [userId, [...new Set(recommendationIds)]],
    );
    return new Set(rows.map((row) => `${row.type}/${row.recommendationId}/${row.productId}`));
  }

  /**
   * Per product, the slate that most recently led the shopper to it: the recommendationId of their
   * newest CLICK, CART or PURCHASE of it received since `since`. A signed order names no slate; this
   * is what its purchases credit.
   */
  async lastRecommendations(userId: string, productIds: readonly string[], since: Date): Promise<Map<string, string>> {
    if (productIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ productId: string | number; recommendationId: string }[]>(
      `SELECT productId, recommendationId FROM (
         SELECT product_id AS productId, recommendation_id AS recommendationId,
           ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY received_at DESC, id DESC) AS newest
         FROM behaviour_event
         WHERE user_id = ? AND product_id IN (?) AND recommendation_id IS NOT NULL AND type IN (?) AND received_at >= ?
       ) AS latest WHERE newest = 1`,
      [userId, [...new Set(productIds)], [EventType.CLICK, EventType.CART, EventType.PURCHASE], since],
    );
    return new Map(rows.map((row) => [String(row.productId), row.recommendationId]));
  }

  /** Deletes every event of the shopper in the caller's transaction; returns how many went. */
  async deleteShopper(manager: EntityManager, userId: string): Promise<number> {
    return (await manager.query<{ affectedRows: number }>('DELETE FROM behaviour_event WHERE user_id = ?', [userId])).affectedRows;
  }

  async countEvents(): Promise<number> {
    return this.dataSource.getRepository(BehaviourEventEntity).count();
  }

  // Per-shopper reads

  /**
   * Each shopper's newest `perShopper` events, newest first, for a whole batch of shoppers in one
   * query: ROW_NUMBER() picks the top rows per shopper from the (user, time) index.
   */
  async recentByShopper(userIds: readonly string[], perShopper: number): Promise<RecentEventRow[]> {
    return this.dataSource.query(
      `SELECT id, user_id AS userId, type, product_id AS productId, query, session_id AS sessionId,
              client_event_id AS clientEventId, occurred_at AS occurredAt
       FROM (
         SELECT e.*, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY occurred_at DESC, id DESC) AS position
         FROM behaviour_event e
         WHERE user_id IN (${placeholders(userIds)})
       ) AS ranked
       WHERE position <= ?
       ORDER BY userId, position`,
      [...userIds, perShopper],
    );
  }

  /** The shopper's newest `limit` events, newest first, as interest recognition reads them. */
  async interestEvents(userId: string, limit: number): Promise<InterestEvent[]> {
    const rows: (Omit<InterestEvent, 'occurredAt'> & { occurredAt: Date | string })[] = await this.dataSource.query(
      `SELECT type, product_id AS productId, category_id AS categoryId, query, occurred_at AS occurredAt
       FROM behaviour_event WHERE user_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      [userId, limit],
    );
    return rows.map((row) => ({
      ...row,
      productId: row.productId === null ? null : String(row.productId),
      categoryId: row.categoryId === null ? null : String(row.categoryId),
      occurredAt: new Date(row.occurredAt),
    }));
  }

  /** Each shopper's newest `window` events plus all their purchases, in one query. */
  async histories(userIds: readonly string[], window: number): Promise<HistoryRow[]> {
    const rows: (Omit<HistoryRow, 'position'> & { position: string | number })[] = await this.dataSource.query(
      `SELECT user_id AS userId, type, product_id AS productId, category_id AS categoryId, position
       FROM (
         SELECT user_id, type, product_id, category_id,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY occurred_at DESC, id DESC) AS position
         FROM behaviour_event
         WHERE user_id IN (${placeholders(userIds)})
       ) AS history
       WHERE position <= ? OR type = ?`,
      [...userIds, window, EventType.PURCHASE],
    );
    // ROW_NUMBER() is a BIGINT, read as a string.
    return rows.map((row) => ({ ...row, position: Number(row.position) }));
  }

  /**
   * Products shown to the shopper since `since` in at least `minHours` different hours that they
   * never clicked, carted or bought: the slate log read against the events.
   */
  async skippedProducts(userId: string, since: Date, minHours: number): Promise<{ productId: string; impressions: number; lastShownAt: Date }[]> {
    const rows: { productId: string; impressions: string | number; lastShownAt: Date | string }[] = await this.dataSource.query(
      `SELECT item.product_id AS productId, COUNT(DISTINCT DATE_FORMAT(slate.created_at, '%Y-%m-%d %H')) AS impressions,
         MAX(slate.created_at) AS lastShownAt
       FROM recommendation_slate slate
       JOIN recommendation_item item ON item.slate_id = slate.id
       WHERE slate.user_id = ? AND slate.created_at >= ?
         AND NOT EXISTS (
           SELECT 1 FROM behaviour_event event
           WHERE event.user_id = slate.user_id AND event.product_id = item.product_id AND event.type IN (?, ?, ?)
         )
       GROUP BY item.product_id
       HAVING impressions >= ?`,
      [userId, since, EventType.CLICK, EventType.CART, EventType.PURCHASE, minHours],
    );
    return rows.map((row) => ({ productId: String(row.productId), impressions: Number(row.impressions), lastShownAt: new Date(row.lastShownAt) }));
  }

  /**
   * Per shopper with events since `since` who allows personalisation (a segment is part of their
   * profile): event counts by type, by category and by hour of day in `timeZone` (IANA), distinct
   * sessions, and per product touched its purchases (valued by signed orders or not).
   */
  async segmentCounts(since: Date, timeZone = 'UTC'): Promise<SegmentCounts> {
    const consenting = `NOT EXISTS (SELECT 1 FROM shopper_privacy p WHERE p.user_id = e.user_id AND (p.personalisation = 0 OR p.forgotten_at IS NOT NULL))`;
    const query = <T>(sql: string, before: unknown[] = []) => this.dataSource.query<T[]>(sql, [...before, since]);
    // Hours of day in the shop's zone, with its offsets over the span the events cover.
    const [span] = await this.dataSource.query<{ earliest: Date | null; latest: Date | null }[]>(
      'SELECT MIN(occurred_at) AS earliest, MAX(occurred_at) AS latest FROM behaviour_event WHERE occurred_at >= ?',
      [since],
    );
    const hour = localHourSql('e.occurred_at', offsetPeriods(timeZone, span?.earliest ?? since, span?.latest ?? since));
    const [types, categories, hours, sessions, products] = await Promise.all([
      query<{ userId: string; type: string; n: string | number }>(
        `SELECT e.user_id AS userId, e.type AS type, COUNT(*) AS n FROM behaviour_event e WHERE e.occurred_at >= ? AND ${consenting} GROUP BY e.user_id, e.type`,
      ),
      query<{ userId: string; categoryId: string | number; n: string | number }>(
        `SELECT e.user_id AS userId, e.category_id AS categoryId, COUNT(*) AS n FROM behaviour_event e
         WHERE e.occurred_at >= ? AND e.category_id IS NOT NULL AND ${consenting} GROUP BY e.user_id, e.category_id`,
      ),
      query<{ userId: string; hour: number; n: string | number }>(
        `SELECT userId, hour, COUNT(*) AS n FROM (SELECT e.user_id AS userId, ${hour.sql} AS hour FROM behaviour_event e WHERE e.occurred_at >= ? AND ${consenting}) local
         GROUP BY userId, hour`,
        hour.params,
      ),
      query<{ userId: string; n: string | number }>(
        `SELECT e.user_id AS userId, COUNT(DISTINCT e.session_id) AS n FROM behaviour_event e WHERE e.occurred_at >= ? AND ${consenting} GROUP BY e.user_id`,
      ),
      query<{ userId: string; productId: string | number; categoryId: string | number | null; value: string | null; unvalued: string | number }>(
        `SELECT e.user_id AS userId, e.product_id AS productId, MAX(e.category_id) AS categoryId,
                SUM(CASE WHEN e.type = 'PURCHASE' THEN e.value END) AS value,
                SUM(e.type = 'PURCHASE' AND e.value IS NULL) AS unvalued
         FROM behaviour_event e WHERE e.occurred_at >= ? AND e.product_id IS NOT NULL AND ${consenting} GROUP BY e.user_id, e.product_id`,
      ),
    ]);
    return {
      types: types.map((row) => ({ userId: row.userId, type: row.type, n: Number(row.n) })),
      categories: categories.map((row) => ({ userId: row.userId, categoryId: String(row.categoryId), n: Number(row.n) })),
      hours: hours.map((row) => ({ userId: row.userId, hour: row.hour, n: Number(row.n) })),
      sessions: sessions.map((row) => ({ userId: row.userId, n: Number(row.n) })),
      products: products.map((row) => ({
        userId: row.userId,
        productId: String(row.productId),
        categoryId: row.categoryId === null ? null : String(row.categoryId),
        value: count(row.value),
        unvaluedPurchases: count(row.unvalued),
      })),
    };
  }

  // Derived tables: popularity and co-occurrence

  /**
   * Recomputes `product_popularity` from the log: for `productIds`, or for every product when
   * null. One INSERT … SELECT, which reads the log with locks, so events committed meanwhile are
   * not lost.
   */
  async recomputePopularity(manager: EntityManager, productIds: string[] | null, at: Date): Promise<void> {
    if (productIds && productIds.length === 0) return;
    const types = weightedTypes();
    if (types.length === 0) return;
    const productFilter = productIds ? `AND product_id IN (${placeholders(productIds)})` : '';
    await manager.query(
      `INSERT INTO product_popularity (product_id, category_id, score, events, updated_at)
       SELECT product_id, category_id, score, events, ? FROM (
         SELECT product_id, category_id,
           SUM(${weightSql('type')}) OVER (PARTITION BY product_id) AS score,
           COUNT(*) OVER (PARTITION BY product_id) AS events,
           ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY id DESC) AS newest
         FROM behaviour_event
         WHERE product_id IS NOT NULL AND counted = 1 AND type IN (${placeholders(types)}) ${productFilter}
       ) AS per_product
       WHERE newest = 1
       ON DUPLICATE KEY UPDATE
         category_id = VALUES(category_id),
         score = VALUES(score),
         events = VALUES(events),
         updated_at = VALUES(updated_at)`,
      [at, ...types, ...(productIds ?? [])],
    );
  }

  /** Rebuilds the whole popularity table from the log, for instance after EVENT_WEIGHTS changed. */
  async rebuildPopularity(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.popularity.clear(manager);
      await this.recomputePopularity(manager, null, new Date());
    });
  }

  /**
   * The shopper's counted product events in [from, before), the newest `limit`, newest first: what
   * freshly recorded events pair with. Read in the caller's transaction, the one inserting them.
   */
  async productEventsBefore(manager: EntityManager, userId: string, from: Date, before: Date, limit: number): Promise<ProductEvent[]> {
    const rows: { productId: string; type: EventType; occurredAt: Date | string }[] = await manager.query(
      `SELECT product_id AS productId, type, occurred_at AS occurredAt FROM behaviour_event
       WHERE user_id = ? AND product_id IS NOT NULL AND counted = 1 AND occurred_at >= ? AND occurred_at < ?
       ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      [userId, from, before, limit],
    );
    return rows.map((row) => ({ productId: String(row.productId), type: row.type, occurredAt: new Date(row.occurredAt) }));
  }

  /**
   * Rebuilds the item-to-item tables (co-occurrence and directed transitions) from the log's counted
   * events with the same pairing as live tracking, in one pass over it (importers call it once, after their events,
   * since theirs bypass trackEvents). Exact and idempotent, like the popularity rebuild, so an
   * interrupted or repeated import converges.
   */
  async rebuildItemGraphs(): Promise<void> {
    const at = new Date();
    const users: { userId: string }[] = await this.dataSource.query(
      'SELECT DISTINCT user_id AS userId FROM behaviour_event WHERE product_id IS NOT NULL AND counted = 1 ORDER BY user_id',
    );
    const totals = new Map<string, { a: string; b: string; weight: number }>();
    const transitions = new Map<string, { a: string; b: string; weight: number }>();
    for (let start = 0; start < users.length; start += REBUILD_USERS) {
      const batch = users.slice(start, start + REBUILD_USERS).map((user) => user.userId);
      const rows: { userId: string; productId: string; type: EventType; occurredAt: Date | string }[] = await this.dataSource.query(
        `SELECT user_id AS userId, product_id AS productId, type, occurred_at AS occurredAt FROM behaviour_event
         WHERE user_id IN (${placeholders(batch)}) AND product_id IS NOT NULL AND counted = 1 ORDER BY user_id, occurred_at, id`,
        batch,
      );
      const byUser = new Map<string, ProductEvent[]>();
      for (const row of rows) {
        const history = byUser.get(row.userId) ?? [];
        history.push({ productId: String(row.productId), type: row.type, occurredAt: new Date(row.occurredAt) });
        byUser.set(row.userId, history);
      }
      for (const history of byUser.values()) {
        addHistoryPairs(totals, history);
        addHistoryTransitions(transitions, history);
      }
    }
    await this.cooccurrence.replaceAll([...totals.values()], at);
    await this.transitions.replaceAll([...transitions.values()], at);
  }

  /**
   * Every shopper's product events in time order (VIEW, CART, PURCHASE and CLICK), for training the
   * sequence model: shoppers who withdrew consent to personalisation are left out, as they are
   * from every other model of their behaviour. Read `REBUILD_USERS` shoppers at a time.
   */
  async productSequences(): Promise<Map<string, string[]>> {
    const users: { userId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT e.user_id AS userId FROM behaviour_event e LEFT JOIN shopper_privacy p ON p.user_id = e.user_id
       WHERE e.product_id IS NOT NULL AND (p.user_id IS NULL OR p.personalisation = 1) ORDER BY e.user_id`,
    );
    const sequences = new Map<string, string[]>();
    for (let start = 0; start < users.length; start += REBUILD_USERS) {
      const batch = users.slice(start, start + REBUILD_USERS).map((user) => user.userId);
      const rows: { userId: string; productId: string | number }[] = await this.dataSource.query(
        `SELECT user_id AS userId, product_id AS productId FROM behaviour_event
         WHERE user_id IN (${placeholders(batch)}) AND product_id IS NOT NULL ORDER BY user_id, occurred_at, id`,
        batch,
      );
      for (const row of rows) {
        const sequence = sequences.get(row.userId) ?? [];
        sequence.push(String(row.productId));
        sequences.set(row.userId, sequence);
      }
    }
    return sequences;
  }

  // Experiments

  /** Per arm of the experiment: exposed shoppers, and those with an event of `types` crediting one of its slates. */
  async armSuccesses(experimentId: string, types: readonly EventType[]): Promise<Map<number, { shoppers: number; successes: number }>> {
    const rows: { arm: number; shoppers: string | number; successes: string | number }[] = await this.dataSource.query(
      `SELECT s.experiment_arm AS arm, COUNT(DISTINCT s.user_id) AS shoppers, COUNT(DISTINCT e.user_id) AS successes
       FROM recommendation_slate s LEFT JOIN behaviour_event e ON e.recommendation_id = s.id AND e.type IN (?)
       WHERE s.experiment_id = ? GROUP BY s.experiment_arm`,
      [types, experimentId],
    );
    return new Map(rows.map((row) => [Number(row.arm), { shoppers: Number(row.shoppers), successes: Number(row.successes) }]));
  }

  /**
   * Per shopper and arm of the experiment: the clicks, purchases and revenue their events credit to
   * its slates. A slate item's click or purchase counts once however often it is sent (a client's
   * report and the signed order of one purchase too), and only signed orders are revenue.
   */
  async armCredits(experimentId: string): Promise<ArmCredit[]> {
    const item = (type: EventType) => `COUNT(DISTINCT CASE WHEN e.type = '${type}' THEN CONCAT(e.recommendation_id, '/', e.product_id) END)`;
    const rows: { userId: string; arm: number; clicks: string | number; purchases: string | number; revenue: string | number }[] = await this.dataSource.query(
      `SELECT s.user_id AS userId, s.experiment_arm AS arm, ${item(EventType.CLICK)} AS clicks, ${item(EventType.PURCHASE)} AS purchases,
              COALESCE(SUM(CASE WHEN e.type = 'PURCHASE' AND e.verified = 1 THEN e.value END), 0) AS revenue
       FROM recommendation_slate s JOIN behaviour_event e ON e.recommendation_id = s.id AND e.user_id = s.user_id
       WHERE s.experiment_id = ? GROUP BY s.user_id, s.experiment_arm`,
      [experimentId],
    );
    return rows.map((row) => ({
      userId: row.userId,
      arm: Number(row.arm),
      clicks: Number(row.clicks),
      purchases: Number(row.purchases),
      revenue: Number(row.revenue),
    }));
  }

  // Analytics aggregates. Methods that take a `cap` bound what one shopper can add to any count,
  // for differentially private releases; null reads exact figures. Caps are integers checked by
  // the caller and written into the SQL, as LIMIT-like constants are.

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
  async productFunnels(period: Period, categoryId: string, after: { views: number; productId: string } | null, limit: number): Promise<ProductFunnelRow[]> {
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
    const histograms: SessionHistograms = {
      byEvents: new Array<number>(cap).fill(0),
      byDuration: new Array<number>(DURATION_BUCKETS.length).fill(0),
      purchaseSessions: 0,
    };
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
