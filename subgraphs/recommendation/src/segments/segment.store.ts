import { decodeVector } from '@serendip/jobs';
import { SEGMENT_EVENT_TYPES, type SegmentDescription, type SegmentEventType, type SegmentModelJson, type ShopperActivity } from '@serendip/recsys';
import type { DataSource } from 'typeorm';

/** What is stored of a fit: the model, to place shoppers, and what each segment looks like. */
export interface StoredSegments {
  model: SegmentModelJson;
  segments: SegmentDescription[];
  shoppers: number;
  fittedAt: Date;
}

const EMPTY_COUNTS = (): Record<SegmentEventType, number> => ({ VIEW: 0, CLICK: 0, CART: 0, PURCHASE: 0, SEARCH: 0 });

/** Reads shoppers' activity for segmentation and stores segments. */
export class SegmentStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every shopper with events since `since` who allows personalisation (a segment is part of
   * their profile), with counts by type, category and hour, sessions, and the weighted mean of
   * their interest centroids.
   */
  async activities(since: Date): Promise<ShopperActivity[]> {
    const consenting = `NOT EXISTS (SELECT 1 FROM shopper_privacy p WHERE p.user_id = e.user_id AND (p.personalisation = 0 OR p.forgotten_at IS NOT NULL))`;
    const query = <T>(sql: string) => this.dataSource.query(sql, [since]) as Promise<T[]>;
    const [types, categories, hours, sessions] = await Promise.all([
      query<{ userId: string; type: string; n: string | number }>(
        `SELECT e.user_id AS userId, e.type AS type, COUNT(*) AS n FROM behaviour_event e WHERE e.occurred_at >= ? AND ${consenting} GROUP BY e.user_id, e.type`,
      ),
      query<{ userId: string; categoryId: string | number; n: string | number }>(
        `SELECT e.user_id AS userId, e.category_id AS categoryId, COUNT(*) AS n FROM behaviour_event e
         WHERE e.occurred_at >= ? AND e.category_id IS NOT NULL AND ${consenting} GROUP BY e.user_id, e.category_id`,
      ),
      query<{ userId: string; hour: number; n: string | number }>(
        `SELECT e.user_id AS userId, HOUR(e.occurred_at) AS hour, COUNT(*) AS n FROM behaviour_event e WHERE e.occurred_at >= ? AND ${consenting} GROUP BY e.user_id, HOUR(e.occurred_at)`,
      ),
      query<{ userId: string; n: string | number }>(
        `SELECT e.user_id AS userId, COUNT(DISTINCT e.session_id) AS n FROM behaviour_event e WHERE e.occurred_at >= ? AND ${consenting} GROUP BY e.user_id`,
      ),
    ]);
    const byUser = new Map<string, ShopperActivity & { counts: Record<SegmentEventType, number>; categories: Record<string, number>; hours: number[] }>();
    const of = (userId: string) => {
      let activity = byUser.get(userId);
      if (!activity) {
        activity = { userId, interest: null, counts: EMPTY_COUNTS(), categories: {}, hours: Array.from({ length: 24 }, () => 0), sessions: 0, keywords: [] };
        byUser.set(userId, activity);
      }
      return activity;
    };
    for (const row of types) if ((SEGMENT_EVENT_TYPES as readonly string[]).includes(row.type)) of(row.userId).counts[row.type as SegmentEventType] = Number(row.n);
    for (const row of categories) of(row.userId).categories[String(row.categoryId)] = Number(row.n);
    for (const row of hours) of(row.userId).hours[row.hour] = Number(row.n);
    for (const row of sessions) of(row.userId).sessions = Number(row.n);
    await this.addInterests(byUser);
    return [...byUser.values()];
  }

  private async addInterests(byUser: Map<string, ShopperActivity>): Promise<void> {
    const rows: { userId: string; profile: string }[] = await this.dataSource.query('SELECT user_id AS userId, profile FROM interest_profile');
    for (const row of rows) {
      const activity = byUser.get(row.userId);
      if (!activity) continue;
      const profile = JSON.parse(row.profile) as { interests: { centroid: string; weight: number; keywords: { term: string; weight: number }[] }[] };
      if (profile.interests.length === 0) continue;
      const centroids = profile.interests.map((interest) => decodeVector(interest.centroid));
      const dimension = centroids[0]!.length;
      if (centroids.some((centroid) => centroid.length !== dimension)) continue;
      const sum = new Float32Array(dimension);
      profile.interests.forEach((interest, index) => centroids[index]!.forEach((value, i) => (sum[i] = sum[i]! + interest.weight * value)));
      const length = Math.hypot(...sum);
      Object.assign(activity, {
        interest: length > 0 ? sum.map((value) => value / length) : null,
        keywords: profile.interests.flatMap((interest) => interest.keywords.map((keyword) => ({ term: keyword.term, weight: keyword.weight * interest.weight }))),
      });
    }
  }

  /** Replaces the model and every assignment in one transaction. */
  async save(stored: StoredSegments, assignments: ReadonlyMap<string, number>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO segment_model (id, model, shoppers, fitted_at) VALUES (1, ?, ?, ?)
         ON DUPLICATE KEY UPDATE model = VALUES(model), shoppers = VALUES(shoppers), fitted_at = VALUES(fitted_at)`,
        [JSON.stringify({ model: stored.model, segments: stored.segments }), stored.shoppers, stored.fittedAt],
      );
      await manager.query('DELETE FROM shopper_segment');
      const rows = [...assignments];
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await manager.query(
          `INSERT INTO shopper_segment (user_id, segment, assigned_at) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
          chunk.flatMap(([userId, segment]) => [userId, segment, stored.fittedAt]),
        );
      }
    });
  }

  /** Replaces the descriptions of a stored fit (new labels); a later fit is left alone. */
  async relabel(stored: StoredSegments, segments: readonly SegmentDescription[]): Promise<void> {
    await this.dataSource.query('UPDATE segment_model SET model = ? WHERE id = 1 AND fitted_at = ?', [JSON.stringify({ model: stored.model, segments }), stored.fittedAt]);
  }

  async load(): Promise<StoredSegments | null> {
    const rows: { model: string; shoppers: number; fittedAt: Date }[] = await this.dataSource.query(
      'SELECT model, shoppers, fitted_at AS fittedAt FROM segment_model WHERE id = 1',
    );
    const row = rows[0];
    if (!row) return null;
    const parsed = JSON.parse(row.model) as { model: SegmentModelJson; segments: SegmentDescription[] };
    return { ...parsed, shoppers: row.shoppers, fittedAt: row.fittedAt };
  }

  /** Every shopper's segment as of the last fit. */
  async assignments(): Promise<Map<string, number>> {
    const rows: { userId: string; segment: number }[] = await this.dataSource.query('SELECT user_id AS userId, segment FROM shopper_segment');
    return new Map(rows.map((row) => [row.userId, row.segment]));
  }

  async segmentsOf(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows: { userId: string; segment: number }[] = await this.dataSource.query(
      'SELECT user_id AS userId, segment FROM shopper_segment WHERE user_id IN (?)',
      [userIds],
    );
    return new Map(rows.map((row) => [row.userId, row.segment]));
  }
}
