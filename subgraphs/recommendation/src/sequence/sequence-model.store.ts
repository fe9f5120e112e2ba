import type { WantedVersions } from '@serendip/sequence';
import type { DataSource } from 'typeorm';
import { ExperimentStatus } from '../experiments/experiment.enums';
import { ExperimentStore } from '../experiments/experiment.store';
import { SequenceModelVersionEntity } from './sequence-model-version.entity';

export type SequenceModelRecord = Omit<SequenceModelVersionEntity, 'status' | 'promotedAt'>;

/**
 * The sequence model registry (`sequence_model_version`): which version serves, and every version
 * trained with the gate's decision. Written by training (the worker's retrain job and
 * `pnpm train:sequence`), read by every process that serves the model.
 */
export class SequenceModelStore {
  private readonly experiments: ExperimentStore;

  constructor(private readonly dataSource: DataSource) {
    this.experiments = new ExperimentStore(dataSource);
  }

  async serving(): Promise<SequenceModelVersionEntity | null> {
    return this.dataSource.getRepository(SequenceModelVersionEntity).findOne({ where: { status: 'SERVING' }, order: { promotedAt: 'DESC' } });
  }

  find(version: string): Promise<SequenceModelVersionEntity | null> {
    return this.dataSource.getRepository(SequenceModelVersionEntity).findOne({ where: { version } });
  }

  /** What each serving process loads: the serving version and those that running experiments' arms pin. */
  async wanted(): Promise<WantedVersions> {
    const [serving, pinned] = await Promise.all([this.serving(), this.experiments.sequenceModelVersions([ExperimentStatus.RUNNING])]);
    return { serving: serving?.version ?? null, pinned };
  }

  /** Versions whose files must stay: those that arms of draft or running experiments pin (the serving one aside). */
  pinned(): Promise<string[]> {
    return this.experiments.sequenceModelVersions([ExperimentStatus.DRAFT, ExperimentStatus.RUNNING]);
  }

  /** The newest versions first, whatever their status. */
  recent(limit: number): Promise<SequenceModelVersionEntity[]> {
    return this.dataSource.getRepository(SequenceModelVersionEntity).find({ order: { createdAt: 'DESC', version: 'DESC' }, take: limit });
  }

  /** Records a version the gate refused; the serving one is untouched. */
  async reject(record: SequenceModelRecord): Promise<void> {
    await this.dataSource.getRepository(SequenceModelVersionEntity).insert({ ...record, status: 'REJECTED', promotedAt: null });
  }

  /**
   * Records a version and makes it the serving one, retiring the previous, in one transaction: the
   * serving row is locked first, so two trainings finishing together promote one after the other
   * and exactly one version serves afterwards.
   */
  async promote(record: SequenceModelRecord, at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(SequenceModelVersionEntity);
      await repository.createQueryBuilder().setLock('pessimistic_write').where('status = :status', { status: 'SERVING' }).getMany();
      await repository.update({ status: 'SERVING' }, { status: 'RETIRED' });
      await repository.insert({ ...record, status: 'SERVING', promotedAt: at });
    });
  }
}
