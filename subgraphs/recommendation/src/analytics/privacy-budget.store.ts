import { AppError, ErrorCode } from '@serendip/federation';
import type { DataSource } from 'typeorm';

export interface PrivacyBudgetState {
  analystId: string;
  total: number;
  spent: number;
  remaining: number;
}

/** Rounding slack of sums of doubles, so a budget of 3 pays for three releases of 1. */
const SLACK = 1e-9;

/**
 * Each analyst's differential-privacy budget (epsilon under basic composition) and the ledger of
 * what they spent it on. Budgets start at `defaultTotal` on first use and only grow by grants.
 */
export class PrivacyBudgetStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly defaultTotal: number,
  ) {}

  async read(analystId: string): Promise<PrivacyBudgetState> {
    const rows: { total: number; spent: number }[] = await this.dataSource.query(
      'SELECT total_epsilon AS total, spent_epsilon AS spent FROM privacy_budget WHERE analyst_id = ?',
      [analystId],
    );
    return state(analystId, rows[0] ?? { total: this.defaultTotal, spent: 0 });
  }

  /**
   * Pays `epsilon` before anything is computed, so a failed or abandoned computation still
   * counts: the guarantee is about what could have been released. The conditional UPDATE locks
   * the row, so concurrent charges are serialised and none of them can overspend.
   */
  async charge(analystId: string, query: string, epsilon: number, delta: number | null): Promise<PrivacyBudgetState> {
    // In its own statement, outside the transaction: concurrent first charges of one analyst would
    // otherwise hold shared locks from the duplicate-key check and deadlock on the UPDATE.
    await this.dataSource.query('INSERT IGNORE INTO privacy_budget (analyst_id, total_epsilon, spent_epsilon, updated_at) VALUES (?, ?, 0, ?)', [
      analystId,
      this.defaultTotal,
      new Date(),
    ]);
    return this.dataSource.transaction(async (manager) => {
      const at = new Date();
      const updated = await manager.query<{ affectedRows: number }>(
        `UPDATE privacy_budget SET spent_epsilon = spent_epsilon + ?, updated_at = ?
         WHERE analyst_id = ? AND spent_epsilon + ? <= total_epsilon + ${SLACK}`,
        [epsilon, at, analystId, epsilon],
      );
      const [row]: { total: number; spent: number }[] = await manager.query(
        'SELECT total_epsilon AS total, spent_epsilon AS spent FROM privacy_budget WHERE analyst_id = ?',
        [analystId],
      );
      const budget = state(analystId, row!);
      if (updated.affectedRows === 0) {
        throw new AppError(
          ErrorCode.PrivacyBudgetExhausted,
          `This release needs epsilon ${epsilon} but only ${budget.remaining} of your privacy budget of ${budget.total} is left`,
          { remaining: budget.remaining, requested: epsilon },
        );
      }
      await manager.query('INSERT INTO privacy_ledger (analyst_id, query, epsilon, delta, created_at) VALUES (?, ?, ?, ?, ?)', [
        analystId,
        query,
        epsilon,
        delta,
        at,
      ]);
      return budget;
    });
  }

  /** Raises an analyst's total by `epsilon` (from the default when they have no budget yet). */
  async grant(analystId: string, epsilon: number): Promise<PrivacyBudgetState> {
    await this.dataSource.query(
      `INSERT INTO privacy_budget (analyst_id, total_epsilon, spent_epsilon, updated_at) VALUES (?, ?, 0, ?)
       ON DUPLICATE KEY UPDATE total_epsilon = total_epsilon + ?, updated_at = VALUES(updated_at)`,
      [analystId, this.defaultTotal + epsilon, new Date(), epsilon],
    );
    return this.read(analystId);
  }
}

function state(analystId: string, row: { total: number; spent: number }): PrivacyBudgetState {
  const total = Number(row.total);
  const spent = Number(row.spent);
  return { analystId, total, spent, remaining: Math.max(0, total - spent) };
}
