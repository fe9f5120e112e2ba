import { badInput, requireAdmin } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import type { FeedbackSummary as Summary, ReviewQuote as Quote } from '@serendip/text';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from '../context';
import { ProductRef, UNAVAILABLE_FEEDBACK } from '../product/product.type';
import { FeedbackInsights, FeedbackSummary, reviewAspect, type ReviewQuote } from './feedback-summary.type';

const quotes = (examples: readonly Quote[]): ReviewQuote[] => examples.map(({ reviewId, text, sentiment }) => ({ reviewId, text, sentiment }));

/** The text package's summary in GraphQL shape (aspect names become enum values). */
export function toGraphql(summary: Summary): FeedbackSummary {
  return {
    ...summary,
    aspects: summary.aspects.map((aspect) => ({ ...aspect, name: reviewAspect(aspect.name), examples: quotes(aspect.examples) })),
    suggestions: summary.suggestions.map((suggestion) => ({
      ...suggestion,
      aspect: suggestion.aspect === null ? null : reviewAspect(suggestion.aspect),
      examples: quotes(suggestion.examples),
    })),
  };
}

@Resolver(() => ProductRef)
export class ProductFeedbackResolver {
  @FieldResolver(() => FeedbackSummary, {
    nullable: true,
    description:
      "What the product's reviews say: sentiment, keywords, aspects, topics and grounded suggestions. Public. " +
      `Reflects a review as soon as the worker has analysed it; rating figures count every review.${UNAVAILABLE_FEEDBACK}`,
  })
  async feedbackSummary(@Root() product: ProductRef, @Ctx() ctx: FeedbackContext): Promise<FeedbackSummary> {
    const [summary, stats] = await Promise.all([ctx.loaders.feedbackSummary.load(product.id), ctx.loaders.productReviews.stats.load(product.id)]);
    return { ...toGraphql(summary), ratingAverage: stats.average, ratingCount: stats.count };
  }
}

@Resolver(() => FeedbackInsights)
export class FeedbackInsightsResolver {
  @Query(() => FeedbackInsights, { description: "A category's reviews distilled for merchants: summary, topics, most criticised products. Admins only." })
  async feedbackInsights(@Arg('categoryId', () => ID) categoryId: string, @Ctx() ctx: FeedbackContext): Promise<FeedbackInsights> {
    requireAdmin(ctx);
    const id = categoryId.trim();
    if (!isRowId(id)) throw badInput('categoryId must be a catalogue category id', 'categoryId');
    const insights = await ctx.insights.categoryInsights(id);
    const summary = toGraphql(insights.summary);
    const topics = (insights.model?.topics ?? [])
      .map((fitted) => {
        const seen = summary.topics.find((topic) => topic.topic === fitted.topic);
        return {
          topic: fitted.topic,
          label: fitted.label.label,
          polarity: fitted.polarity,
          coherence: fitted.coherence,
          keywords: fitted.label.keywords,
          size: seen?.size ?? 0,
          sentiment: seen?.sentiment ?? { positive: 0, neutral: 0, negative: 0 },
        };
      })
      .sort((a, b) => b.size - a.size || a.topic - b.topic);
    return {
      categoryId: id,
      summary,
      reviewsSummarised: insights.reviewsSummarised,
      topics,
      mostCriticised: insights.products,
      topicsFittedAt: insights.fittedAt,
    };
  }
}
