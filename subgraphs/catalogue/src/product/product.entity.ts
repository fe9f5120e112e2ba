import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'product' })
export class ProductEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('uq_product_sku', { unique: true })
  @Column({ type: 'varchar', length: 64, collation: 'utf8mb4_bin' })
  sku!: string;

  @Column({ type: 'varchar', length: 500 })
  title!: string;

  @Column({ type: 'mediumtext' })
  description!: string;

  @Column({ name: 'category_id', type: 'bigint' })
  categoryId!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  brand!: string | null;

  /** DECIMAL comes back from mysql2 as a string so no cent is lost on the way. */
  @Column({ type: 'decimal', precision: 12, scale: 2 })
  price!: string;

  @Column({ type: 'char', length: 3, charset: 'ascii', collation: 'ascii_bin', default: 'USD' })
  currency!: string;

  @Column({ type: 'json' })
  tags!: string[];

  @Column({ name: 'image_url', type: 'varchar', length: 2048, nullable: true })
  imageUrl!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
