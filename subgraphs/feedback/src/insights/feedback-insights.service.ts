import { summariseFeedback, type FeedbackSummary } from '@serendip/text';
import type { InsightReview, InsightsStore } from './insights.store';
import { TopicModel } from './topic-model';

/** A category's parsed topic model and when it was stored. */
interface CachedModel {
  updatedAt: number;
  model: TopicModel;
  fittedAt: Date;
}

export interface CategoryInsights {
  summary: FeedbackSummary;
  reviewsSummarised: number;
  model: TopicModel | null;
  fittedAt: Date | null;
  products: { productId: string; reviews: number; negativeShare: number }[];
}

/** A product needs this many analysed reviews before its negative share ranks it among the most criticised. */
const MIN_RANKED_REVIEWS = 3;
const MOST_CRITICISED = 10;

function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/**
 * Feedback summaries, computed on read from the stored analyses so they reflect a review as soon
 * as the worker has analysed it. Keywords are weighed against the category's term statistics and
 * topics named by the category's topic model, both kept by TopicMaintainer; parsed models are
 * cached and re-read only when their row changes.
 */
export class FeedbackInsightsService {
  private readonly cache = new Map<string, CachedModel>();

  constructor(
    private readonly store: InsightsStore,
    /** Summaries read at most this many of the newest reviews of a product or category. */
    private readonly maxReviews: number,
  ) {}

  async productSummaries(productIds: readonly string[]): Promise<FeedbackSummary[]> {
    const reviews = await this.store.productReviews(productIds, this.maxReviews);
    const byProduct = new Map<string, InsightReview[]>(productIds.map((id) => [id, []]));
    for (const review of reviews) byProduct.get(review.productId)?.push(review);
    const categoryOf = new Map([...byProduct].map(([id, rows]) => [id, mostCommon(rows.map((row) => row.categoryId))] as const));
    const models = await this.models([...new Set([...categoryOf.values()].filter((id): id is string => id !== null))]);
    return productIds.map((id) => this.summarise(byProduct.get(id)!, models.get(categoryOf.get(id) ?? '')?.model ?? null));
  }

  async categoryInsights(categoryId: string): Promise<CategoryInsights> {
    const reviews = await this.store.categoryReviews(categoryId, this.maxReviews);
    const cached = (await this.models([categoryId])).get(categoryId) ?? null;
    const model = cached?.model ?? null;
    const byProduct = new Map<string, InsightReview[]>();
    for (const review of reviews) {
      const rows = byProduct.get(review.productId);
      if (rows) rows.push(review);
      else byProduct.set(review.productId, [review]);
    }
    const products = [...byProduct]
      .map(([productId, rows]) => {
        const analysed = rows.filter((row) => row.sentiment !== null);
        const negative = analysed.filter((row) => row.sentiment!.label === 'negative').length;
        return { productId, reviews: analysed.length, negativeShare: analysed.length > 0 ? negative / analysed.length : 0 };
      })
      .filter((product) => product.reviews >= MIN_RANKED_REVIEWS)
      .sort((a, b) => b.negativeShare - a.negativeShare || b.reviews - a.reviews || a.productId.localeCompare(b.productId))
      .slice(0, MOST_CRITICISED);
    return { summary: this.summarise(reviews, model), reviewsSummarised: reviews.length, model, fittedAt: cached?.fittedAt ?? null, products };
  }

  private summarise(reviews: readonly InsightReview[], model: TopicModel | null): FeedbackSummary {
    return summariseFeedback(reviews, {
      ...(model && {
        categoryStats: model.terms,
        topicLabels: model.labels(),
        baseline: model.aspects,
        topicBaseline: new Map(model.topics.map((topic) => [topic.topic, { polarity: topic.polarity, share: topic.size / Math.max(1, model.reviews) }])),
      }),
    });
  }

  private async models(categoryIds: readonly string[]): Promise<Map<string, CachedModel>> {
    const versions = await this.store.modelVersions(categoryIds);
    const stale = [...versions].filter(([id, updatedAt]) => this.cache.get(id)?.updatedAt !== updatedAt).map(([id]) => id);
    for (const row of await this.store.models(stale)) {
      // A model of an earlier version is left out until the topic upkeep refits it.
      const model = TopicModel.parse(row.model);
      if (model) this.cache.set(row.categoryId, { updatedAt: row.updatedAt.getTime(), model, fittedAt: row.fittedAt });
      else this.cache.delete(row.categoryId);
    }
    return new Map(categoryIds.flatMap((id) => (versions.has(id) && this.cache.has(id) ? [[id, this.cache.get(id)!] as const] : [])));
  }
}
