import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A shopper's interests as the worker last recognised them. `profile` is a StoredProfile (JSON,
 * centroids as base64 float32): it is always read and written whole.
 */
@Entity({ name: 'interest_profile' })
export class InterestProfileEntity {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ type: 'longtext' })
  profile!: string;

  /** Events behind the profile. */
  @Column({ type: 'int' })
  signals!: number;

  /** The embedding model whose space the centroids live in. */
  @Column({ type: 'varchar', length: 100 })
  model!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  /**
   * The shopper's sequence model queries, one per version served when the profile was saved: a JSON
   * object from version to base64 float32 (their next item is scored by its dot product with it).
   */
  @Column({ name: 'sequence_queries', type: 'mediumtext' })
  sequenceQueries!: string;
}
