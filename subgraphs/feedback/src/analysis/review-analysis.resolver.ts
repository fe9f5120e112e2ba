import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from '../context';
import { Review } from '../review/review.type';
import { ReviewAnalysis } from './review-analysis.type';

@Resolver(() => Review)
export class ReviewAnalysisResolver {
  @FieldResolver(() => ReviewAnalysis, { nullable: true, description: 'Sentiment read by the worker; PENDING until it has, FAILED if it could not.' })
  async analysis(@Root() review: Review, @Ctx() ctx: FeedbackContext): Promise<ReviewAnalysis | null> {
    const row = await ctx.loaders.analysis.load(review.id);
    if (!row) return null;
    return {
      status: row.status,
      sentiment: row.sentiment !== null && row.sentimentScore !== null ? { label: row.sentiment, score: row.sentimentScore } : null,
      model: row.model !== null ? `${row.model}@${row.modelVersion}` : null,
      analysedAt: row.analysedAt,
    };
  }
}
