import { Field, Float, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum PrivacyMechanism {
  LAPLACE = 'LAPLACE',
  GAUSSIAN = 'GAUSSIAN',
}

registerEnumType(PrivacyMechanism, {
  name: 'PrivacyMechanism',
  description: 'How noise is added to a differentially private release.',
  valuesConfig: {
    LAPLACE: { description: 'Laplace noise of scale sensitivity (L1) / epsilon: pure epsilon-differential privacy, no delta.' },
    GAUSSIAN: {
      description: 'Gaussian noise of sigma = sensitivity (L2) * sqrt(2 ln(1.25 / delta)) / epsilon: (epsilon, delta)-differential privacy, epsilon at most 1.',
    },
  },
});

@ObjectType('PrivacyRelease', { description: 'How a differentially private result was released.' })
export class PrivacyRelease {
  @Field(() => PrivacyMechanism)
  mechanism!: PrivacyMechanism;

  @Field(() => Float, { description: 'Privacy loss of this release, charged to your budget.' })
  epsilon!: number;

  @Field(() => Float, { nullable: true, description: 'Probability that the epsilon bound fails; null for LAPLACE.' })
  delta!: number | null;

  @Field(() => Float, { description: 'Laplace b or Gaussian sigma of the noise added to every count.' })
  scale!: number;

  @Field(() => Float, { description: 'The most one shopper can change the released counts together (L1 for LAPLACE, L2 for GAUSSIAN).' })
  sensitivity!: number;

  @Field(() => Float, { description: 'Your epsilon left after this release.' })
  budgetRemaining!: number;

  @Field(() => Float, { description: 'Your delta left after this release.' })
  budgetRemainingDelta!: number;
}

@ObjectType('PlatformPrivacyBudget', {
  description: "What all analysts' private releases may spend together in the current period, whatever their own budgets say.",
})
export class PlatformPrivacyBudget {
  @Field(() => GraphQLISODateTime)
  periodStart!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the next period, with a fresh total, begins.' })
  periodEnd!: Date;

  @Field(() => Float, { description: 'Epsilon.' })
  total!: number;

  @Field(() => Float)
  spent!: number;

  @Field(() => Float)
  remaining!: number;

  @Field(() => Float)
  totalDelta!: number;

  @Field(() => Float)
  spentDelta!: number;

  @Field(() => Float)
  remainingDelta!: number;
}

@ObjectType('PrivacyBudget', {
  description:
    "An analyst's differential-privacy budget: the epsilon and the delta their private releases may spend in all; a release is paid from it and from the platform's.",
})
export class PrivacyBudget {
  @Field(() => ID, { description: 'The admin whose budget it is (their user id, lowercase).' })
  analystId!: string;

  @Field(() => Float, { description: 'Epsilon.' })
  total!: number;

  @Field(() => Float)
  spent!: number;

  @Field(() => Float)
  remaining!: number;

  @Field(() => Float)
  totalDelta!: number;

  @Field(() => Float)
  spentDelta!: number;

  @Field(() => Float)
  remainingDelta!: number;

  @Field(() => PlatformPrivacyBudget)
  platform!: PlatformPrivacyBudget;
}
