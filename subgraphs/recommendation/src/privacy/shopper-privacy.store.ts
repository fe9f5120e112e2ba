import type { DataSource, EntityManager } from 'typeorm';
import { EventStore } from '../event/event.store';
import { ExperimentStore } from '../experiments/experiment.store';
import { InterestRequestStore } from '@serendip/jobs';
import { InterestStore } from '../interest/interest.store';
import { ShopOrderStore } from '../orders/shop-order.store';
import { SegmentStore } from '../segments/segment.store';
import { SlateLogStore } from '../slate/slate-log.store';
import { SuppressionStore } from '../transparency/suppression.store';

/** What one shopper's rows in this database came to when they were forgotten. */
export interface ForgottenRows {
  events: number;
  interestProfiles: number;
  slates: number;
}

export interface PrivacyState {
  /** Personalisation allowed (the account default when no row exists). */
  personalisation: boolean;
  forgotten: boolean;
}

const DEFAULT_STATE: PrivacyState = { personalisation: true, forgotten: false };

/** A `shopper_privacy` row as the state it gives; no row is the account default. */
export interface PrivacyRow {
  personalisation: number;
  forgottenAt: Date | null;
}

export const privacyStateOf = (row: PrivacyRow | undefined): PrivacyState =>
  row === undefined ? DEFAULT_STATE : { personalisation: row.personalisation === 1 && row.forgottenAt === null, forgotten: row.forgottenAt !== null };

/**
 * Consent and forgetting as this subgraph enforces them (`shopper_privacy`). Also read by the
 * worker, which must not build a profile for a shopper without consent, nor rebuild one for a
 * shopper just forgotten. Withdrawing consent and forgetting delete the shopper's rows of other
 * tables through their stores, in this store's transaction.
 */
export class ShopperPrivacyStore {
  private readonly events: EventStore;
  private readonly interests: InterestStore;
  private readonly interestRequests: InterestRequestStore;
  private readonly suppressions: SuppressionStore;
  private readonly segments: SegmentStore;
  private readonly experiments: ExperimentStore;
  private readonly slateLog: SlateLogStore;
  private readonly orders: ShopOrderStore;

  constructor(private readonly dataSource: DataSource) {
    this.events = new EventStore(dataSource);
    this.interests = new InterestStore(dataSource);
    this.interestRequests = new InterestRequestStore(dataSource);
    this.suppressions = new SuppressionStore(dataSource);
    this.segments = new SegmentStore(dataSource);
    this.experiments = new ExperimentStore(dataSource);
    this.slateLog = new SlateLogStore(dataSource);
    this.orders = new ShopOrderStore();
  }

  async states(userIds: readonly string[]): Promise<Map<string, PrivacyState>> {
    const found = new Map<string, PrivacyState>(userIds.map((id) => [id, DEFAULT_STATE]));
    if (userIds.length === 0) return found;
    const rows: (PrivacyRow & { userId: string })[] = await this.dataSource.query(
      'SELECT user_id AS userId, personalisation, forgotten_at AS forgottenAt FROM shopper_privacy WHERE user_id IN (?)',
      [userIds],
    );
    for (const row of rows) found.set(row.userId, privacyStateOf(row));
    return found;
  }

  async state(userId: string): Promise<PrivacyState> {
    return (await this.states([userId])).get(userId)!;
  }

  /**
   * Records consent; withdrawing it deletes the interest profile, segment and experiment enrolments in the same transaction, so
   * nothing personal is served from the moment the call returns. Events stay (aggregate analytics,
   * attribution of what was shown); they stop shaping recommendations.
   */
  async setConsent(userId: string, personalisation: boolean, at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO shopper_privacy (user_id, personalisation, forgotten_at, updated_at) VALUES (?, ?, NULL, ?)
         ON DUPLICATE KEY UPDATE personalisation = VALUES(personalisation), updated_at = VALUES(updated_at)`,
        [userId, personalisation ? 1 : 0, at],
      );
      if (!personalisation) {
        await this.interests.remove(userId, manager);
        await this.segments.unassign(manager, userId);
        await this.experiments.unenrol(manager, userId);
      }
    });
  }

  /** Deletes every row of the shopper and leaves the tombstone; running it again deletes nothing more. */
  async forget(userId: string, at: Date): Promise<ForgottenRows> {
    return this.dataSource.transaction(async (manager) => {
      const events = await this.events.deleteShopper(manager, userId);
      const interestProfiles = await this.interests.remove(userId, manager);
      await this.interestRequests.deleteShopper(manager, userId);
      await this.suppressions.removeAll(manager, userId);
      await this.segments.unassign(manager, userId);
      await this.experiments.unenrol(manager, userId);
      const slates = await this.slateLog.deleteShopper(manager, userId);
      // The order ids the shop sent for them: a replay of one after this finds a forgotten shopper and records nothing.
      await this.orders.deleteShopper(manager, userId);
      await this.tombstone(manager, userId, at);
      return { events, interestProfiles, slates };
    });
  }

  private async tombstone(manager: EntityManager, userId: string, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO shopper_privacy (user_id, personalisation, forgotten_at, updated_at) VALUES (?, 0, ?, ?)
       ON DUPLICATE KEY UPDATE personalisation = 0, forgotten_at = COALESCE(forgotten_at, VALUES(forgotten_at)), updated_at = VALUES(updated_at)`,
      [userId, at, at],
    );
  }
}
