import type { DataSource, EntityManager } from 'typeorm';

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

/**
 * Consent and forgetting as this subgraph enforces them. Also read by the worker, which must not
 * build a profile for a shopper without consent, nor rebuild one for a shopper just forgotten.
 */
export class ShopperPrivacyStore {
  constructor(private readonly dataSource: DataSource) {}

  async states(userIds: readonly string[]): Promise<Map<string, PrivacyState>> {
    const found = new Map<string, PrivacyState>(userIds.map((id) => [id, DEFAULT_STATE]));
    if (userIds.length === 0) return found;
    const rows: { userId: string; personalisation: number; forgottenAt: Date | null }[] = await this.dataSource.query(
      'SELECT user_id AS userId, personalisation, forgotten_at AS forgottenAt FROM shopper_privacy WHERE user_id IN (?)',
      [userIds],
    );
    for (const row of rows) found.set(row.userId, { personalisation: row.personalisation === 1 && row.forgottenAt === null, forgotten: row.forgottenAt !== null });
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
        await manager.query('DELETE FROM interest_profile WHERE user_id = ?', [userId]);
        await manager.query('DELETE FROM shopper_segment WHERE user_id = ?', [userId]);
        await manager.query('DELETE FROM experiment_assignment WHERE user_id = ?', [userId]);
      }
    });
  }

  /** Deletes every row of the shopper and leaves the tombstone; running it again deletes nothing more. */
  async forget(userId: string, at: Date): Promise<ForgottenRows> {
    return this.dataSource.transaction(async (manager) => {
      const deleted = async (sql: string) => ((await manager.query(sql, [userId])) as { affectedRows: number }).affectedRows;
      const events = await deleted('DELETE FROM behaviour_event WHERE user_id = ?');
      const interestProfiles = await deleted('DELETE FROM interest_profile WHERE user_id = ?');
      await deleted('DELETE FROM interest_suppression WHERE user_id = ?');
      await deleted('DELETE FROM shopper_segment WHERE user_id = ?');
      await deleted('DELETE FROM experiment_assignment WHERE user_id = ?');
      // Items go with their slate (ON DELETE CASCADE).
      const slates = await deleted('DELETE FROM recommendation_slate WHERE user_id = ?');
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
