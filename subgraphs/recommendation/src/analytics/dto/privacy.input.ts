import { Field, Float, InputType } from 'type-graphql';
import { PrivacyMechanism } from '../privacy.type';

@InputType('PrivacyInput', {
  description: 'Release with differential privacy: counts get calibrated noise and epsilon is charged to your privacy budget before anything is computed.',
})
export class PrivacyInput {
  @Field(() => Float, { description: 'Privacy loss to spend; more means less noise. Greater than 0 (at most 1 for GAUSSIAN).' })
  epsilon!: number;

  @Field(() => PrivacyMechanism, { defaultValue: PrivacyMechanism.LAPLACE })
  mechanism!: PrivacyMechanism;

  @Field(() => Float, { nullable: true, description: 'GAUSSIAN only: probability that the epsilon bound fails, in (0, 1). @default 1e-6' })
  delta?: number | null;
}
