import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Running popularity per product, kept in step with `behaviour_event` (same transaction) so
 * ranking reads one small table instead of aggregating the event log on every request.
 */
@Entity({ name: 'product_popularity' })
@Index('idx_product_popularity_category_score', ['categoryId', 'score'])
@Index('idx_product_popularity_score', ['score'])
export class ProductPopularityEntity {
  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  /** Category of the product's most recently recorded event. */
  @Column({ name: 'category_id', type: 'bigint', nullable: true })
  categoryId!: string | null;

  /** Sum of EVENT_WEIGHTS over the product's events. */
  @Column({ type: 'double' })
  score!: number;

  /** Number of weighted events behind the score. */
  @Column({ type: 'int' })
  events!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
