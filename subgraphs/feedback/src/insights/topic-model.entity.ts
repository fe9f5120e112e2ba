import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One category's review topics and term statistics (see TopicMaintainer), as JSON. */
@Entity({ name: 'review_topic_model' })
export class ReviewTopicModelEntity {
  @PrimaryColumn({ name: 'category_id', type: 'bigint', unsigned: true })
  categoryId!: string;

  /** JSON {@link TopicModelJson}. */
  @Column({ type: 'mediumtext' })
  model!: string;

  /** Analysed reviews the topics were last fitted on; a refit comes when the category has doubled. */
  @Column({ name: 'fitted_reviews', type: 'int', unsigned: true })
  fittedReviews!: number;

  @Column({ name: 'fitted_at', type: 'datetime', precision: 3 })
  fittedAt!: Date;

  /** Changes with every incremental update too; readers re-parse `model` only when it moves. */
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
