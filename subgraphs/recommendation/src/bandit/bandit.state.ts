import { compareIds } from '@serendip/db';
import { addOuterProduct, createLinUcbState, updateLinUcb, type ArmStats, type LinUcbState } from '@serendip/recsys';
import type { DataSource } from 'typeorm';
import { RecommendationSlot } from '../slate/slot';
import { LinUcbStateEntity } from './linucb-state.entity';
import { logger } from '@serendip/telemetry';

const toBuffer = (values: Float64Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
const toFloat64 = (buffer: Buffer) => new Float64Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));

const NO_STATS: ArmStats = Object.freeze({ impressions: 0, clicks: 0 });

interface ArmDelta {
  impressions: number;
  clicks: number;
  purchases: number;
}

/**
 * The online part of the bandits: per-slot product statistics (Thompson sampling's posteriors)
 * and LinUCB's linear model, updated by every served slate and every attributed click.
 *
 * Updates are gathered in memory and added to the database once per flush (one multi-row upsert,
 * one locked read-add-write per LinUCB slot), so serving never waits on a hot row and any number
 * of instances add up correctly. The slates themselves are logged synchronously
 * (`recommendation_item`); these statistics can always be recomputed from that log.
 */
export class BanditState {
  private readonly armDeltas = new Map<string, ArmDelta>();
  /** Arm statistics read from the database since the last flush, by `<slot>/<productId>`. */
  private readonly stored = new Map<string, ArmStats>();
  private readonly linUcb = new Map<RecommendationSlot, { state: LinUcbState; deltaA: Float64Array; deltaB: Float64Array; dirty: boolean }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  /**
   * @param prior LinUCB's starting θ: an untrained model then ranks by it (the engine puts weight
   * on its exploit-score feature, so a fresh slot serves the fused ranking until clicks teach it).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly prior: readonly number[],
    private readonly flushMs = 1000,
  ) {}

  get dimension(): number {
    return this.prior.length;
  }

  private fresh(): LinUcbState {
    return createLinUcbState(this.dimension, 1, this.prior);
  }

  async start(): Promise<void> {
    for (const slot of Object.values(RecommendationSlot)) {
      const state = this.fresh();
      this.linUcb.set(slot, { state, deltaA: new Float64Array(state.A.length), deltaB: new Float64Array(state.b.length), dirty: false });
    }
    await this.flush();
    this.timer = setInterval(
      () => void this.flush().catch((error: unknown) => logger().error({ err: error }, 'bandit flush failed; its updates are kept for the next')),
      this.flushMs,
    );
    this.timer.unref();
  }

  /**
   * Statistics of these products in the slot, pending updates included. What the database held is
   * kept until the next flush, so the candidates of consecutive slates (mostly the same products)
   * cost no query: a slate sees other instances' counts at most one flush late, as it would
   * anyway, since they reach the database once per flush.
   */
  async armStats(slot: RecommendationSlot, productIds: readonly string[]): Promise<Map<string, ArmStats>> {
    const stats = new Map<string, ArmStats>();
    const missing = productIds.filter((productId) => !this.stored.has(`${slot}/${productId}`));
    if (missing.length > 0) {
      const rows: { productId: string | number; impressions: number; clicks: number }[] = await this.dataSource.query(
        'SELECT product_id AS productId, impressions, clicks FROM arm_stat WHERE slot = ? AND product_id IN (?)',
        [slot, missing],
      );
      for (const productId of missing) this.stored.set(`${slot}/${productId}`, NO_STATS);
      for (const row of rows) this.stored.set(`${slot}/${String(row.productId)}`, { impressions: row.impressions, clicks: row.clicks });
    }
    for (const productId of productIds) {
      const key = `${slot}/${productId}`;
      const stored = this.stored.get(key) ?? NO_STATS;
      const pending = this.armDeltas.get(key);
      const impressions = stored.impressions + (pending?.impressions ?? 0);
      // A click can be counted before its impression: the replica that served the slate adds its
      // impressions at its next flush, while the one that took the click holds it, or has flushed
      // it already. The policy's Beta needs clicks ≤ impressions; the impressions follow within a flush.
      stats.set(productId, { impressions, clicks: Math.min(stored.clicks + (pending?.clicks ?? 0), impressions) });
    }
    return stats;
  }

  linUcbState(slot: RecommendationSlot): LinUcbState {
    return this.linUcb.get(slot)!.state;
  }

  /** A slate was served: each item is an impression, and LinUCB sees its context (reward 0 until clicked). */
  served(slot: RecommendationSlot, items: readonly { productId: string; features: readonly number[] }[]): void {
    const model = this.linUcb.get(slot)!;
    for (const item of items) {
      this.arm(slot, item.productId).impressions += 1;
      updateLinUcb(model.state, item.features, 0);
      addOuterProduct(model.deltaA, item.features);
      model.dirty = true;
    }
  }

