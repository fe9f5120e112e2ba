import { AppError, badInput, canonicalUserId, ErrorCode } from '@serendip/federation';
import { BUDGET_TOLERANCE, overspent, type ReleaseCost } from '@serendip/privacy';
import type { DataSource, EntityManager } from 'typeorm';

/** One budget's figures: epsilon and delta, each total, spent and what is left. */
export interface BudgetFigures {
  total: number;
  spent: number;
  remaining: number;
  totalDelta: number;
  spentDelta: number;
  remainingDelta: number;
}

export interface PrivacyBudgetState extends BudgetFigures {
  analystId: string;
}

/** What all analysts' releases spent together in the current period, against the platform's total. */
export interface PlatformBudgetState extends BudgetFigures {
  periodStart: Date;
  periodEnd: Date;
}

export interface PrivacyBudgetSettings {
  /** Each analyst's budget until another admin grants more (PRIVACY_BUDGET_EPSILON, PRIVACY_BUDGET_DELTA). */
  analyst: ReleaseCost;
  /** What all releases of one period may spend together (PRIVACY_TOTAL_BUDGET_EPSILON, PRIVACY_TOTAL_BUDGET_DELTA). */
  platform: ReleaseCost;
  /** Length of a platform period, counted from 1970-01-01 UTC (PRIVACY_TOTAL_BUDGET_PERIOD_DAYS). */
  periodDays: number;
  /** The clock. @default () => new Date() — tests move it across periods. */
  now?: () => Date;
}

type Scope = 'ANALYST' | 'PLATFORM';

interface SpentRow {
  spent: number | string;
  spentDelta: number | string;
}
interface AnalystRow extends SpentRow {
  total: number | string;
  totalDelta: number | string;
}

/** `spent + ? <= total` in SQL, with the same relative tolerance as `overspent`. */
const fits = (spent: string, total: string) => `${spent} + ? <= ${total} * ${1 + BUDGET_TOLERANCE}`;
/** The same for delta, which a pure release does not spend and so is never refused for (as `overspent`). */
const fitsDelta = (spent: string, total: string) => `(? = 0 OR ${fits(spent, total)})`;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Differential-privacy budgets under basic composition (epsilons add up, and so do deltas): each
 * analyst's (`privacy_budget`), the platform's per period (`privacy_period_budget`), and the ledger
 * of releases (`privacy_ledger`). A release is paid from both or from neither. Analyst budgets
 * start at the settings' figures on first use and grow only by grants; the platform's total is the
 * setting as it stands, so lowering it takes effect at once.
 *
 * Analyst ids are keyed and compared in their canonical form (lowercase UUIDs, `canonicalUserId`),
 * so no other spelling of an admin's id reaches their row; the tables' CHECKs refuse any other.
 */
