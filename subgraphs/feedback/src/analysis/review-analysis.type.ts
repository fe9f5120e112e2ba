import { Field, Float, GraphQLISODateTime, ObjectType, registerEnumType } from 'type-graphql';
import { ReviewAspect } from '../insights/feedback-summary.type';
import { AnalysisStatus } from './analysis-status';

export enum ReviewFlag {
  RATING_TEXT_MISMATCH = 'RATING_TEXT_MISMATCH',
}

registerEnumType(ReviewFlag, {
  name: 'ReviewFlag',
  description: 'Something about a review worth a second look. Flags are shown, never acted on silently.',
  valuesConfig: {
    RATING_TEXT_MISMATCH: { description: '1–2 stars with glowing text, or 4–5 stars with a complaint (P ≥ 0.8): a wrong star or sarcasm.' },
  },
});

@ObjectType('ReviewAspectMention', { description: "An aspect named in one clause of the review, with that clause's sentiment." })
export class ReviewAspectMention {
  @Field(() => ReviewAspect)
  aspect!: ReviewAspect;

  @Field(() => String, { description: '`negative`, `neutral` or `positive`.' })
  sentiment!: string;

  @Field(() => Float, { description: 'Probability of the sentiment.' })
  score!: number;

  @Field(() => String, { description: 'The clause, word for word.' })
  clause!: string;
}

@ObjectType('ReviewSentiment')
export class ReviewSentiment {
  @Field(() => String, { description: '`negative`, `neutral` or `positive`.' })
  label!: string;

  @Field(() => Float, { description: 'Probability of the label.' })
  score!: number;
}

@ObjectType('ReviewAnalysis', { description: 'What the worker made of a review.' })
export class ReviewAnalysis {
  @Field(() => AnalysisStatus)
  status!: AnalysisStatus;

  @Field(() => ReviewSentiment, { nullable: true, description: 'Null until analysed.' })
  sentiment!: ReviewSentiment | null;

  @Field(() => [String], { description: "The review's own keywords, best first; empty until analysed." })
  keywords!: string[];

  @Field(() => [ReviewAspectMention], { description: 'Aspects named, clause by clause; empty until analysed.' })
  aspects!: ReviewAspectMention[];

  @Field(() => [ReviewFlag])
  flags!: ReviewFlag[];

  @Field(() => String, { nullable: true, description: 'The model that read it, as name@version.' })
  model!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was analysed, or when its analysis failed for good.' })
  analysedAt!: Date | null;
}
