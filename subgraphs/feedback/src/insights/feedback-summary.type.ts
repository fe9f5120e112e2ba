import { ASPECT_NAMES, type AspectName } from '@serendip/text';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** GraphQL enum values are upper case; the stored aspect names are lower case. */
export enum ReviewAspect {
  QUALITY = 'quality',
  SIZE_FIT = 'size_fit',
  LOGISTICS = 'logistics',
  PRICE = 'price',
  SERVICE = 'service',
  PACKAGING = 'packaging',
  APPEARANCE = 'appearance',
  COMFORT = 'comfort',
  TASTE = 'taste',
  PERFORMANCE = 'performance',
}

registerEnumType(ReviewAspect, {
  name: 'ReviewAspect',
  description: 'What a praise or complaint is about.',
  valuesConfig: {
    QUALITY: { description: 'Material, workmanship, durability, defects, genuine or fake.' },
    SIZE_FIT: { description: "Size, cut and fit of clothes; a product's physical size." },
    LOGISTICS: { description: 'Shipping and delivery, their speed, the courier.' },
    PRICE: { description: 'Price and value for money.' },
    SERVICE: { description: 'Seller and customer service, returns and refunds, staff.' },
    PACKAGING: { description: 'Boxes, bags, wrapping, spills in transit.' },
    APPEARANCE: { description: 'Colour, style, design, likeness to the pictures.' },
    COMFORT: { description: 'How it feels to wear or hold.' },
    TASTE: { description: 'Taste, freshness, temperature and portion of food.' },
    PERFORMANCE: { description: 'Battery, speed, screen, system, heat, noise of devices.' },
  },
});

const ASPECTS = new Set<string>(ASPECT_NAMES);

export function reviewAspect(name: string): ReviewAspect {
  if (!ASPECTS.has(name)) throw new Error(`unknown aspect ${name}`);
  return name as AspectName as ReviewAspect;
}

@ObjectType('SentimentShare', { description: 'Shares of analysed items by sentiment; each 0 when there are none.' })
export class SentimentShare {
  @Field(() => Float)
  positive!: number;

  @Field(() => Float)
  neutral!: number;

  @Field(() => Float)
  negative!: number;
}

@ObjectType('ReviewQuote', { description: 'A clause quoted word for word from a review: the evidence behind a summary.' })
export class ReviewQuote {
  @Field(() => ID)
  reviewId!: string;

  @Field(() => String)
  text!: string;

  @Field(() => String, { description: '`negative`, `neutral` or `positive`: the sentiment of the quoted clause.' })
  sentiment!: string;
}

@ObjectType('FeedbackKeyword')
export class FeedbackKeyword {
  @Field(() => String)
  term!: string;

  @Field(() => Float, { description: 'TF-IDF against the category: higher is more particular to these reviews.' })
  weight!: number;

  @Field(() => Int, { description: 'Reviews that use the term.' })
  reviews!: number;
}

@ObjectType('AspectSummary')
export class AspectSummary {
  @Field(() => ReviewAspect)
  name!: ReviewAspect;

  @Field(() => Int, { description: 'Clauses that name the aspect.' })
  count!: number;

  @Field(() => Int, { description: 'Reviews that name the aspect.' })
  reviews!: number;

  @Field(() => SentimentShare, { description: 'Sentiment of those clauses.' })
  sentiment!: SentimentShare;

  @Field(() => Float, { description: 'Positive share minus negative share, from -1 to 1.' })
  score!: number;

  @Field(() => [ReviewQuote])
  examples!: ReviewQuote[];
}

@ObjectType('TopicSummary', {
  description:
    "What a group of the category's reviews of one polarity talk about (found within the polarity, so that topics are subjects, not praise against complaint), labelled by its most particular words.",
})
export class TopicSummary {
  @Field(() => Int, { description: "The topic's index in its category." })
  topic!: number;

  @Field(() => String)
  label!: string;

  @Field(() => String, {
    nullable: true,
    description: '`negative`, `neutral` or `positive`: the sentiment of the reviews the topic was found in; null when the category model is not known.',
  })
  polarity!: string | null;

  @Field(() => Int, { description: 'Analysed reviews in the topic (of this product, or of the category).' })
  size!: number;

