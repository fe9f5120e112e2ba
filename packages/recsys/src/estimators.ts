import { RecsysError } from './errors';
import { seededRng } from './random';
import { requireCount, requireFinite, requireRange } from './validate';

/** One logged impression, as the serving policies record it, plus the evaluated policy's view of it. */
export interface LoggedRound {
  action: string;
  reward: number;
  /** The logging policy's probability of the logged action, in (0, 1]. */
  propensity: number;
  /** The evaluated (target) policy's probability of that same action, in [0, 1]. */
  targetProbability: number;
}

/** A reward model's predictions for one round. */
export interface RewardPrediction {
  /** Predicted reward of the logged action, q̂(x, a). */
  logged: number;
  /** Predicted reward of the target policy in this context, Σ_a π(a|x) q̂(x, a). */
  expected: number;
}

export interface EstimateOptions<R extends LoggedRound = LoggedRound> {
  /** Needed by `directMethod` and `doublyRobust`; rounds may carry their context in extra fields. */
  rewardModel?: (round: R) => RewardPrediction;
  /** Bootstrap resamples behind the interval. @default 1000 */
  bootstrap?: number;
  /** Coverage of the percentile interval, in (0, 1). @default 0.95 */
  confidence?: number;
  /** Seed of the resampling, so the same input always gives the same interval. @default 0 */
  seed?: number;
}

export interface Estimate {
  estimator: 'IPW' | 'SNIPW' | 'DM' | 'DR';
  value: number;
  lower: number;
  upper: number;
  rounds: number;
}

/** Inverse propensity weighting: mean(w·r) with w = target / propensity. Unbiased, high variance. */
export function ipw<R extends LoggedRound>(rounds: readonly R[], options: EstimateOptions<R> = {}): Estimate {
  validateRounds(rounds);
  const terms = rounds.map((round) => weight(round) * round.reward);
  return estimate('IPW', terms, null, options);
}

/**
 * Self-normalised IPW: Σ w·r / Σ w. A weighted mean of observed rewards, so it never leaves their
 * range however small a propensity; slightly biased in exchange.
 */
export function snipw<R extends LoggedRound>(rounds: readonly R[], options: EstimateOptions<R> = {}): Estimate {
  validateRounds(rounds);
  const weights = rounds.map(weight);
  if (!weights.some((w) => w > 0)) {
    throw new RecsysError('SNIPW needs at least one round the target policy could take', 'targetProbability');
  }
  const terms = rounds.map((round, i) => weights[i]! * round.reward);
  return estimate('SNIPW', terms, weights, options);
}

/** Direct method: mean of the reward model's expected reward under the target policy. */
export function directMethod<R extends LoggedRound>(rounds: readonly R[], options: EstimateOptions<R>): Estimate {
  validateRounds(rounds);
  const predictions = predict(rounds, options);
  return estimate('DM', predictions.map((p) => p.expected), null, options);
}

/**
 * Doubly robust: mean(expected + w·(r − logged)). Unbiased when either the propensities or the
 * reward model are right, and the better the model, the less of IPW's variance remains.
 */
export function doublyRobust<R extends LoggedRound>(rounds: readonly R[], options: EstimateOptions<R>): Estimate {
  validateRounds(rounds);
  const predictions = predict(rounds, options);
  const terms = rounds.map((round, i) => predictions[i]!.expected + weight(round) * (round.reward - predictions[i]!.logged));
  return estimate('DR', terms, null, options);
}

const weight = (round: LoggedRound) => round.targetProbability / round.propensity;

function validateRounds(rounds: readonly LoggedRound[]): void {
  if (rounds.length === 0) throw new RecsysError('at least one logged round is needed', 'rounds');
  for (const round of rounds) {
    requireFinite(round.reward, 'reward');
    if (!(round.propensity > 0 && round.propensity <= 1)) {
      throw new RecsysError(`propensity must be in (0, 1], got ${round.propensity}`, 'propensity');
    }
    requireRange(round.targetProbability, 0, 1, 'targetProbability');
  }
}

function predict<R extends LoggedRound>(rounds: readonly R[], options: EstimateOptions<R>): RewardPrediction[] {
  const model = options.rewardModel;
  if (!model) throw new RecsysError('this estimator needs a rewardModel', 'rewardModel');
  return rounds.map((round) => {
    const prediction = model(round);
    requireFinite(prediction.logged, 'rewardModel');
    requireFinite(prediction.expected, 'rewardModel');
    return prediction;
  });
}

/**
 * Every estimator here is Σ terms / Σ denominators (denominators 1 for plain means), so one
 * percentile bootstrap serves them all. A resample whose denominators sum to 0 (SNIPW drawing only
 * rounds the target never takes) has no value and is left out of the percentiles.
 */
function estimate(
  estimator: Estimate['estimator'],
  terms: readonly number[],
  denominators: readonly number[] | null,
  options: Pick<EstimateOptions, 'bootstrap' | 'confidence' | 'seed'>,
): Estimate {
  const { bootstrap = 1000, confidence = 0.95, seed = 0 } = options;
  requireCount(bootstrap, 1, 'bootstrap');
  if (!(confidence > 0 && confidence < 1)) throw new RecsysError(`confidence must be in (0, 1), got ${confidence}`, 'confidence');
  requireFinite(seed, 'seed');
  const n = terms.length;
  const value = sumOf(terms) / (denominators ? sumOf(denominators) : n);
  const rng = seededRng(seed);
  const values: number[] = [];
  for (let b = 0; b < bootstrap; b++) {
    let sum = 0;
    let denominator = 0;
    for (let i = 0; i < n; i++) {
      const index = Math.floor(rng() * n);
      sum += terms[index]!;
      denominator += denominators ? denominators[index]! : 1;
    }
    if (denominator > 0) values.push(sum / denominator);
  }
  if (values.length === 0) return { estimator, value, lower: value, upper: value, rounds: n };
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { estimator, value, lower: quantile(values, tail), upper: quantile(values, 1 - tail), rounds: n };
}

function sumOf(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

/** Linear interpolation between order statistics of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}
