import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SequenceModelStatus = 'SERVING' | 'RETIRED' | 'REJECTED';

/**
 * One trained sequence model version and what the quality gate decided: SERVING (one at a time),
 * RETIRED (served once, replaced), REJECTED (scored below the serving version on the same
 * validation items). The files live in SEQUENCE_MODEL_DIR/<version>.
 */
@Entity({ name: 'sequence_model_version' })
@Index('idx_sequence_model_version_status', ['status', 'createdAt'])
export class SequenceModelVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  version!: string;

  @Column({ type: 'enum', enum: ['SERVING', 'RETIRED', 'REJECTED'] })
  status!: SequenceModelStatus;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'promoted_at', type: 'datetime', precision: 3, nullable: true })
  promotedAt!: Date | null;

  /** HR@10 of each shopper's last event from the ones before it, full ranking. */
  @Column({ name: 'validation_hr10', type: 'double' })
  validationHr10!: number;

  @Column({ name: 'validation_ndcg10', type: 'double' })
  validationNdcg10!: number;

  /** The version serving when this one was gated, and its HR@10 on the same validation items. */
  @Column({ name: 'baseline_version', type: 'varchar', length: 40, nullable: true })
  baselineVersion!: string | null;

  @Column({ name: 'baseline_hr10', type: 'double', nullable: true })
  baselineHr10!: number | null;

  @Column({ type: 'int', unsigned: true })
  shoppers!: number;

  @Column({ type: 'int', unsigned: true })
  events!: number;

  @Column({ type: 'int', unsigned: true })
  items!: number;

  @Column({ name: 'training_seconds', type: 'double' })
  trainingSeconds!: number;

  /** Why the gate decided as it did, in words. */
  @Column({ type: 'varchar', length: 500 })
  note!: string;
}
