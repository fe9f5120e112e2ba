import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { RecommendationSlateEntity } from './recommendation-slate.entity';

/**
 * One item of a served slate with what an off-policy estimator needs to replay it: the
 * probability the policy gave it at its rank (propensity) and the context it saw (features).
 */
@Entity({ name: 'recommendation_item' })
@Index('idx_recommendation_item_product', ['productId'])
export class RecommendationItemEntity {
  @ForeignKey(() => RecommendationSlateEntity, { name: 'fk_recommendation_item_slate', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @PrimaryColumn({ name: 'slate_id', type: 'char', length: 36 })
  slateId!: string;

  /** 0-based position in the slate. */
  @PrimaryColumn({ type: 'smallint' })
  rank!: number;

  @Column({ name: 'product_id', type: 'bigint' })
  productId!: string;

  /** The candidate source that contributed most (interest, co-occurrence, transitions, trending, fresh, popular). */
  @Column({ type: 'varchar', length: 32 })
  source!: string;

  @Column({ type: 'double' })
  score!: number;

  @Column({ type: 'double' })
  propensity!: number;

  /** Chosen against the exploit order. */
  @Column({ type: 'tinyint' })
  explored!: number;

  /** JSON array of the policy's context features for this item. */
  @Column({ type: 'varchar', length: 1000 })
  features!: string;
}
