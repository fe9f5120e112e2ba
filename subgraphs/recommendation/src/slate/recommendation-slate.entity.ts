import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { RecommendationSlot } from './slot';

/** One served slate: who saw it, where, and which policy chose it (its items are RecommendationItemEntity). */
@Entity({ name: 'recommendation_slate' })
@Index('idx_recommendation_slate_user_created', ['userId', 'createdAt'])
@Index('idx_recommendation_slate_created', ['createdAt'])
@Index('idx_recommendation_slate_experiment', ['experimentId', 'experimentArm'])
export class RecommendationSlateEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'char', length: 36, nullable: true })
  userId!: string | null;

  @Column({ type: 'enum', enum: RecommendationSlot })
  slot!: RecommendationSlot;

  @Column({ type: 'varchar', length: 64 })
  policy!: string;

  @Column({ name: 'policy_version', type: 'varchar', length: 32 })
  policyVersion!: string;

  /** The policy's exploration strength in [0, 1] for this slate. */
  @Column({ type: 'double' })
  exploration!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** The experiment whose arm chose this slate, if any. */
  @Column({ name: 'experiment_id', type: 'char', length: 36, nullable: true })
  experimentId!: string | null;

  @Column({ name: 'experiment_arm', type: 'tinyint', unsigned: true, nullable: true })
  experimentArm!: number | null;

  /** The probability the shopper had of that arm when they were enrolled. */
  @Column({ name: 'arm_propensity', type: 'double', nullable: true })
  armPropensity!: number | null;

  /** The sequence model version whose query fed this slate; null when the sequence source was not used. */
  @Column({ name: 'sequence_model_version', type: 'varchar', length: 40, nullable: true })
  sequenceModelVersion!: string | null;
}