  @Field(() => SentimentShare)
  sentiment!: SentimentShare;
}

@ObjectType('FeedbackSuggestion', { description: 'What to improve, with its evidence: never without quoted reviews.' })
export class FeedbackSuggestion {
  @Field(() => String)
  text!: string;

  @Field(() => Int, { description: "Reviews that speak to it: those that mention the aspect, or the product's analysed reviews for a topic." })
  evidenceCount!: number;

  @Field(() => Int, { description: 'Reviews among them that complain: what suggestions are ranked by.' })
  complaints!: number;

  @Field(() => Float, { description: 'complaints / evidenceCount.' })
  negativeShare!: number;

  @Field(() => Float, {
    description:
      "The complaint rate it is tested against: the category's (all aspects pooled, or the topic's share), or the product's own without a category model.",
  })
  baselineShare!: number;

  @Field(() => Float, { description: 'One-sided exact binomial p-value of this many complaints at the baseline rate; shown only when significant.' })
  pValue!: number;

  @Field(() => ReviewAspect, { nullable: true })
  aspect!: ReviewAspect | null;

  @Field(() => Int, { nullable: true, description: 'The topic it comes from, when it comes from a topic.' })
  topic!: number | null;

  @Field(() => [ReviewQuote])
  examples!: ReviewQuote[];
}

@ObjectType('FeedbackSummary', { description: 'What reviews say, distilled.' })
export class FeedbackSummary {
  @Field(() => Float, { nullable: true, description: 'Mean rating of all reviews; null when there are none.' })
  ratingAverage!: number | null;

  @Field(() => Int)
  ratingCount!: number;

  @Field(() => Int, { description: 'Reviews the worker has analysed among those summarised.' })
  analysedCount!: number;

  @Field(() => Int, { description: 'Analysed reviews whose stars and text disagree (1–2 stars with glowing text, 4–5 with a complaint).' })
  flaggedCount!: number;

  @Field(() => SentimentShare, { description: 'Over analysed reviews.' })
  sentiment!: SentimentShare;

  @Field(() => [FeedbackKeyword])
  topKeywords!: FeedbackKeyword[];

  @Field(() => [AspectSummary], { description: 'Most mentioned first.' })
  aspects!: AspectSummary[];

  @Field(() => [TopicSummary], { description: 'Largest first.' })
  topics!: TopicSummary[];

  @Field(() => [FeedbackSuggestion], { description: 'At most five, most complaining reviews first; each significantly above its baseline.' })
  suggestions!: FeedbackSuggestion[];
}

@ObjectType('CategoryTopic', { description: "One of a category's review topics." })
export class CategoryTopic extends TopicSummary {
  @Field(() => Float, {
    nullable: true,
    description: "NPMI coherence of its top ten keywords over the category's reviews, −1..1; null with fewer than two keywords.",
  })
  coherence!: number | null;

  @Field(() => [FeedbackKeyword], { description: 'The words that set the topic apart, best first.' })
  keywords!: FeedbackKeyword[];
}

@ObjectType('ProductFeedbackRank')
export class ProductFeedbackRank {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int)
  reviews!: number;

  @Field(() => Float, { description: 'Share of its analysed reviews that are negative.' })
  negativeShare!: number;
}

@ObjectType('FeedbackInsights', { description: "A category's reviews distilled for merchants." })
export class FeedbackInsights {
  @Field(() => ID)
  categoryId!: string;

  @Field(() => FeedbackSummary, { description: 'Over the newest reviews of the category (see `reviewsSummarised`).' })
  summary!: FeedbackSummary;

  @Field(() => Int)
  reviewsSummarised!: number;

  @Field(() => [CategoryTopic], { description: "The category's topics as last fitted, largest first; empty while it has too few analysed reviews." })
  topics!: CategoryTopic[];

  @Field(() => [ProductFeedbackRank], { description: 'Products with the largest share of negative reviews first (at least 3 analysed reviews).' })
  mostCriticised!: ProductFeedbackRank[];

  @Field(() => Date, { nullable: true, description: 'When the topics were last fitted.' })
  topicsFittedAt!: Date | null;
}
