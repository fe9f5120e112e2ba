import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RecommendationSlot } from '../slate/slot';
import { BanditPolicy, ExperimentAllocation, ExperimentMetric, ExperimentStatus, Guardrail } from './experiment.enums';

@InputType('ExperimentArmInput')
export class ExperimentArmInput {
  @Field(() => String, { description: 'Unique within the experiment, 1 to 40 characters.' })
  name!: string;

  @Field(() => BanditPolicy)
  policy!: BanditPolicy;

  @Field(() => Float, { description: 'Exploration strength in [0, 1]: 0 exploits only.' })
  exploration!: number;

  @Field(() => Float, { nullable: true, description: 'MMR λ in [0, 1] (1 ignores diversity); the serving default 0.8 when omitted.' })
  diversity?: number | null;

  @Field(() => Float, { nullable: true, description: 'Traffic share (FIXED allocation); shares are normalised, equal when all are omitted.' })
  share?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The sequence model version this arm's slates use (sequenceModelVersions lists them), so two versions can be compared side by side; the serving version, following each retrain, when omitted.",
  })
  sequenceModelVersion?: string | null;
}

@InputType('CreateExperimentInput')
export class CreateExperimentInput {
  @Field(() => String, { description: 'Unique, 1 to 100 characters.' })
  name!: string;

  @Field(() => RecommendationSlot)
  slot!: RecommendationSlot;

  @Field(() => [ExperimentArmInput], { description: 'Two to eight arms; the first is the control the others are compared with.' })
  arms!: ExperimentArmInput[];

  @Field(() => ExperimentAllocation, { defaultValue: ExperimentAllocation.FIXED })
  allocation!: ExperimentAllocation;

  @Field(() => ExperimentMetric, {
    defaultValue: ExperimentMetric.CTR,
    description: 'The metric that names a winner (and that ADAPTIVE allocation optimises).',
  })
  primaryMetric!: ExperimentMetric;

  @Field(() => Int, { nullable: true, description: 'Enrol only shoppers of this segment (shopperSegments), as of their first slate.' })
  targetSegment?: number | null;
}

@ObjectType('ExperimentArm')
export class ExperimentArm {
  @Field(() => Int, { description: '0 is the control.' })
  index!: number;

  @Field(() => String)
  name!: string;

  @Field(() => BanditPolicy)
  policy!: BanditPolicy;

  @Field(() => Float)
  exploration!: number;

  @Field(() => Float)
  diversity!: number;

  @Field(() => Float, { description: 'Configured traffic share (FIXED), normalised.' })
  share!: number;

  @Field(() => String, { nullable: true, description: 'The sequence model version pinned for this arm; null: the serving version.' })
  sequenceModelVersion!: string | null;
}

@ObjectType('Experiment', { description: 'An A/B test of slate policies on one slot. Admins only.' })
export class Experiment {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RecommendationSlot)
  slot!: RecommendationSlot;

  @Field(() => ExperimentStatus)
  status!: ExperimentStatus;

  @Field(() => ExperimentAllocation)
  allocation!: ExperimentAllocation;

  @Field(() => ExperimentMetric)
  primaryMetric!: ExperimentMetric;

  @Field(() => Int, { nullable: true })
  targetSegment!: number | null;

  @Field(() => [ExperimentArm])
  arms!: ExperimentArm[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  stoppedAt!: Date | null;
}

@ObjectType('MetricInterval', { description: 'An estimate with its standard error and confidence interval.' })
export class MetricInterval {
  @Field(() => Float)
  value!: number;

  @Field(() => Float)
  standardError!: number;

  @Field(() => Float)
  lower!: number;

  @Field(() => Float)
  upper!: number;
}

@ObjectType('ArmComparison', { description: 'An arm against the control on one metric: a two-sided z test on shopper-level estimates.' })
export class ArmComparison {
  @Field(() => ExperimentMetric)
  metric!: ExperimentMetric;

