import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ProductEntity } from '../product/product.entity';

/**
 * A product written (created or edited) whose embedding is to be computed: the outbox of
 * `embed-products` jobs. Written with the product, kept an hour after it is queued (`JobOutbox`).
 */
@Entity({ name: 'product_embedding_request' })
@Index('idx_product_embedding_request_at', ['requestedAt'])
@Index('idx_product_embedding_request_queued', ['queuedAt'])
export class EmbeddingRequestEntity {
  @ForeignKey(() => ProductEntity, { name: 'fk_product_embedding_request_product', onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  @Column({ name: 'requested_at', type: 'datetime', precision: 3 })
  requestedAt!: Date;

  /** When the request was queued (null: not yet); kept an hour in case Redis loses the job. */
  @Column({ name: 'queued_at', type: 'datetime', precision: 3, nullable: true })
  queuedAt!: Date | null;

  /** The run id of the Redis that took it: a request of an earlier run is queued again. */
  @Column({ name: 'queued_run', type: 'varchar', length: 40, nullable: true })
  queuedRun!: string | null;
}
