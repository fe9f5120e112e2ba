import { compareIds } from '@serendip/db';
import { EventType } from '../event/event-type';
import { EVENT_WEIGHTS, type EventWeights } from '../popularity/event-weights';

/**
 * Interim ranking until explore/exploit ranking lands: products popular in the categories the
 * shopper engaged with, then products popular overall. Pure, so it is tested without a database
 * and can be swapped for the real ranker behind the same inputs.
 */

/** How many of the shopper's newest events shape their category affinity. */
export const AFFINITY_WINDOW = 200;

export type RecommendationSource = 'popular-in-category' | 'popular';

export interface HistoryEvent {
  type: EventType;
  categoryId: string | null;
}

export interface PopularProduct {
  productId: string;
  categoryId: string | null;
  /** Popularity score (sum of event weights). */
  score: number;
}

export interface RankedProduct {
  productId: string;
  score: number;
  source: RecommendationSource;
  reason: string;
}

export interface CategoryAffinity {
  categoryId: string;
  /** This category's part of the shopper's weighted events, in (0, 1]; shares sum to 1. */
  share: number;
  /** The weightiest thing the shopper did in the category, to explain the recommendation. */
  strongest: EventType;
}

export interface RankingInput {
  /** The shopper's newest events, at most AFFINITY_WINDOW of them. */
  recentEvents: readonly HistoryEvent[];
  /** Never recommended again. */
  purchasedProductIds: ReadonlySet<string>;
  /**
   * The most popular products in the shopper's categories, including each category's most
   * popular product (it normalises the others), purchased products included.
   */
  categoryCandidates: readonly PopularProduct[];
  /** The most popular products overall, including the most popular one. */
  popularCandidates: readonly PopularProduct[];
  limit: number;
  weights?: EventWeights;
}

const CATEGORY_REASONS: Record<EventType, string> = {
  [EventType.PURCHASE]: 'Popular in a category you bought from',
  [EventType.CART]: 'Popular in a category you added to your cart from',
  [EventType.CLICK]: 'Popular in a category you clicked into',
  [EventType.VIEW]: 'Popular in a category you viewed',
  [EventType.SEARCH]: 'Popular in a category you searched',
};
const POPULAR_REASON = 'Popular with Serendip shoppers';

export function categoryAffinity(events: readonly HistoryEvent[], weights: EventWeights = EVENT_WEIGHTS): Map<string, CategoryAffinity> {
  const totals = new Map<string, { weight: number; strongest: EventType }>();
  let sum = 0;
  for (const event of events) {
    const weight = weights[event.type];
    if (event.categoryId === null || weight <= 0) continue;
    const total = totals.get(event.categoryId);
    if (!total) totals.set(event.categoryId, { weight, strongest: event.type });
    else {
      total.weight += weight;
      if (weight > weights[total.strongest]) total.strongest = event.type;
    }
    sum += weight;
  }
  const affinity = new Map<string, CategoryAffinity>();
  for (const [categoryId, total] of totals) {
    affinity.set(categoryId, { categoryId, share: total.weight / sum, strongest: total.strongest });
  }
  return affinity;
}

const byScoreThenId = (a: { score: number; productId: string }, b: { score: number; productId: string }) =>
  b.score - a.score || compareIds(a.productId, b.productId);

/**
 * Score of a category pick = the category's affinity share × the product's popularity relative to
 * its category's most popular product. Category picks come first, ordered by that score; globally
 * popular products (score = popularity relative to the most popular product) fill the rest, so a
 * shopper without history gets the global list. Scores compare within a source, not across.
 * Ties go to the smaller product id, so the order is fully deterministic.
 */
export function rankPopularInCategory(input: RankingInput): RankedProduct[] {
  if (input.limit <= 0) return [];
  const affinity = categoryAffinity(input.recentEvents, input.weights ?? EVENT_WEIGHTS);
  const skip = new Set(input.purchasedProductIds);

  const categoryTop = new Map<string, number>();
  for (const candidate of input.categoryCandidates) {
    if (candidate.categoryId === null) continue;
    categoryTop.set(candidate.categoryId, Math.max(categoryTop.get(candidate.categoryId) ?? 0, candidate.score));
  }
  const picks: RankedProduct[] = [];
  for (const candidate of [...input.categoryCandidates].sort(byScoreThenId)) {
    const category = candidate.categoryId === null ? undefined : affinity.get(candidate.categoryId);
    if (!category || skip.has(candidate.productId)) continue;
    skip.add(candidate.productId);
    const top = categoryTop.get(category.categoryId) ?? 0;
    picks.push({
      productId: candidate.productId,
      score: top > 0 ? category.share * (candidate.score / top) : 0,
      source: 'popular-in-category',
      reason: CATEGORY_REASONS[category.strongest],
    });
  }
  const ranked = picks.sort(byScoreThenId).slice(0, input.limit);

  const globalTop = Math.max(0, ...input.popularCandidates.map((candidate) => candidate.score));
  for (const candidate of [...input.popularCandidates].sort(byScoreThenId)) {
    if (ranked.length >= input.limit) break;
    if (skip.has(candidate.productId)) continue;
    skip.add(candidate.productId);
    ranked.push({
      productId: candidate.productId,
      score: globalTop > 0 ? candidate.score / globalTop : 0,
      source: 'popular',
      reason: POPULAR_REASON,
    });
  }
  return ranked;
}
