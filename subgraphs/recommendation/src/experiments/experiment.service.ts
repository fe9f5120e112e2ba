import { randomUUID } from 'node:crypto';
import { AppError, badInput, ErrorCode, notFound } from '@serendip/federation';
import {
  assignmentDraw,
  computeResults,
  pickArm,
  slateCoverage,
  slateDiversity,
  thompsonAllocation,
  type ArmGuardrails,
  type Rng,
  type ShopperUnit,
} from '@serendip/recsys';
import type { ProductIndex } from '@serendip/vectors';
import { EventType } from '../event/event-type';
import type { EventStore } from '../event/event.store';
import type { SlateLogStore } from '../slate/slate-log.store';
import { DEFAULT_DIVERSITY } from '../slate/slot-policies';
import type { RecommendationSlot } from '../slate/slot';
import type { ExperimentEntity } from './experiment.entity';
import { ExperimentAllocation, ExperimentMetric, ExperimentStatus } from './experiment.enums';
import type { ExperimentStore } from './experiment.store';
import type { CreateExperimentInput, Experiment, ExperimentArm, ExperimentResults } from './experiment.types';

const MIN_ARMS = 2;
const MAX_ARMS = 8;
const MAX_NAME = 100;
const MAX_ARM_NAME = 40;
/** Every arm of an ADAPTIVE experiment keeps this share, so no arm starves and every propensity stays well above 0. */
export const ADAPTIVE_FLOOR = 0.05;
/** The latest slates per arm that the guardrails read (the same number for every arm, so coverage compares). */
const GUARDRAIL_SLATES = 2000;

/** The arm a slate is served with. */
export interface ServedArm {
  experimentId: string;
  experimentName: string;
  arm: ExperimentArm;
  propensity: number;
}

/** Experiments' own rows, the slates their arms served, and the events crediting those. */
export interface ExperimentServiceStores {
  experiments: ExperimentStore;
  slateLog: SlateLogStore;
  events: EventStore;
}

export interface ExperimentServiceOptions {
  /** The product index, for the diversity and coverage guardrails. */
  index: () => ProductIndex;
  /** Why an arm cannot pin this sequence model version (unknown, or its files are gone); null when it can. */
  unpinnableSequenceVersion: (version: string) => Promise<string | null>;
  /** How long the running experiments and adaptive allocations are reused before re-reading them. @default 2000 */
  refreshMs?: number;
  rng?: Rng;
}

/** As stored; arms written before versions could be pinned have no sequenceModelVersion. */
type StoredArm = Omit<ExperimentArm, 'index' | 'sequenceModelVersion'> & { sequenceModelVersion?: string | null };

