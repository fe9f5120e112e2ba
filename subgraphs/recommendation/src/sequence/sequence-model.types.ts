import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum SequenceModelStatus {
  SERVING = 'SERVING',
  RETIRED = 'RETIRED',
  REJECTED = 'REJECTED',
}

registerEnumType(SequenceModelStatus, {
  name: 'SequenceModelStatus',
  description: 'What the quality gate decided about a trained sequence model version.',
  valuesConfig: {
    SERVING: { description: 'Serves every shopper outside experiments that pin another version (one at a time).' },
    RETIRED: { description: 'Served once, replaced by a newer version that passed the gate.' },
    REJECTED: { description: 'Scored below the serving version on the same validation shoppers; an experiment arm can still pin it.' },
  },
});

@ObjectType('SequenceModelVersion', { description: 'A trained sequence model version in the registry, with its quality gate. Admins only.' })
export class SequenceModelVersion {
  @Field(() => String, { description: 'Pin it in an experiment arm (ExperimentArmInput.sequenceModelVersion) to compare it online.' })
  version!: string;

  @Field(() => SequenceModelStatus)
  status!: SequenceModelStatus;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  promotedAt!: Date | null;

  @Field(() => Float, { description: "HR@10 of each validation shopper's last product from the ones before it, full ranking." })
  validationHr10!: number;

  @Field(() => Float)
  validationNdcg10!: number;

  @Field(() => String, { nullable: true, description: 'The version serving when this one was gated.' })
  baselineVersion!: string | null;

  @Field(() => Float, { nullable: true, description: "The baseline's HR@10 on the same validation shoppers." })
  baselineHr10!: number | null;

  @Field(() => Int, { description: 'Shoppers trained on.' })
  shoppers!: number;

  @Field(() => Int)
  events!: number;

  @Field(() => Int, { description: 'Products the model knows.' })
  items!: number;

  @Field(() => Float)
  trainingSeconds!: number;

  @Field(() => String, { description: 'Why the gate decided as it did.' })
  note!: string;
}
