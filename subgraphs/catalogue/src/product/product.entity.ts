import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CategoryEntity } from '../category/category.entity';

@Entity({ name: 'product' })
@Index('idx_product_category', ['categoryId', 'id'])
@Index('idx_product_brand', ['brand', 'id'])
@Index('ft_product_text', ['title', 'brand', 'description'], { fulltext: true })
@Index('ft_product_tokens', ['searchTokens'], { fulltext: true })
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

  @ForeignKey(() => CategoryEntity, { name: 'fk_product_category', onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ name: 'category_id', type: 'bigint' })
  categoryId!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  brand!: string | null;

  /** DECIMAL comes back from mysql2 as a string so no cent is lost on the way. */
  @Index('idx_product_price')
  @Column({ type: 'decimal', precision: 12, scale: 2 })
  price!: string;

  @Column({ type: 'char', length: 3, charset: 'ascii', collation: 'ascii_bin', default: 'USD' })
  currency!: string;

  @Column({ type: 'json' })
  tags!: string[];

  @Column({ name: 'image_url', type: 'varchar', length: 2048, nullable: true })
  imageUrl!: string | null;

  /**
   * The words of title, brand and description that `ft_product_text` cannot index, for the FULLTEXT
   * index `ft_product_tokens`: all of them for a product with Han text, which InnoDB's parser cannot
   * split, else the words under its minimum length (productSearchTokens); null when none. Written
   * with the fields it is made from, never read back with the product.
   */
  @Column({ name: 'search_tokens', type: 'mediumtext', nullable: true, select: false })
  searchTokens!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;

  @UpdateDateColumn({
    name: 'updated_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt!: Date;
}