  @Field(() => Float, { description: 'Arm minus control.' })
  difference!: number;

  @Field(() => Float, { nullable: true, description: 'Difference over the control value; null when the control is 0.' })
  relativeLift!: number | null;

  @Field(() => Float, { description: 'Confidence interval of the difference.' })
  lower!: number;

  @Field(() => Float)
  upper!: number;

  @Field(() => Float)
  pValue!: number;

  @Field(() => Float, { description: 'Holm-adjusted over the arms compared with the control.' })
  adjustedPValue!: number;

  @Field(() => Boolean, { description: 'adjustedPValue below 1 − confidence.' })
  significant!: boolean;
}

@ObjectType('GuardrailCheck')
export class GuardrailCheck {
  @Field(() => Guardrail)
  guardrail!: Guardrail;

  @Field(() => Float, { nullable: true, description: 'Null when the arm served no slate with vectors to measure.' })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: 'Its standard error over slates (DIVERSITY: of the mean; COVERAGE: by bootstrap over slates).' })
  standardError!: number | null;

  @Field(() => Boolean, {
    description: "Significantly more than the tolerated 10% drop below the control's value, at the experiment's confidence.",
  })
  breached!: boolean;
}

@ObjectType('ArmResult')
export class ArmResult {
  @Field(() => ExperimentArm)
  arm!: ExperimentArm;

  @Field(() => Int, { description: 'Shoppers served at least one slate of this arm.' })
  shoppers!: number;

  @Field(() => Int)
  slates!: number;

  @Field(() => Int, { description: 'Items shown.' })
  impressions!: number;

  @Field(() => Int)
  clicks!: number;

  @Field(() => Int)
  purchases!: number;

  @Field(() => Float)
  revenue!: number;

  @Field(() => Float, { description: 'Share of new shoppers this arm gets now (the configured share, or the adaptive allocation).' })
  trafficShare!: number;

  @Field(() => MetricInterval)
  ctr!: MetricInterval;

  @Field(() => MetricInterval)
  conversion!: MetricInterval;

  @Field(() => MetricInterval)
  revenuePerShopper!: MetricInterval;

  @Field(() => [ArmComparison], { description: 'Against the control, one per metric; empty for the control.' })
  comparisons!: ArmComparison[];

  @Field(() => [GuardrailCheck])
  guardrails!: GuardrailCheck[];
}

@ObjectType('SampleRatioCheck', { description: 'Do the arms hold the shoppers their traffic shares promise? A chi-square goodness-of-fit test.' })
export class SampleRatioCheck {
  @Field(() => [Int])
  observed!: number[];

  @Field(() => [Float])
  expected!: number[];

  @Field(() => Float)
  chiSquare!: number;

  @Field(() => Float)
  pValue!: number;

  @Field(() => Boolean, { description: 'pValue below 0.001: assignment or logging is broken and no result should be trusted.' })
  mismatch!: boolean;
}

@ObjectType('ExperimentResults')
export class ExperimentResults {
  @Field(() => Experiment)
  experiment!: Experiment;

  @Field(() => GraphQLISODateTime)
  computedAt!: Date;

  @Field(() => Float)
  confidence!: number;

  @Field(() => [ArmResult])
  arms!: ArmResult[];

  @Field(() => SampleRatioCheck, { nullable: true, description: 'Null for ADAPTIVE allocation, whose split moves on purpose.' })
  sampleRatio!: SampleRatioCheck | null;

  @Field(() => ExperimentArm, {
    nullable: true,
    description: 'The arm significantly best on the primary metric without breaching a guardrail; null while no arm is.',
  })
  winner!: ExperimentArm | null;

  @Field(() => String, { description: 'The reading of these results in one sentence.' })
  verdict!: string;
}

@ObjectType('SlateExperiment', { description: "The experiment arm that chose a slate, for the storefront's own analytics." })
export class SlateExperiment {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  arm!: string;
}
