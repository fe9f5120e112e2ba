import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'category' })
@Index('idx_category_parent', ['parentId', 'name'])
export class CategoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Index('uq_category_slug', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  slug!: string;

  @ForeignKey(() => CategoryEntity, { name: 'fk_category_parent', onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId!: string | null;

  /** Ids from the root down to this category, e.g. `/1/7/42/`; a subtree is a prefix match. */
  @Index('idx_category_path')
  @Column({ type: 'varchar', length: 255, charset: 'ascii', collation: 'ascii_bin' })
  path!: string;

  /** 0 for a root. */
  @Column({ type: 'tinyint', unsigned: true })
  depth!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;
}
