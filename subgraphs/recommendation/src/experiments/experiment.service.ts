import { randomUUID } from 'node:crypto';
import { AppError, badInput, ErrorCode, notFound } from '@serendip/federation';
import { assignmentDraw, cosine, meanMetric, pickArm, seededRng, thompsonAllocation, type MetricEstimate, type Rng } from '@serendip/recsys';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { ProductIndex } from '../candidates/product-index';
import { EventType } from '../event/event-type';
import { DEFAULT_DIVERSITY } from '../slate/slot-policies';
import type { RecommendationSlot } from '../slate/slot';
import { ExperimentAssignmentEntity, ExperimentEntity } from './experiment.entity';
import { ExperimentAllocation, ExperimentMetric, ExperimentStatus } from './experiment.enums';
import { computeResults, type ArmGuardrails, type ShopperUnit } from './experiment-results';
import type { CreateExperimentInput, Experiment, ExperimentArm, ExperimentResults } from './experiment.types';

const MIN_ARMS = 2;
const MAX_ARMS = 8;
const MAX_NAME = 100;
const MAX_ARM_NAME = 40;
/** Every arm of an ADAPTIVE experiment keeps this share, so no arm starves and every propensity stays well above 0. */
export const ADAPTIVE_FLOOR = 0.05;
/** The latest slates per arm that the guardrails read (the same number for every arm, so coverage compares). */
const GUARDRAIL_SLATES = 2000;
/** Bootstrap resamples behind coverage's standard error; seeded, so the same slates give the same figure. */
const COVERAGE_RESAMPLES = 200;

/** The arm a slate is served with. */
export interface ServedArm {
  experimentId: string;
  experimentName: string;
  arm: ExperimentArm;
  propensity: number;
}

export interface ExperimentServiceOptions {
  /** The product index, for the diversity and coverage guardrails. */
  index: () => ProductIndex;
  /** How long the running experiments and adaptive allocations are reused before re-reading them. @default 2000 */
  refreshMs?: number;
  rng?: Rng;
}

type StoredArm = Omit<ExperimentArm, 'index'>;

const toExperiment = (entity: ExperimentEntity): Experiment => ({
  id: entity.id,
  name: entity.name,
  slot: entity.slot,
  status: entity.status,
  allocation: entity.allocation,
  primaryMetric: entity.primaryMetric,
  targetSegment: entity.targetSegment,
  arms: (JSON.parse(entity.arms) as StoredArm[]).map((arm, index) => ({ index, ...arm })),
  createdAt: entity.createdAt,
  startedAt: entity.startedAt,
  stoppedAt: entity.stoppedAt,
});

/**
 * A/B experiments over slate policies: admins define and start them; the slate engine asks which
 * arm a shopper is in (sticky: a hash of experiment and shopper, fixed at their first slate);
 * results are read from the logged slates and the events that credit them.
 */
export class ExperimentService {
  private readonly refreshMs: number;
  private readonly rng: Rng;
  private running: { at: number; bySlot: Promise<Map<RecommendationSlot, Experiment>> } | null = null;
  private readonly allocations = new Map<string, { at: number; shares: Promise<number[]> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ExperimentServiceOptions,
  ) {
    this.refreshMs = options.refreshMs ?? 2000;
    this.rng = options.rng ?? Math.random;
  }

