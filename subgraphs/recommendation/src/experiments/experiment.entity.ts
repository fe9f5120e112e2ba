import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { RecommendationSlot } from '../slate/slot';
import { ExperimentAllocation, ExperimentMetric, ExperimentStatus } from './experiment.enums';

/** An A/B experiment on one slot; its arms (policy configurations and traffic shares) as JSON. */
@Entity({ name: 'experiment' })
@Index('uq_experiment_name', ['name'], { unique: true })
@Index('idx_experiment_status_slot', ['status', 'slot'])
export class ExperimentEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'enum', enum: RecommendationSlot })
  slot!: RecommendationSlot;

  @Column({ type: 'enum', enum: ExperimentStatus })
  status!: ExperimentStatus;

  @Column({ type: 'enum', enum: ExperimentAllocation })
  allocation!: ExperimentAllocation;

  @Column({ name: 'primary_metric', type: 'enum', enum: ExperimentMetric })
  primaryMetric!: ExperimentMetric;

  /** Only shoppers in this segment (of the segment model current when they are first served) take part. */
  @Column({ name: 'target_segment', type: 'smallint', unsigned: true, nullable: true })
  targetSegment!: number | null;

  /** JSON array of `StoredArm`. */
  @Column({ type: 'text' })
  arms!: string;

  @Column({ name: 'created_by', type: 'char', length: 36 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'stopped_at', type: 'datetime', precision: 3, nullable: true })
  stoppedAt!: Date | null;
}

/**
 * A shopper's arm, fixed at their first slate so they see one experience for the whole
 * experiment, with the probability the arm had for them then (the propensity an unbiased
 * estimate needs when allocation adapts).
 */
@Entity({ name: 'experiment_assignment' })
@Index('idx_experiment_assignment_user', ['userId'])
export class ExperimentAssignmentEntity {
  @ForeignKey(() => ExperimentEntity, { name: 'fk_experiment_assignment_experiment', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @PrimaryColumn({ name: 'experiment_id', type: 'char', length: 36 })
  experimentId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ type: 'tinyint', unsigned: true })
  arm!: number;

  @Column({ type: 'double' })
  propensity!: number;

  @Column({ name: 'assigned_at', type: 'datetime', precision: 3 })
  assignedAt!: Date;
}
