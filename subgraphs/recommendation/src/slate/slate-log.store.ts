import type { DataSource, EntityManager } from 'typeorm';
import type { RecommendationSlateEntity } from './recommendation-slate.entity';
import type { RecommendationSlot } from './slot';

/** A slate item as logged for crediting and off-policy evaluation. */
export interface LoggedItem {
  productId: string;
  rank: number;
  source: string;
  score: number;
  propensity: number;
  explored: boolean;
  features: readonly number[];
}

/** A served slate item a later event can credit. */
export interface ServedItem {
  slateId: string;
  productId: string;
  slot: RecommendationSlot;
  features: number[];
}

/** One shopper's exposure to an experiment arm, from the logged slates. */
export interface ArmExposure {
  userId: string;
  arm: number;
  propensity: number;
  slates: number;
  impressions: number;
}

/** A slate waiting for its batch, with the caller waiting for the commit. */
interface PendingSlate {
  slate: RecommendationSlateEntity;
  items: readonly LoggedItem[];
  done: (error?: Error) => void;
}

/**
 * Slates a batch writes at most: each has about twenty items of some 500 bytes, so a full batch
 * stays far below MariaDB's packet limit, and one slow batch never holds many callers.
 */
const MAX_BATCH = 50;

const SLATE_COLUMNS =
  'id, user_id, slot, policy, policy_version, exploration, created_at, experiment_id, experiment_arm, arm_propensity, sequence_model_version';
const ITEM_COLUMNS = 'slate_id, `rank`, product_id, source, score, propensity, explored, features';

/**
 * The slate log, `recommendation_slate` and its `recommendation_item`s: what was served, to
 * whom, by which policy and experiment arm. Queries that also read `behaviour_event` (what was
 * clicked or skipped) are EventStore's.
 */
export class SlateLogStore {
  private readonly pending: PendingSlate[] = [];
  private writing = false;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Logs a slate and its items; resolves once they are committed, so a click on the slate always
   * finds it. Slates logged while a write is in flight go together in the next one (group commit:
   * one transaction and two multi-row inserts for all of them), which at load turns a round trip
   * and a log flush per slate into one per batch, and costs an idle server nothing. No item is ever
   * logged without its slate; a failed batch fails each of its callers.
   */
  insert(slate: RecommendationSlateEntity, items: readonly LoggedItem[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ slate, items, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        await this.write(batch);
        for (const entry of batch) entry.done();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(`slate log write failed: ${String(error)}`);
        for (const entry of batch) entry.done(failure);
      }
    }
    this.writing = false;
  }

  private async write(batch: readonly PendingSlate[]): Promise<void> {
    const slates = batch.map(({ slate }) => [
      slate.id,
      slate.userId,
      slate.slot,
      slate.policy,
      slate.policyVersion,
      slate.exploration,
      slate.createdAt,
      slate.experimentId,
      slate.experimentArm,
      slate.armPropensity,
      slate.sequenceModelVersion,
    ]);
    const items = batch.flatMap(({ slate, items }) =>
      items.map((item) => [
        slate.id,
        item.rank,
        item.productId,
        item.source,
        item.score,
        item.propensity,
        item.explored ? 1 : 0,
        JSON.stringify(item.features),
      ]),
    );
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO recommendation_slate (${SLATE_COLUMNS}) VALUES ?`, [slates]);
      if (items.length > 0) await manager.query(`INSERT INTO recommendation_item (${ITEM_COLUMNS}) VALUES ?`, [items]);
    });
  }

  /** The items of the named slates that were shown to the shopper, with the context the policy saw. */
  async servedItems(userId: string, slateIds: readonly string[]): Promise<ServedItem[]> {
    if (slateIds.length === 0) return [];
    const rows: { slateId: string; productId: string; slot: RecommendationSlot; features: string }[] = await this.dataSource.query(
      `SELECT slate.id AS slateId, item.product_id AS productId, slate.slot AS slot, item.features AS features
       FROM recommendation_slate slate JOIN recommendation_item item ON item.slate_id = slate.id
       WHERE slate.user_id = ? AND slate.id IN (${slateIds.map(() => '?').join(', ')})`,
      [userId, ...slateIds],
    );
    return rows.map((row) => ({ slateId: row.slateId, productId: row.productId, slot: row.slot, features: JSON.parse(row.features) as number[] }));
  }

  /** Deletes up to `limit` slates created before `cutoff` (their items go with them); returns how many went. */
  async purgeBefore(cutoff: Date, limit: number): Promise<number> {
    const result: { affectedRows: number } = await this.dataSource.query('DELETE FROM recommendation_slate WHERE created_at < ? LIMIT ?', [cutoff, limit]);
    return result.affectedRows;
  }

  /** Deletes the shopper's slates in the caller's transaction; returns how many went. */
  async deleteShopper(manager: EntityManager, userId: string): Promise<number> {
    // Items go with their slate (ON DELETE CASCADE).
    const result = await manager.query<{ affectedRows: number }>('DELETE FROM recommendation_slate WHERE user_id = ?', [userId]);
    return result.affectedRows;
  }

  /** Per shopper and arm of the experiment: the arm's propensity, slates served and items shown. */
  async armExposures(experimentId: string): Promise<ArmExposure[]> {
    const rows: { userId: string; arm: number; propensity: number; slates: string | number; impressions: string | number }[] = await this.dataSource.query(
      `SELECT s.user_id AS userId, s.experiment_arm AS arm, MAX(s.arm_propensity) AS propensity, COUNT(DISTINCT s.id) AS slates, COUNT(i.slate_id) AS impressions
       FROM recommendation_slate s LEFT JOIN recommendation_item i ON i.slate_id = s.id
       WHERE s.experiment_id = ? GROUP BY s.user_id, s.experiment_arm`,
      [experimentId],
    );
    return rows.map((row) => ({
      userId: row.userId,
      arm: Number(row.arm),
      propensity: Number(row.propensity),
      slates: Number(row.slates),
      impressions: Number(row.impressions),
    }));
  }

  /** Slates served per arm of the experiment, by arm index. */
  async slatesPerArm(experimentId: string): Promise<Map<number, number>> {
    const rows: { arm: number; slates: string | number }[] = await this.dataSource.query(
      'SELECT experiment_arm AS arm, COUNT(*) AS slates FROM recommendation_slate WHERE experiment_id = ? GROUP BY experiment_arm',
      [experimentId],
    );
    return new Map(rows.map((row) => [Number(row.arm), Number(row.slates)]));
  }

  /** The product ids of the arm's `limit` latest slates, per slate. */
  async latestArmSlates(experimentId: string, arm: number, limit: number): Promise<string[][]> {
    const rows: { slateId: string; productId: string | number }[] = await this.dataSource.query(
      `SELECT i.slate_id AS slateId, i.product_id AS productId FROM recommendation_item i
       JOIN (SELECT id FROM recommendation_slate WHERE experiment_id = ? AND experiment_arm = ? ORDER BY created_at DESC LIMIT ?) s ON s.id = i.slate_id`,
      [experimentId, arm, limit],
    );
    const slates = new Map<string, string[]>();
    for (const row of rows) slates.set(row.slateId, [...(slates.get(row.slateId) ?? []), String(row.productId)]);
    return [...slates.values()];
  }
}