  async create(adminId: string, input: CreateExperimentInput): Promise<Experiment> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > MAX_NAME) throw badInput(`name must be 1 to ${MAX_NAME} characters`, 'name');
    if (input.arms.length < MIN_ARMS || input.arms.length > MAX_ARMS) throw badInput(`an experiment has ${MIN_ARMS} to ${MAX_ARMS} arms`, 'arms');
    const names = new Set<string>();
    const shares = input.arms.map((arm) => arm.share ?? null);
    if (shares.some((share) => share === null) && shares.some((share) => share !== null)) throw badInput('give every arm a share, or none', 'arms');
    const arms: StoredArm[] = input.arms.map((arm, i) => {
      const armName = arm.name.trim();
      if (armName.length < 1 || armName.length > MAX_ARM_NAME) throw badInput(`arms[${i}].name must be 1 to ${MAX_ARM_NAME} characters`, 'arms');
      if (names.has(armName)) throw badInput(`arms[${i}].name "${armName}" is used twice`, 'arms');
      names.add(armName);
      if (!(arm.exploration >= 0 && arm.exploration <= 1)) throw badInput(`arms[${i}].exploration must be in [0, 1]`, 'arms');
      const diversity = arm.diversity ?? DEFAULT_DIVERSITY;
      if (!(diversity >= 0 && diversity <= 1)) throw badInput(`arms[${i}].diversity must be in [0, 1]`, 'arms');
      const share = arm.share ?? 1;
      if (!(share > 0 && Number.isFinite(share))) throw badInput(`arms[${i}].share must be above 0`, 'arms');
      return { name: armName, policy: arm.policy, exploration: arm.exploration, diversity, share };
    });
    const total = arms.reduce((sum, arm) => sum + arm.share, 0);
    for (const arm of arms) arm.share /= total;
    if (input.allocation === ExperimentAllocation.ADAPTIVE && arms.length * ADAPTIVE_FLOOR > 1) throw badInput('too many arms for the adaptive floor', 'arms');
    const targetSegment = input.targetSegment ?? null;
    if (targetSegment !== null && !(Number.isInteger(targetSegment) && targetSegment >= 0 && targetSegment < 65536)) {
      throw badInput('targetSegment must be a segment index', 'targetSegment');
    }
    const entity: ExperimentEntity = {
      id: randomUUID(),
      name,
      slot: input.slot,
      status: ExperimentStatus.DRAFT,
      allocation: input.allocation,
      primaryMetric: input.primaryMetric,
      targetSegment,
      arms: JSON.stringify(arms),
      createdBy: adminId,
      createdAt: new Date(),
      startedAt: null,
      stoppedAt: null,
    };
    try {
      await this.dataSource.getRepository(ExperimentEntity).insert(entity);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new AppError(ErrorCode.Conflict, `an experiment named "${name}" exists already`, { field: 'name' });
      }
      throw error;
    }
    return toExperiment(entity);
  }

  /** Starts a DRAFT; a slot runs one experiment at a time, or shoppers would be in two at once. */
  async start(id: string): Promise<Experiment> {
    const started = await this.dataSource.transaction(async (manager) => {
      const entity = await manager.getRepository(ExperimentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw notFound('Experiment', id);
      if (entity.status !== ExperimentStatus.DRAFT) throw new AppError(ErrorCode.Conflict, `experiment ${id} is ${entity.status}; only a DRAFT starts`, { id });
      // Locks the slot's running range too, so two experiments started at once cannot both pass.
      const busy = await manager
        .getRepository(ExperimentEntity)
        .findOne({ where: { slot: entity.slot, status: ExperimentStatus.RUNNING }, lock: { mode: 'pessimistic_write' } });
      if (busy) throw new AppError(ErrorCode.Conflict, `experiment "${busy.name}" is running on ${entity.slot}; stop it first`, { id: busy.id });
      entity.status = ExperimentStatus.RUNNING;
      entity.startedAt = new Date();
      await manager.getRepository(ExperimentEntity).save(entity);
      return entity;
    });
    this.running = null;
    return toExperiment(started);
  }

  async stop(id: string): Promise<Experiment> {
    const entity = await this.find(id);
    if (entity.status === ExperimentStatus.STOPPED) throw new AppError(ErrorCode.Conflict, `experiment ${id} is stopped already`, { id });
    entity.status = ExperimentStatus.STOPPED;
    entity.stoppedAt = new Date();
    await this.dataSource.getRepository(ExperimentEntity).update({ id }, { status: entity.status, stoppedAt: entity.stoppedAt });
    this.running = null;
    return toExperiment(entity);
  }

  async list(status: ExperimentStatus | null): Promise<Experiment[]> {
    const entities = await this.dataSource.getRepository(ExperimentEntity).find({ where: status ? { status } : {}, order: { createdAt: 'DESC' } });
    return entities.map(toExperiment);
  }

  async get(id: string): Promise<Experiment> {
    return toExperiment(await this.find(id));
  }

  /**
   * The arm of a consenting shopper in the slot's running experiment, enrolling them at their
   * first slate; null when none runs or they are outside its target segment.
   */
  async armFor(userId: string, slot: RecommendationSlot, segment: number | null): Promise<ServedArm | null> {
    const experiment = (await this.runningBySlot()).get(slot);
    if (!experiment) return null;
    const repository = this.dataSource.getRepository(ExperimentAssignmentEntity);
    const served = (assignment: { arm: number; propensity: number }): ServedArm => ({
      experimentId: experiment.id,
      experimentName: experiment.name,
      arm: experiment.arms[assignment.arm]!,
      propensity: assignment.propensity,
    });
    const existing = await repository.findOne({ where: { experimentId: experiment.id, userId } });
    if (existing) return served(existing);
    if (experiment.targetSegment !== null && segment !== experiment.targetSegment) return null;
    const shares = await this.shares(experiment);
    const arm = pickArm(assignmentDraw(experiment.id, userId), shares);
    const assignment = { experimentId: experiment.id, userId, arm, propensity: shares[arm]!, assignedAt: new Date() };
    // Two first slates at once: the first insert wins and both serve its arm.
    const inserted = await repository.createQueryBuilder().insert().values(assignment).orIgnore().updateEntity(false).execute();
    if ((inserted.raw as { affectedRows?: number }).affectedRows === 0) {
      const winner = await repository.findOne({ where: { experimentId: experiment.id, userId } });
      if (winner) return served(winner);
    }
    return served(assignment);
  }

  async results(id: string, confidence: number): Promise<ExperimentResults> {
    if (!(confidence >= 0.5 && confidence < 1)) throw badInput('confidence must be in [0.5, 1)', 'confidence');
    const experiment = await this.get(id);
    const [units, guardrails, shares] = await Promise.all([this.units(id), this.guardrails(experiment), this.currentShares(experiment)]);
    return { experiment, computedAt: new Date(), ...computeResults(experiment, units, guardrails, shares, confidence) };
  }

  private async find(id: string): Promise<ExperimentEntity> {
    const entity = await this.dataSource.getRepository(ExperimentEntity).findOne({ where: { id } });
    if (!entity) throw notFound('Experiment', id);
    return entity;
  }

  /** Re-read at most every refreshMs, so every instance sees a start or stop within that time. */
  private runningBySlot(): Promise<Map<RecommendationSlot, Experiment>> {
    if (!this.running || Date.now() - this.running.at > this.refreshMs) {
      const bySlot = this.list(ExperimentStatus.RUNNING).then((experiments) => new Map(experiments.map((experiment) => [experiment.slot, experiment])));
      // A failed read is not cached: the next slate tries again.
      bySlot.catch(() => (this.running = null));
      this.running = { at: Date.now(), bySlot };
    }
    return this.running.bySlot;
  }

  private currentShares(experiment: Experiment): Promise<number[]> {
    return experiment.status === ExperimentStatus.RUNNING ? this.shares(experiment) : Promise.resolve(experiment.arms.map((arm) => arm.share));
  }

  /** FIXED: the configured shares. ADAPTIVE: each arm's Thompson probability of being best, with a floor. */
  private shares(experiment: Experiment): Promise<number[]> {
    if (experiment.allocation === ExperimentAllocation.FIXED) return Promise.resolve(experiment.arms.map((arm) => arm.share));
    const cached = this.allocations.get(experiment.id);
    if (cached && Date.now() - cached.at <= this.refreshMs) return cached.shares;
    const shares = this.successes(experiment).then((arms) => thompsonAllocation(arms, { floor: ADAPTIVE_FLOOR, rng: this.rng }));
    shares.catch(() => this.allocations.delete(experiment.id));
    this.allocations.set(experiment.id, { at: Date.now(), shares });
    return shares;
  }

  /** Per arm: exposed shoppers, and those who did what the primary metric counts (clicked, or bought). */
  private async successes(experiment: Experiment): Promise<{ successes: number; trials: number }[]> {
    const types = experiment.primaryMetric === ExperimentMetric.CTR ? [EventType.CLICK] : [EventType.PURCHASE];
    const rows: { arm: number; shoppers: string | number; successes: string | number }[] = await this.dataSource.query(
      `SELECT s.experiment_arm AS arm, COUNT(DISTINCT s.user_id) AS shoppers, COUNT(DISTINCT e.user_id) AS successes
       FROM recommendation_slate s LEFT JOIN behaviour_event e ON e.recommendation_id = s.id AND e.type IN (?)
       WHERE s.experiment_id = ? GROUP BY s.experiment_arm`,
      [types, experiment.id],
    );
    return experiment.arms.map((arm) => {
      const row = rows.find((candidate) => Number(candidate.arm) === arm.index);
      return { trials: Number(row?.shoppers ?? 0), successes: Number(row?.successes ?? 0) };
    });
  }

  /** Each exposed shopper's figures per arm, from the logged slates and the events that credit them. */
  private async units(experimentId: string): Promise<ShopperUnit[]> {
    const [served, credited]: [
      { userId: string; arm: number; propensity: number; slates: string | number; impressions: string | number }[],
      { userId: string; arm: number; clicks: string | number; purchases: string | number; revenue: string | number }[],
    ] = await Promise.all([
      this.dataSource.query(
        `SELECT s.user_id AS userId, s.experiment_arm AS arm, MAX(s.arm_propensity) AS propensity, COUNT(DISTINCT s.id) AS slates, COUNT(i.slate_id) AS impressions
         FROM recommendation_slate s LEFT JOIN recommendation_item i ON i.slate_id = s.id
         WHERE s.experiment_id = ? GROUP BY s.user_id, s.experiment_arm`,
        [experimentId],
      ),
      this.dataSource.query(
        `SELECT s.user_id AS userId, s.experiment_arm AS arm, SUM(e.type = 'CLICK') AS clicks, SUM(e.type = 'PURCHASE') AS purchases,
                COALESCE(SUM(CASE WHEN e.type = 'PURCHASE' THEN e.value END), 0) AS revenue
         FROM recommendation_slate s JOIN behaviour_event e ON e.recommendation_id = s.id AND e.user_id = s.user_id
         WHERE s.experiment_id = ? GROUP BY s.user_id, s.experiment_arm`,
        [experimentId],
      ),
    ]);
    const events = new Map(credited.map((row) => [`${row.userId}/${row.arm}`, row]));
    return served.map((row) => {
      const credit = events.get(`${row.userId}/${row.arm}`);
      return {
        arm: Number(row.arm),
        propensity: Number(row.propensity),
        slates: Number(row.slates),
        impressions: Number(row.impressions),
        clicks: Number(credit?.clicks ?? 0),
        purchases: Number(credit?.purchases ?? 0),
        revenue: Number(credit?.revenue ?? 0),
      };
    });
  }

  /** Diversity and coverage of each arm over the same number of its latest slates. */
  private async guardrails(experiment: Experiment): Promise<ArmGuardrails[]> {
    const counts: { arm: number; slates: string | number }[] = await this.dataSource.query(
      'SELECT experiment_arm AS arm, COUNT(*) AS slates FROM recommendation_slate WHERE experiment_id = ? GROUP BY experiment_arm',
      [experiment.id],
    );
    const perArm = Math.min(GUARDRAIL_SLATES, ...experiment.arms.map((arm) => Number(counts.find((row) => Number(row.arm) === arm.index)?.slates ?? 0)));
    if (perArm === 0) return experiment.arms.map(() => ({ diversity: null, coverage: null }));
    const index = this.options.index();
    return Promise.all(
      experiment.arms.map(async (arm) => {
        const rows: { slateId: string; productId: string | number }[] = await this.dataSource.query(
          `SELECT i.slate_id AS slateId, i.product_id AS productId FROM recommendation_item i
           JOIN (SELECT id FROM recommendation_slate WHERE experiment_id = ? AND experiment_arm = ? ORDER BY created_at DESC LIMIT ?) s ON s.id = i.slate_id`,
          [experiment.id, arm.index, perArm],
        );
        const slates = new Map<string, string[]>();
        for (const row of rows) slates.set(row.slateId, [...(slates.get(row.slateId) ?? []), String(row.productId)]);
        return { diversity: meanDiversity(index, [...slates.values()]), coverage: coverage(index, [...slates.values()]) };
      }),
    );
  }
}

