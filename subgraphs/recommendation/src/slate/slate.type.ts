import { Field, ID, ObjectType } from 'type-graphql';
import { SlateExperiment } from '../experiments/experiment.types';
import { Recommendation } from '../recommendation/recommendation.type';
import { RecommendationSlot } from './slot';

@ObjectType('RecommendationSlate', {
  description: 'The products served to one shopper in one slot at one moment, best first, as logged for evaluation.',
})
export class RecommendationSlate {
  @Field(() => ID, { description: 'Send it back with CLICK, CART and PURCHASE events about these products (TrackEventInput.recommendationId).' })
  recommendationId!: string;

  @Field(() => RecommendationSlot)
  slot!: RecommendationSlot;

  @Field(() => String, { description: 'The policy that chose the slate, as name@version.' })
  policy!: string;

  @Field(() => Date)
  generatedAt!: Date;

  @Field(() => SlateExperiment, { nullable: true, description: 'The experiment arm that chose this slate; null outside experiments.' })
  experiment!: SlateExperiment | null;

  @Field(() => String, {
    nullable: true,
    description: 'The sequence model version whose prediction fed this slate (as logged); null when the shopper had no sequence query for the serving version.',
  })
  sequenceModelVersion!: string | null;

  @Field(() => Boolean, {
    description:
      "Whether the shopper's own behaviour and interests could shape this slate. False without personalisation consent: then it holds trending and fresh products only, the same for every such shopper.",
  })
  personalised!: boolean;

  @Field(() => [Recommendation])
  items!: Recommendation[];
}