const toExperiment = (entity: ExperimentEntity): Experiment => ({
  id: entity.id,
  name: entity.name,
  slot: entity.slot,
  status: entity.status,
  allocation: entity.allocation,
  primaryMetric: entity.primaryMetric,
  targetSegment: entity.targetSegment,
  arms: (JSON.parse(entity.arms) as StoredArm[]).map((arm, index) => ({ index, ...arm, sequenceModelVersion: arm.sequenceModelVersion ?? null })),
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
    private readonly stores: ExperimentServiceStores,
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
      return { name: armName, policy: arm.policy, exploration: arm.exploration, diversity, share, sequenceModelVersion: arm.sequenceModelVersion ?? null };
    });
    for (const [i, { sequenceModelVersion: version }] of arms.entries()) {
      const problem = version ? await this.options.unpinnableSequenceVersion(version) : null;
      if (problem) throw badInput(`arms[${i}].sequenceModelVersion: ${problem}`, 'arms');
    }
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
    if (!(await this.stores.experiments.insert(entity))) {
      throw new AppError(ErrorCode.Conflict, `an experiment named "${name}" exists already`, { field: 'name' });
    }
    return toExperiment(entity);
  }

  /** Starts a DRAFT; a slot runs one experiment at a time, or shoppers would be in two at once. */
  async start(id: string): Promise<Experiment> {
    const outcome = await this.stores.experiments.start(id, new Date());
    if (outcome.kind === 'missing') throw notFound('Experiment', id);
    if (outcome.kind === 'not-draft') throw new AppError(ErrorCode.Conflict, `experiment ${id} is ${outcome.status}; only a DRAFT starts`, { id });
    if (outcome.kind === 'slot-busy') {
      throw new AppError(ErrorCode.Conflict, `experiment "${outcome.running.name}" is running on ${outcome.running.slot}; stop it first`, {
        id: outcome.running.id,
      });
    }
    const started = outcome.experiment;
    this.running = null;
    return toExperiment(started);
  }

  async stop(id: string): Promise<Experiment> {
    const entity = await this.find(id);
    if (entity.status === ExperimentStatus.STOPPED) throw new AppError(ErrorCode.Conflict, `experiment ${id} is stopped already`, { id });
    entity.status = ExperimentStatus.STOPPED;
    entity.stoppedAt = new Date();
    await this.stores.experiments.stop(id, entity.stoppedAt);
    this.running = null;
    return toExperiment(entity);
  }

  async list(status: ExperimentStatus | null): Promise<Experiment[]> {
    return (await this.stores.experiments.list(status)).map(toExperiment);
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
    const { experiments } = this.stores;
    const served = (assignment: { arm: number; propensity: number }): ServedArm => ({
      experimentId: experiment.id,
      experimentName: experiment.name,
      arm: experiment.arms[assignment.arm]!,
      propensity: assignment.propensity,
    });
    const existing = await experiments.assignment(experiment.id, userId);
    if (existing) return served(existing);
    if (experiment.targetSegment !== null && segment !== experiment.targetSegment) return null;
    const shares = await this.shares(experiment);
    const arm = pickArm(assignmentDraw(experiment.id, userId), shares);
    const assignment = { arm, propensity: shares[arm]! };
    // Two first slates at once: the first insert wins and both serve its arm.
    if (!(await experiments.enrol(experiment.id, userId, assignment, new Date()))) {
      const winner = await experiments.assignment(experiment.id, userId);
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
    const entity = await this.stores.experiments.find(id);
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
    const byArm = await this.stores.events.armSuccesses(experiment.id, types);
    return experiment.arms.map((arm) => {
      const row = byArm.get(arm.index);
      return { trials: row?.shoppers ?? 0, successes: row?.successes ?? 0 };
    });
  }

  /** Each exposed shopper's figures per arm, from the logged slates and the events that credit them. */
  private async units(experimentId: string): Promise<ShopperUnit[]> {
    const [served, credited] = await Promise.all([this.stores.slateLog.armExposures(experimentId), this.stores.events.armCredits(experimentId)]);
    const credits = new Map(credited.map((row) => [`${row.userId}/${row.arm}`, row]));
    return served.map((row) => {
      const credit = credits.get(`${row.userId}/${row.arm}`);
      return {
        arm: row.arm,
        propensity: row.propensity,
        slates: row.slates,
        impressions: row.impressions,
        clicks: credit?.clicks ?? 0,
        purchases: credit?.purchases ?? 0,
        revenue: credit?.revenue ?? 0,
      };
    });
  }

  /** Diversity and coverage of each arm over the same number of its latest slates. */
  private async guardrails(experiment: Experiment): Promise<ArmGuardrails[]> {
    const counts = await this.stores.slateLog.slatesPerArm(experiment.id);
    const perArm = Math.min(GUARDRAIL_SLATES, ...experiment.arms.map((arm) => counts.get(arm.index) ?? 0));
    if (perArm === 0) return experiment.arms.map(() => ({ diversity: null, coverage: null }));
    const index = this.options.index();
    return Promise.all(
      experiment.arms.map(async (arm) => {
        const slates = await this.stores.slateLog.latestArmSlates(experiment.id, arm.index, perArm);
        return { diversity: slateDiversity(index, slates), coverage: slateCoverage(index, slates) };
      }),
    );
  }
}