  /** A click (or purchase) on a served item: its reward. */
  rewarded(slot: RecommendationSlot, productId: string, features: readonly number[], kind: 'click' | 'purchase'): void {
    const arm = this.arm(slot, productId);
    if (kind === 'purchase') {
      arm.purchases += 1;
      return;
    }
    arm.clicks += 1;
    const model = this.linUcb.get(slot)!;
    features.forEach((value, index) => {
      model.state.b[index]! += value;
      model.deltaB[index]! += value;
    });
    model.dirty = true;
  }

  private arm(slot: RecommendationSlot, productId: string): ArmDelta {
    const key = `${slot}/${productId}`;
    let delta = this.armDeltas.get(key);
    if (!delta) {
      delta = { impressions: 0, clicks: 0, purchases: 0 };
      this.armDeltas.set(key, delta);
    }
    return delta;
  }

  /**
   * Adds the pending updates to the database and reloads every slot's LinUCB model from it. What a
   * failed flush could not write goes back into the pending updates, so the next flush writes it
   * (nothing is lost to a database error); the returned promise rejects with the first failure.
   * Flushes run one after another, and a failed one does not hold up the next.
   */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    const now = new Date();
    const failures: unknown[] = [];
    await this.writeArms(now).catch((error: unknown) => failures.push(error));
    for (const slot of this.linUcb.keys()) await this.writeLinUcb(slot, now).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  private async writeArms(now: Date): Promise<void> {
    const taken = new Map(this.armDeltas);
    this.armDeltas.clear();
    // What is pending moves into the database now: a read kept from before would miss it.
    this.stored.clear();
    if (taken.size === 0) return;
    const arms = [...taken.entries()].map(([key, delta]) => {
      const at = key.indexOf('/');
      return { slot: key.slice(0, at) as RecommendationSlot, productId: key.slice(at + 1), ...delta };
    });
    arms.sort((x, y) => x.slot.localeCompare(y.slot) || compareIds(x.productId, y.productId));
    try {
      await this.dataSource.query(
        `INSERT INTO arm_stat (slot, product_id, impressions, clicks, purchases, updated_at)
         VALUES ${arms.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE impressions = impressions + VALUES(impressions), clicks = clicks + VALUES(clicks),
           purchases = purchases + VALUES(purchases), updated_at = VALUES(updated_at)`,
        arms.flatMap((arm) => [arm.slot, arm.productId, arm.impressions, arm.clicks, arm.purchases, now]),
      );
      // Reads made while the insert ran saw the database without these counts.
      this.stored.clear();
    } catch (error) {
      // Back into what is pending, beside whatever was counted while the insert ran.
      for (const [key, delta] of taken) {
        const pending = this.armDeltas.get(key);
        if (pending) {
          pending.impressions += delta.impressions;
          pending.clicks += delta.clicks;
          pending.purchases += delta.purchases;
        } else this.armDeltas.set(key, delta);
      }
      throw error;
    }
  }

  private async writeLinUcb(slot: RecommendationSlot, now: Date): Promise<void> {
    const model = this.linUcb.get(slot)!;
    const deltaA = model.deltaA.slice();
    const deltaB = model.deltaB.slice();
    const dirty = model.dirty;
    model.deltaA.fill(0);
    model.deltaB.fill(0);
    model.dirty = false;
    let merged: { A: Float64Array; b: Float64Array };
    try {
      merged = await this.dataSource.transaction(async (manager) => {
        const repository = manager.getRepository(LinUcbStateEntity);
        const stored = await repository.findOne({ where: { slot }, lock: { mode: 'pessimistic_write' } });
        const base = stored && stored.dimension === this.dimension ? { A: toFloat64(stored.a), b: toFloat64(stored.b) } : this.fresh();
        if (!dirty && stored) return base;
        const A = base.A.map((value, index) => value + deltaA[index]!);
        const b = base.b.map((value, index) => value + deltaB[index]!);
        await repository.save({ slot, dimension: this.dimension, a: toBuffer(A), b: toBuffer(b), updatedAt: now });
        return { A, b };
      });
    } catch (error) {
      // The local model keeps them too; they are added to the stored one by a later flush.
      deltaA.forEach((value, index) => (model.deltaA[index]! += value));
      deltaB.forEach((value, index) => (model.deltaB[index]! += value));
      model.dirty ||= dirty;
      throw error;
    }
    // Updates that arrived while the transaction ran stay in the deltas and in the local model.
    model.state.A.set(merged.A.map((value, index) => value + model.deltaA[index]!));
    model.state.b.set(merged.b.map((value, index) => value + model.deltaB[index]!));
  }

  /**
   * Stops the timer and writes what is pending. A database that cannot take them does not fail
   * the shutdown: what was not written is logged (the slate log can rebuild it).
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch((error: unknown) =>
      logger().error({ err: error }, `bandit statistics not saved at shutdown (${this.armDeltas.size} arms pending)`),
    );
  }
}
