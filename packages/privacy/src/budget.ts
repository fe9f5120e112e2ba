import { requireNonNegative, requirePositive } from './validate';

/**
 * A privacy budget under basic sequential composition: k releases at ε_1…ε_k (δ_1…δ_k) are together
 * (Σε_i, Σδ_i)-differentially private, so `spent` is simply the sum of the epsilons released.
 */
export interface BudgetState {
  total: number;
  spent: number;
}

/** Absorbs floating-point drift in `spent` accumulated over many additions. */
const TOLERANCE = 1e-9;

/** Whether a release costing `epsilon` still fits: spent + epsilon ≤ total. */
export function chargeable(state: BudgetState, epsilon: number): boolean {
  requireNonNegative(state.total, 'total');
  requireNonNegative(state.spent, 'spent');
  requirePositive(epsilon, 'epsilon');
  return state.spent + epsilon <= state.total + TOLERANCE;
}
