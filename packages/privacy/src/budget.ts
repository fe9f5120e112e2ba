import { requireNonNegative, requirePositive } from './validate';

/**
 * A privacy budget under basic sequential composition: k releases at ε_1…ε_k (δ_1…δ_k) are together
 * (Σε_i, Σδ_i)-differentially private, so `spent` is simply the sum of the epsilons (or deltas) released.
 */
export interface BudgetState {
  total: number;
  spent: number;
}

/** What a release costs: ε, and δ for an approximately private (Gaussian) release, 0 for a pure one. */
export interface ReleaseCost {
  epsilon: number;
  delta: number;
}

/** An (ε, δ) budget: composition adds up both, and a release must fit in each. */
export interface ApproximateBudget {
  epsilon: BudgetState;
  delta: BudgetState;
}

/**
 * Relative slack for floating-point drift in `spent` accumulated over many additions, so a budget
 * of 3 pays for three releases of 1. Relative, since deltas are around 1e-6 and a fixed slack that
 * suits epsilons would pay for extra releases of tiny deltas. Stores that check budgets in SQL use
 * the same figure.
 */
export const BUDGET_TOLERANCE = 1e-9;

function fits(state: BudgetState, amount: number): boolean {
  requireNonNegative(state.total, 'total');
  requireNonNegative(state.spent, 'spent');
  return state.spent + amount <= state.total * (1 + BUDGET_TOLERANCE);
}

/** Whether a release costing `epsilon` still fits: spent + epsilon ≤ total. */
export function chargeable(state: BudgetState, epsilon: number): boolean {
  requirePositive(epsilon, 'epsilon');
  return fits(state, epsilon);
}

/**
 * Which of ε and δ a release costing `cost` would overspend (ε first when both), or null when it
 * fits. A pure release spends no δ, so it is never refused for want of δ, even where more δ was
 * spent than a lowered total now allows.
 */
export function overspent(budget: ApproximateBudget, cost: ReleaseCost): 'epsilon' | 'delta' | null {
  requirePositive(cost.epsilon, 'epsilon');
  requireNonNegative(cost.delta, 'delta');
  if (!fits(budget.epsilon, cost.epsilon)) return 'epsilon';
  if (cost.delta > 0 && !fits(budget.delta, cost.delta)) return 'delta';
  return null;
}
