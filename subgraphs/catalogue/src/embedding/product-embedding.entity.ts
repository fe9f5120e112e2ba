import { Column, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ProductEntity } from '../product/product.entity';

@Entity({ name: 'product_embedding' })
// Serves the vector feed's seek in write order; its (model, model_version) prefix serves load and count.
@Index('idx_product_embedding_feed', ['model', 'modelVersion', 'updatedAt', 'productId'])
export class ProductEmbeddingEntity {
  @ForeignKey(() => ProductEntity, { name: 'fk_product_embedding_product', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  model!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  @Column({ type: 'smallint', unsigned: true })
  dimension!: number;

  /** float32 little-endian, `dimension` values, L2-normalised. */
  @Column({ type: 'mediumblob' })
  vector!: Buffer;

  /** SHA-256 of the text that was embedded, so an edit that changes the text triggers re-embedding. */
  @Column({ name: 'text_hash', type: 'char', length: 64 })
  textHash!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', onUpdate: 'CURRENT_TIMESTAMP(3)' })
  updatedAt!: Date;
}
