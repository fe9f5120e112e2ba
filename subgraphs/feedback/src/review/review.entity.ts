import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'review' })
@Index('uq_review_user_product', ['userId', 'productId'], { unique: true })
@Index('uq_review_user_client', ['userId', 'clientReviewId'], { unique: true })
@Index('idx_review_product_page', ['productId', 'id'])
@Index('idx_review_user_page', ['userId', 'id'])
@Index('idx_review_category_page', ['categoryId', 'id'])
export class ReviewEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  /** A user subgraph id; no foreign key because that table lives in another database. */
  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  /** A catalogue product id, checked with the catalogue when the review is written. */
  @Column({ name: 'product_id', type: 'bigint', unsigned: true })
  productId!: string;

  /**
   * The product's catalogue category when the review was written; NULL until the catalogue has
   * been asked (imports). Keyword statistics and topics are per category.
   */
  @Column({ name: 'category_id', type: 'bigint', unsigned: true, nullable: true })
  categoryId!: string | null;

  @Column({ type: 'tinyint', unsigned: true })
  rating!: number;

  @Column({ type: 'text' })
  text!: string;

  /** ISO 639-1 code from detectLanguage, or `und`. */
  @Column({ type: 'varchar', length: 8, default: 'und' })
  language!: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;

  /** The importer's own id for a review, so re-running an import adds nothing twice. */
  @Column({ name: 'client_review_id', type: 'varchar', length: 64, nullable: true })
  clientReviewId!: string | null;
}
