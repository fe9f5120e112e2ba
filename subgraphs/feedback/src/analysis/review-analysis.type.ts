import { Field, Float, GraphQLISODateTime, ObjectType } from 'type-graphql';
import { AnalysisStatus } from './analysis-status';

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

  @Field(() => String, { nullable: true, description: 'The model that read it, as name@version.' })
  model!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was analysed, or when its analysis failed for good.' })
  analysedAt!: Date | null;
}
