import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ProductEntity } from '../product/product.entity';

/**
 * A product written (created or edited) whose embedding job has not reached the queue yet: the
 * outbox of `embed-products` jobs. Written with the product, removed once queued.
 */
@Entity({ name: 'product_embedding_request' })
@Index('idx_product_embedding_request_at', ['requestedAt'])
export class EmbeddingRequestEntity {
  @ForeignKey(() => ProductEntity, { name: 'fk_product_embedding_request_product', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  @Column({ name: 'requested_at', type: 'datetime', precision: 3 })
  requestedAt!: Date;
}
