import { ratingTextMismatch, type Rating } from '@serendip/text';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from '../context';
import { reviewAspect } from '../insights/feedback-summary.type';
import type { StoredAspect } from './review-analysis.store';
import { Review } from '../review/review.type';
import { ReviewAnalysis, ReviewFlag } from './review-analysis.type';

@Resolver(() => Review)
export class ReviewAnalysisResolver {
  @FieldResolver(() => ReviewAnalysis, { nullable: true, description: 'Sentiment read by the worker; PENDING until it has, FAILED if it could not.' })
  async analysis(@Root() review: Review, @Ctx() ctx: FeedbackContext): Promise<ReviewAnalysis | null> {
    const row = await ctx.loaders.analysis.load(review.id);
    if (!row) return null;
    const sentiment = row.sentiment !== null && row.sentimentScore !== null ? { label: row.sentiment, score: row.sentimentScore } : null;
    const scores = row.scores === null ? undefined : (JSON.parse(row.scores) as Record<string, number>);
    const aspects = row.aspects === null ? [] : (JSON.parse(row.aspects) as StoredAspect[]);
    return {
      status: row.status,
      sentiment,
      keywords: row.keywords === null ? [] : (JSON.parse(row.keywords) as string[]),
      aspects: aspects.map((mention) => ({ ...mention, aspect: reviewAspect(mention.aspect) })),
      flags: sentiment && ratingTextMismatch(review.rating as Rating, { ...sentiment, ...(scores && { scores }) }) ? [ReviewFlag.RATING_TEXT_MISMATCH] : [],
      model: row.model !== null ? `${row.model}@${row.modelVersion}` : null,
      analysedAt: row.analysedAt,
    };
  }
}
