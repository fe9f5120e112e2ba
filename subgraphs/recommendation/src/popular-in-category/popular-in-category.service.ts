import type { EventStore } from '../event/event.store';
import { EventType } from '../event/event-type';
import type { PopularityStore } from '../popularity/popularity.store';
import { AFFINITY_WINDOW, categoryAffinity, rankPopularInCategory, type HistoryEvent, type PopularProduct, type RankedProduct } from './popular-in-category';

/** recommendations never returns more than this many products. */
export const MAX_RECOMMENDATIONS = 50;

interface ShopperHistory {
  recentEvents: HistoryEvent[];
  purchasedProductIds: Set<string>;
}

/**
 * User.recommendations: popular products of the categories each shopper engages with, then the
 * most popular overall (rankPopularInCategory). Reads what the ranking needs for a batch of
 * shoppers with at most three queries whatever the batch size: their histories, the popular
 * products of all their categories, the global top. Only the history of shoppers who allow
 * personalisation is read; the others get the global list, the same for all of them.
 */
export class PopularInCategoryService {
  constructor(
    private readonly events: EventStore,
    private readonly popularity: PopularityStore,
  ) {}

  /** `personalised`: the shoppers among `userIds` whose history may shape their list. */
  async forUsers(userIds: readonly string[], personalised: ReadonlySet<string>): Promise<RankedProduct[][]> {
    const histories = await this.histories(userIds.filter((userId) => personalised.has(userId)));
    const categories = new Set<string>();
    let mostPurchased = 0;
    for (const history of histories.values()) {
      for (const categoryId of categoryAffinity(history.recentEvents).keys()) categories.add(categoryId);
      mostPurchased = Math.max(mostPurchased, history.purchasedProductIds.size);
    }
    // Purchased products are dropped after the fetch, so fetch enough that a full list survives.
    const [categoryCandidates, popularCandidates] = await Promise.all([
      this.popularity.topInCategories([...categories], MAX_RECOMMENDATIONS + mostPurchased),
      this.popularity.top(2 * MAX_RECOMMENDATIONS + mostPurchased),
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
    if (userIds.length === 0) return new Map();
    const rows = await this.events.histories(userIds, AFFINITY_WINDOW);
    const histories = new Map<string, ShopperHistory>();
    for (const row of rows) {
      let history = histories.get(row.userId);
      if (!history) {
        history = { recentEvents: [], purchasedProductIds: new Set() };
        histories.set(row.userId, history);
      }
      if (row.position <= AFFINITY_WINDOW) history.recentEvents.push({ type: row.type, categoryId: row.categoryId });
      if (row.type === EventType.PURCHASE && row.productId !== null) history.purchasedProductIds.add(row.productId);
    }
    return histories;
  }
}