/**
 * Share of the indexed catalogue the slates showed, with a standard error from resampling the
 * slates: how much the figure would move with another draw of as many slates from the same policy.
 * Products outside the index (not embedded yet, or gone) are left out of both sides of the share.
 */
function coverage(index: ProductIndex, slates: readonly string[][]): MetricEstimate | null {
  if (index.size === 0 || slates.length === 0) return null;
  const share = (sample: Iterable<readonly string[]>) => {
    const shown = new Set<string>();
    for (const slate of sample) for (const productId of slate) if (index.has(productId)) shown.add(productId);
    return shown.size / index.size;
  };
  const rng = seededRng(1);
  const resampled = Array.from({ length: COVERAGE_RESAMPLES }, () => share(Array.from(slates, () => slates[Math.floor(rng() * slates.length)]!)));
  const mean = resampled.reduce((a, b) => a + b, 0) / resampled.length;
  const variance = resampled.reduce((total, value) => total + (value - mean) ** 2, 0) / (resampled.length - 1);
  return { value: share(slates), standardError: Math.sqrt(variance), units: slates.length };
}

/**
 * Mean over slates of 1 − mean pairwise cosine of their products' vectors, with its standard error
 * over slates (so the guardrail can tell a real loss from noise); slates with under two known
 * vectors are skipped.
 */
function meanDiversity(index: ProductIndex, slates: readonly string[][]): MetricEstimate | null {
  const perSlate: number[] = [];
  for (const slate of slates) {
    const vectors = slate.flatMap((productId) => {
      const vector = index.vectorOf(productId);
      return vector ? [vector] : [];
    });
    if (vectors.length < 2) continue;
    let similarity = 0;
    let pairs = 0;
    for (let i = 0; i < vectors.length; i++) {
      for (let j = i + 1; j < vectors.length; j++) {
        similarity += cosine(vectors[i]!, vectors[j]!);
        pairs += 1;
      }
    }
    perSlate.push(1 - similarity / pairs);
  }
  return perSlate.length > 0 ? meanMetric(perSlate) : null;
}
