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

  /** The sequence model version the query was computed with; null when none served then. */
  @Column({ name: 'sequence_model_version', type: 'varchar', length: 40, nullable: true })
  sequenceModelVersion!: string | null;

  /** The shopper's sequence-model query (base64 float32): their next item is scored by its dot product with it. */
  @Column({ name: 'sequence_query', type: 'text', nullable: true })
  sequenceQuery!: string | null;
}