export class PrivacyBudgetStore {
  private readonly periodMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: PrivacyBudgetSettings,
  ) {
    this.periodMs = settings.periodDays * DAY_MS;
    this.now = settings.now ?? (() => new Date());
  }

  async read(analystId: string): Promise<PrivacyBudgetState & { platform: PlatformBudgetState }> {
    const id = analystKey(analystId);
    const periodStart = this.periodOf(this.now());
    const [analyst, spent] = await Promise.all([this.analystRow(this.dataSource.manager, id), this.periodSpent(periodStart)]);
    return { ...this.analystState(id, analyst), platform: this.platformState(periodStart, spent) };
  }

  /**
   * Pays for a release before anything is computed, so a failed or abandoned computation still
   * counts: the guarantee is about what could have been released. In one transaction, so a
   * refused release writes nothing, not even the rows its first use creates: the analyst's row is
   * locked (created at the settings' figures on first use) and charged if it can pay, then the
   * period's row likewise; a release the platform cannot pay for rolls the analyst's charge back.
   * Rows are locked in that order, analyst then period, and exclusively from the start (INSERT …
   * ON DUPLICATE KEY UPDATE, not INSERT IGNORE, whose shared locks two concurrent charges would
   * deadlock upgrading), so concurrent charges queue and none can overspend either budget.
   */
  async charge(analystId: string, query: string, cost: ReleaseCost): Promise<PrivacyBudgetState> {
    const id = analystKey(analystId);
    const at = this.now();
    const periodStart = this.periodOf(at);
    const opening = await this.ledgerSpent(periodStart, this.dataSource.manager);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO privacy_budget (analyst_id, total_epsilon, spent_epsilon, total_delta, spent_delta, updated_at) VALUES (?, ?, 0, ?, 0, ?)
         ON DUPLICATE KEY UPDATE analyst_id = analyst_id`,
        [id, this.settings.analyst.epsilon, this.settings.analyst.delta, at],
      );
      const paid = await manager.query<{ affectedRows: number }>(
        `UPDATE privacy_budget SET spent_epsilon = spent_epsilon + ?, spent_delta = spent_delta + ?, updated_at = ?
         WHERE analyst_id = ? AND ${fits('spent_epsilon', 'total_epsilon')} AND ${fitsDelta('spent_delta', 'total_delta')}`,
        [cost.epsilon, cost.delta, at, id, cost.epsilon, cost.delta, cost.delta],
      );
      const analyst = this.analystState(id, await this.analystRow(manager, id));
      if (paid.affectedRows === 0) throw exhausted('ANALYST', analyst, cost);
      // A period's row starts from what the ledger already holds for it (releases made before the
      // row existed: before an upgrade, or under another period length). No release is missed or
      // counted twice: every release since the row exists updated it, and then this insert changes nothing.
      await manager.query(
        `INSERT INTO privacy_period_budget (period_start, spent_epsilon, spent_delta, updated_at) VALUES (?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE period_start = period_start`,
        [periodStart, opening.spent, opening.spentDelta, at],
      );
      const pooled = await manager.query<{ affectedRows: number }>(
        `UPDATE privacy_period_budget SET spent_epsilon = spent_epsilon + ?, spent_delta = spent_delta + ?, updated_at = ?
         WHERE period_start = ? AND ${fits('spent_epsilon', '?')} AND ${fitsDelta('spent_delta', '?')}`,
        [cost.epsilon, cost.delta, at, periodStart, cost.epsilon, this.settings.platform.epsilon, cost.delta, cost.delta, this.settings.platform.delta],
      );
      if (pooled.affectedRows === 0) throw exhausted('PLATFORM', this.platformState(periodStart, await this.periodSpent(periodStart, manager)), cost);
      await manager.query('INSERT INTO privacy_ledger (analyst_id, query, epsilon, delta, created_at) VALUES (?, ?, ?, ?, ?)', [
        id,
        query,
        cost.epsilon,
        cost.delta > 0 ? cost.delta : null,
        at,
      ]);
      return analyst;
    });
  }

  /** Raises an analyst's totals (from the settings' figures when they have no budget yet). */
  async grant(analystId: string, cost: ReleaseCost): Promise<PrivacyBudgetState & { platform: PlatformBudgetState }> {
    const id = analystKey(analystId);
    await this.dataSource.query(
      `INSERT INTO privacy_budget (analyst_id, total_epsilon, spent_epsilon, total_delta, spent_delta, updated_at) VALUES (?, ?, 0, ?, 0, ?)
       ON DUPLICATE KEY UPDATE total_epsilon = total_epsilon + ?, total_delta = total_delta + ?, updated_at = VALUES(updated_at)`,
      [id, this.settings.analyst.epsilon + cost.epsilon, this.settings.analyst.delta + cost.delta, this.now(), cost.epsilon, cost.delta],
    );
    return this.read(id);
  }

  /** Periods are fixed windows counted from the epoch, so every instance agrees on them without coordination. */
  private periodOf(at: Date): Date {
    return new Date(Math.floor(at.getTime() / this.periodMs) * this.periodMs);
  }

  private async analystRow(manager: EntityManager, id: string): Promise<AnalystRow | undefined> {
    const rows: AnalystRow[] = await manager.query(
      'SELECT total_epsilon AS total, spent_epsilon AS spent, total_delta AS totalDelta, spent_delta AS spentDelta FROM privacy_budget WHERE analyst_id = ?',
      [id],
    );
    return rows[0];
  }

  /** The period's spending: its row, or before its first release what the ledger holds for it. */
  private async periodSpent(periodStart: Date, manager: EntityManager = this.dataSource.manager): Promise<SpentRow> {
    const rows: SpentRow[] = await manager.query('SELECT spent_epsilon AS spent, spent_delta AS spentDelta FROM privacy_period_budget WHERE period_start = ?', [
      periodStart,
    ]);
    return rows[0] ?? this.ledgerSpent(periodStart, manager);
  }

  private async ledgerSpent(periodStart: Date, manager: EntityManager): Promise<SpentRow> {
    const [row]: SpentRow[] = await manager.query(
      'SELECT COALESCE(SUM(epsilon), 0) AS spent, COALESCE(SUM(delta), 0) AS spentDelta FROM privacy_ledger WHERE created_at >= ? AND created_at < ?',
      [periodStart, new Date(periodStart.getTime() + this.periodMs)],
    );
    return row!;
  }

  private analystState(analystId: string, row: AnalystRow | undefined): PrivacyBudgetState {
    const { analyst } = this.settings;
    return { analystId, ...figures(row ?? { total: analyst.epsilon, spent: 0, totalDelta: analyst.delta, spentDelta: 0 }) };
  }

  private platformState(periodStart: Date, spent: SpentRow): PlatformBudgetState {
    const { platform } = this.settings;
    return {
      periodStart,
      periodEnd: new Date(periodStart.getTime() + this.periodMs),
      ...figures({ total: platform.epsilon, totalDelta: platform.delta, spent: spent.spent, spentDelta: spent.spentDelta }),
    };
  }
}

/** The canonical form of an analyst id; anything that is not a user id is refused before SQL sees it. */
function analystKey(analystId: string): string {
  const id = canonicalUserId(analystId);
  if (id === null) throw badInput('analystId must be a user id', 'analystId');
  return id;
}

function figures(row: AnalystRow): BudgetFigures {
  const total = Number(row.total);
  const spent = Number(row.spent);
  const totalDelta = Number(row.totalDelta);
  const spentDelta = Number(row.spentDelta);
  return { total, spent, remaining: Math.max(0, total - spent), totalDelta, spentDelta, remainingDelta: Math.max(0, totalDelta - spentDelta) };
}

/** PRIVACY_BUDGET_EXHAUSTED naming whose budget and which parameter ran out, what is left and what was asked. */
function exhausted(scope: Scope, budget: BudgetFigures, cost: ReleaseCost): AppError {
  const parameter =
    overspent({ epsilon: { total: budget.total, spent: budget.spent }, delta: { total: budget.totalDelta, spent: budget.spentDelta } }, cost) ?? 'epsilon';
  const [remaining, total] = parameter === 'epsilon' ? [budget.remaining, budget.total] : [budget.remainingDelta, budget.totalDelta];
  const whose = scope === 'ANALYST' ? 'your privacy budget' : "the platform's privacy budget for this period";
  return new AppError(
    ErrorCode.PrivacyBudgetExhausted,
    `This release needs ${parameter} ${cost[parameter]} but only ${remaining} of ${whose} of ${total} is left`,
    {
      budget: scope,
      parameter,
      remaining,
      requested: cost[parameter],
    },
  );
}
