import type { DataSource } from 'typeorm';
import { EventType } from '../event/event-type';
import {
  AFFINITY_WINDOW,
  categoryAffinity,
  rankPopularInCategory,
  type HistoryEvent,
  type PopularProduct,
  type RankedProduct,
} from './popular-in-category';

/** recommendations never returns more than this many products. */
export const MAX_RECOMMENDATIONS = 50;

interface HistoryRow {
  userId: string;
  type: EventType;
  productId: string | null;
  categoryId: string | null;
  /** 1 for the newest event; ROW_NUMBER() is a BIGINT, read as a string. */
  position: string;
}

interface ShopperHistory {
  recentEvents: HistoryEvent[];
  purchasedProductIds: Set<string>;
}

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/**
 * Reads what the ranking needs for a batch of shoppers with at most three queries whatever the
 * batch size: their histories, the popular products of all their categories, the global top.
 */
export class RecommendationService {
  constructor(private readonly dataSource: DataSource) {}

  async forUsers(userIds: readonly string[]): Promise<RankedProduct[][]> {
    const histories = await this.histories(userIds);
    const categories = new Set<string>();
    let mostPurchased = 0;
    for (const history of histories.values()) {
      for (const categoryId of categoryAffinity(history.recentEvents).keys()) categories.add(categoryId);
      mostPurchased = Math.max(mostPurchased, history.purchasedProductIds.size);
    }
    // Purchased products are dropped after the fetch, so fetch enough that a full list survives.
    const [categoryCandidates, popularCandidates] = await Promise.all([
      this.popularInCategories([...categories], MAX_RECOMMENDATIONS + mostPurchased),
      this.popular(2 * MAX_RECOMMENDATIONS + mostPurchased),
    ]);
    const byCategory = new Map<string, PopularProduct[]>();
    for (const candidate of categoryCandidates) {
      const key = candidate.categoryId ?? '';
      const group = byCategory.get(key);
      if (group) group.push(candidate);
      else byCategory.set(key, [candidate]);
    }
    return userIds.map((userId) => {
      const history = histories.get(userId) ?? { recentEvents: [], purchasedProductIds: new Set<string>() };
      const mine = [...categoryAffinity(history.recentEvents).keys()].flatMap((categoryId) => byCategory.get(categoryId) ?? []);
      return rankPopularInCategory({
        recentEvents: history.recentEvents,
        purchasedProductIds: history.purchasedProductIds,
        categoryCandidates: mine,
        popularCandidates,
        limit: MAX_RECOMMENDATIONS,
      });
    });
  }

  /** Each shopper's newest AFFINITY_WINDOW events plus all their purchases, in one query. */
  private async histories(userIds: readonly string[]): Promise<Map<string, ShopperHistory>> {
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT user_id AS userId, type, product_id AS productId, category_id AS categoryId, position
       FROM (
         SELECT user_id, type, product_id, category_id,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY occurred_at DESC, id DESC) AS position
         FROM behaviour_event
         WHERE user_id IN (${placeholders(userIds)})
       ) AS history
       WHERE position <= ? OR type = ?`,
      [...userIds, AFFINITY_WINDOW, EventType.PURCHASE],
    );
    const histories = new Map<string, ShopperHistory>();
    for (const row of rows) {
      let history = histories.get(row.userId);
      if (!history) {
        history = { recentEvents: [], purchasedProductIds: new Set() };
        histories.set(row.userId, history);
      }
      if (Number(row.position) <= AFFINITY_WINDOW) history.recentEvents.push({ type: row.type, categoryId: row.categoryId });
      if (row.type === EventType.PURCHASE && row.productId !== null) history.purchasedProductIds.add(row.productId);
    }
    return histories;
  }

  /** The `perCategory` most popular products of each category, in one query. */
  private async popularInCategories(categoryIds: string[], perCategory: number): Promise<PopularProduct[]> {
    if (categoryIds.length === 0) return [];
    const rows: { productId: string; categoryId: string; score: number }[] = await this.dataSource.query(
      `SELECT product_id AS productId, category_id AS categoryId, score
       FROM (
         SELECT product_id, category_id, score,
           ROW_NUMBER() OVER (PARTITION BY category_id ORDER BY score DESC, product_id) AS position
         FROM product_popularity
         WHERE category_id IN (${placeholders(categoryIds)})
       ) AS ranked
       WHERE position <= ?`,
      [...categoryIds, perCategory],
    );
    return rows.map((row) => ({ ...row, score: Number(row.score) }));
  }

  private async popular(limit: number): Promise<PopularProduct[]> {
    const rows: { productId: string; categoryId: string | null; score: number }[] = await this.dataSource.query(
      `SELECT product_id AS productId, category_id AS categoryId, score
       FROM product_popularity
       ORDER BY score DESC, product_id
       LIMIT ?`,
      [limit],
    );
    return rows.map((row) => ({ ...row, score: Number(row.score) }));
  }
}
