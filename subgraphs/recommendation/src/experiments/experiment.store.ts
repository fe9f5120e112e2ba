import { In, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { ExperimentAssignmentEntity, ExperimentEntity } from './experiment.entity';
import { ExperimentStatus } from './experiment.enums';

/** Why a DRAFT did not start, or the experiment that did. */
export type StartOutcome =
  | { kind: 'started'; experiment: ExperimentEntity }
  | { kind: 'missing' }
  | { kind: 'not-draft'; status: ExperimentStatus }
  | { kind: 'slot-busy'; running: ExperimentEntity };

/** An enrolment: the arm a shopper was given and the probability they had of it. */
export interface Assignment {
  arm: number;
  propensity: number;
}

/**
 * `experiment` and `experiment_assignment`. What the arms served and what it earned are read
 * from the slate log (SlateLogStore) and the events crediting it (EventStore).
 */
export class ExperimentStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a new experiment; false when its name is taken. */
  async insert(experiment: ExperimentEntity): Promise<boolean> {
    try {
      await this.dataSource.getRepository(ExperimentEntity).insert(experiment);
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') return false;
      throw error;
    }
  }

  /** Starts a DRAFT unless its slot runs another experiment: both rows are locked, so two starts at once cannot both pass. */
  async start(id: string, at: Date): Promise<StartOutcome> {
    return this.dataSource.transaction(async (manager): Promise<StartOutcome> => {
      const repository = manager.getRepository(ExperimentEntity);
      const experiment = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!experiment) return { kind: 'missing' };
      if (experiment.status !== ExperimentStatus.DRAFT) return { kind: 'not-draft', status: experiment.status };
      // Locks the slot's running range too.
      const running = await repository.findOne({ where: { slot: experiment.slot, status: ExperimentStatus.RUNNING }, lock: { mode: 'pessimistic_write' } });
      if (running) return { kind: 'slot-busy', running };
      experiment.status = ExperimentStatus.RUNNING;
      experiment.startedAt = at;
      await repository.save(experiment);
      return { kind: 'started', experiment };
    });
  }

  async stop(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(ExperimentEntity).update({ id }, { status: ExperimentStatus.STOPPED, stoppedAt: at });
  }

  async find(id: string): Promise<ExperimentEntity | null> {
    return this.dataSource.getRepository(ExperimentEntity).findOne({ where: { id } });
  }

  /** Newest first; all of them when `status` is null. */
  async list(status: ExperimentStatus | null): Promise<ExperimentEntity[]> {
    return this.dataSource.getRepository(ExperimentEntity).find({ where: status ? { status } : {}, order: { createdAt: 'DESC' } });
  }

  /** The sequence model versions that arms of experiments in these states pin (each once). */
  async sequenceModelVersions(statuses: readonly ExperimentStatus[]): Promise<string[]> {
    const experiments = await this.dataSource.getRepository(ExperimentEntity).find({ select: { arms: true }, where: { status: In([...statuses]) } });
    const versions = experiments.flatMap((experiment) =>
      (JSON.parse(experiment.arms) as { sequenceModelVersion?: string | null }[]).map((arm) => arm.sequenceModelVersion),
    );
    return [...new Set(versions.filter((version): version is string => typeof version === 'string'))];
  }

  async assignment(experimentId: string, userId: string): Promise<Assignment | null> {
    return this.dataSource.getRepository(ExperimentAssignmentEntity).findOne({ where: { experimentId, userId } });
  }

  /** Enrols the shopper unless they are already; false when an enrolment was there first. */
  async enrol(experimentId: string, userId: string, assignment: Assignment, at: Date): Promise<boolean> {
    const inserted = await this.dataSource
      .getRepository(ExperimentAssignmentEntity)
      .createQueryBuilder()
      .insert()
      .values({ experimentId, userId, ...assignment, assignedAt: at })
      .orIgnore()
      .updateEntity(false)
      .execute();
    return (inserted.raw as { affectedRows?: number }).affectedRows !== 0;
  }

  /** Ends every enrolment of the shopper, in the caller's transaction. */
  async unenrol(manager: EntityManager, userId: string): Promise<void> {
    await manager.query('DELETE FROM experiment_assignment WHERE user_id = ?', [userId]);
  }
}
