import { Field, Float, Int, ObjectType } from 'type-graphql';
import { UserRef } from '../user/user-ref.type';

@ObjectType('AudienceSegment', { description: 'A shopper segment as the audience sees it.' })
export class AudienceSegment {
  @Field(() => Int)
  segment!: number;

  @Field(() => String, { description: "The segment's label at the last refit; empty when the refit had none." })
  label!: string;

  @Field(() => Int, { description: 'Its members among the scored shoppers.' })
  size!: number;

  @Field(() => Int, { description: 'Its members in the audience.' })
  inAudience!: number;

  @Field(() => Float, { description: '100 × its share of the audience / its share of the scored shoppers: 100 is no different from everyone.' })
  index!: number;

  @Field(() => Float, { description: 'Members who had an event on a target product / size (smoothed by half a shopper over one more).' })
  responseRate!: number;

  @Field(() => Float, { description: 'responseRate × size: responders if the whole segment were targeted.' })
  expectedResponders!: number;
}

@ObjectType('AudienceShopper')
export class AudienceShopper {
  @Field(() => UserRef)
  user!: UserRef;

  @Field(() => Float, { description: 'Weighted sum of the signals (docs/behaviour.md); comparable only within one audience.' })
  score!: number;

  @Field(() => Float, { description: "Estimated chance of responding: the shopper's segment's response rate (the overall rate without a segment)." })
  probability!: number;
}

@ObjectType('Audience', { description: 'The consenting shoppers most likely to respond to a product, a brand or a text, for a campaign.' })
export class Audience {
  @Field(() => String, { description: 'What the audience is for, e.g. "product 42", "brand Acme (12 products)", "text \\"red shoes\\" (20 products)".' })
  target!: string;

  @Field(() => Int, { description: 'Shoppers in the audience (at most limit).' })
  size!: number;

  @Field(() => Float, { description: "Sum of the shoppers' probabilities: responders to expect, a conservative estimate (docs/behaviour.md)." })
  expectedReach!: number;

  @Field(() => [AudienceSegment], { description: 'Segments with members among the scored shoppers, highest index first.' })
  segments!: AudienceSegment[];

  @Field(() => [AudienceShopper], { description: 'Best first.' })
  shoppers!: AudienceShopper[];
}
