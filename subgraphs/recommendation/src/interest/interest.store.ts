import { decodeVector, encodeVector } from '@serendip/jobs';
import type { InterestProfile } from '@serendip/recsys';
import { In, type DataSource } from 'typeorm';
import { EventType } from '../event/event-type';
import { InterestProfileEntity } from './interest-profile.entity';

/** InterestProfile as stored: vectors as base64 float32 (encodeVector). */
interface StoredProfile {
  interests: (Omit<InterestProfile['interests'][number], 'centroid'> & { centroid: string })[];
  avoid: { centroid: string; strength: number }[];
}

export interface SavedProfile {
  userId: string;
  profile: InterestProfile;
  signals: number;
  model: string;
  modelVersion: string;
  updatedAt: Date;
}

/** One event as interest recognition reads it. */
export interface InterestEvent {
  type: EventType;
  productId: string | null;
  categoryId: string | null;
  query: string | null;
  occurredAt: Date;
}

/** How many of a shopper's newest events shape their interests. */
export const INTEREST_WINDOW = 200;
/**
 * A product shown in this many different hours without a click counts as a negative signal.
 * Hours, not slates: a live page can receive a dozen slates in a minute, and a product in all of
 * them was passed over once, not a dozen times.
 */
export const SKIPPED_IMPRESSIONS = 3;
/** How far back skipped impressions are looked for. */
const SKIP_WINDOW_MS = 14 * 24 * 3600 * 1000;

function encode(profile: InterestProfile): string {
  const stored: StoredProfile = {
    interests: profile.interests.map((interest) => ({ ...interest, centroid: encodeVector(interest.centroid) })),
    avoid: profile.avoid.map((avoid) => ({ centroid: encodeVector(avoid.centroid), strength: avoid.strength })),
  };
  return JSON.stringify(stored);
}

function decode(text: string): InterestProfile {
  const stored = JSON.parse(text) as StoredProfile;
  return {
    interests: stored.interests.map((interest) => ({ ...interest, centroid: decodeVector(interest.centroid) })),
    avoid: stored.avoid.map((avoid) => ({ centroid: decodeVector(avoid.centroid), strength: avoid.strength })),
  };
}

/**
 * Interest profiles in the recommendation database. The worker writes them (it has the models);
 * the subgraph reads them to rank. Both go through this class, so the stored shape has one owner.
 */
export class InterestStore {
  constructor(private readonly dataSource: DataSource) {}

  async save(saved: SavedProfile): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(InterestProfileEntity)
      .values({
        userId: saved.userId,
        profile: encode(saved.profile),
        signals: saved.signals,
        model: saved.model,
        modelVersion: saved.modelVersion,
        updatedAt: saved.updatedAt,
      })
      .orUpdate(['profile', 'signals', 'model', 'model_version', 'updated_at'], ['user_id'])
      .updateEntity(false)
      .execute();
  }

  async load(userIds: readonly string[]): Promise<Map<string, SavedProfile>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(InterestProfileEntity).findBy({ userId: In([...userIds]) });
    return new Map(rows.map((row) => [row.userId, { ...row, profile: decode(row.profile) }]));
  }

  async remove(userId: string): Promise<void> {
    await this.dataSource.getRepository(InterestProfileEntity).delete({ userId });
  }

  /** The shopper's newest INTEREST_WINDOW events, newest first. */
  async recentEvents(userId: string): Promise<InterestEvent[]> {
    const rows: (Omit<InterestEvent, 'occurredAt'> & { occurredAt: Date | string })[] = await this.dataSource.query(
      `SELECT type, product_id AS productId, category_id AS categoryId, query, occurred_at AS occurredAt
       FROM behaviour_event WHERE user_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      [userId, INTEREST_WINDOW],
    );
    return rows.map((row) => ({ ...row, productId: row.productId === null ? null : String(row.productId), categoryId: row.categoryId === null ? null : String(row.categoryId), occurredAt: new Date(row.occurredAt) }));
  }

  /**
   * Products shown to the shopper in at least SKIPPED_IMPRESSIONS different hours lately that they
   * never clicked, carted or bought: repeatedly passed over, so a mild negative signal.
   */
  async skippedProducts(userId: string, now: Date): Promise<{ productId: string; impressions: number; lastShownAt: Date }[]> {
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
      [userId, new Date(now.getTime() - SKIP_WINDOW_MS), EventType.CLICK, EventType.CART, EventType.PURCHASE, SKIPPED_IMPRESSIONS],
    );
    return rows.map((row) => ({ productId: String(row.productId), impressions: Number(row.impressions), lastShownAt: new Date(row.lastShownAt) }));
  }
}
