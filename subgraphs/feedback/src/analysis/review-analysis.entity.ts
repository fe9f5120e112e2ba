import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ReviewEntity } from '../review/review.entity';
import { AnalysisStatus } from './analysis-status';

/** One row per review, written PENDING with the review and completed by the worker. */
@Entity({ name: 'review_analysis' })
@Index('idx_review_analysis_status_requested', ['status', 'requestedAt'])
export class ReviewAnalysisEntity {
  @ForeignKey(() => ReviewEntity, { name: 'fk_review_analysis_review', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @PrimaryColumn({ name: 'review_id', type: 'bigint', unsigned: true })
  reviewId!: string;

  @Column({ type: 'enum', enum: AnalysisStatus })
  status!: AnalysisStatus;

  @Column({ type: 'enum', enum: ['negative', 'neutral', 'positive'], nullable: true })
  sentiment!: 'negative' | 'neutral' | 'positive' | null;

  /** Probability of `sentiment`. */
  @Column({ name: 'sentiment_score', type: 'double', nullable: true })
  sentimentScore!: number | null;

  /** JSON: the probability of each label. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  scores!: string | null;

  /** float32 little-endian, L2-normalised (topic clustering, similar reviews). */
  @Column({ type: 'mediumblob', nullable: true })
  embedding!: Buffer | null;

  /** `zh`, `en` or `und`, as the worker detected it. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  language!: string | null;

  /** JSON: the aspects named in the review, each with its clause and the clause's sentiment. */
  @Column({ type: 'mediumtext', nullable: true })
  aspects!: string | null;

  /** JSON: content token → count, pooled into product and category keywords and topic labels. */
  @Column({ type: 'mediumtext', nullable: true })
  terms!: string | null;

  /** JSON: the review's own keywords, best first. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  keywords!: string | null;

  /** Index of the review's topic in its category's topic model; NULL until placed, NO_TOPIC when its polarity has no topics. */
  @Column({ type: 'smallint', nullable: true })
  topic!: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model!: string | null;

  @Column({ name: 'model_version', type: 'varchar', length: 64, nullable: true })
  modelVersion!: string | null;

  /** Why the last attempt failed, for FAILED rows. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ name: 'requested_at', type: 'datetime', precision: 3 })
  requestedAt!: Date;

  @Column({ name: 'analysed_at', type: 'datetime', precision: 3, nullable: true })
  analysedAt!: Date | null;
}
