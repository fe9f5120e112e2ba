import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('SubmitReviewInput')
export class SubmitReviewInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { description: '1 (worst) to 5 (best).' })
  rating!: number;

  @Field(() => String, { description: '1 to 5000 characters after trimming.' })
  text!: string;
}
