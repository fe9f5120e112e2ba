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
  /**
   * A fixed reward model, for `directMethod` and `doublyRobust` (they need it or `fitRewardModel`);
   * rounds may carry their context in extra fields. Right when the model was fitted on other data:
   * the interval is then conditional on it.
   */
  rewardModel?: (round: R) => RewardPrediction;
  /**
   * How to fit the reward model on a set of rounds, for a model fitted on the evaluated rounds
   * themselves: it is fitted on all of them for the value and refitted on every bootstrap resample,
   * so the interval carries the model's own estimation error too. A fixed model fitted on the same
   * rounds gives DM an interval far too narrow.
   */
  fitRewardModel?: (rounds: readonly R[]) => (round: R) => RewardPrediction;
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
  return modelEstimate('DM', rounds, options, (_round, prediction) => prediction.expected);
}

/**
 * Doubly robust: mean(expected + w·(r − logged)). Unbiased when either the propensities or the
 * reward model are right, and the better the model, the less of IPW's variance remains.
 */
export function doublyRobust<R extends LoggedRound>(rounds: readonly R[], options: EstimateOptions<R>): Estimate {
  validateRounds(rounds);
  return modelEstimate('DR', rounds, options, (round, prediction) => prediction.expected + weight(round) * (round.reward - prediction.logged));
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

function predict<R extends LoggedRound>(rounds: readonly R[], model: ((round: R) => RewardPrediction) | undefined): RewardPrediction[] {
  if (!model) throw new RecsysError('this estimator needs a rewardModel or fitRewardModel', 'rewardModel');
  return rounds.map((round) => {
    const prediction = model(round);
    requireFinite(prediction.logged, 'rewardModel');
    requireFinite(prediction.expected, 'rewardModel');
    return prediction;
  });
}

/** DM and DR: the mean of one term per round, with a fixed reward model or one refitted per resample. */
function modelEstimate<R extends LoggedRound>(
  estimator: 'DM' | 'DR',
  rounds: readonly R[],
  options: EstimateOptions<R>,
  term: (round: R, prediction: RewardPrediction) => number,
): Estimate {
  const fit = options.fitRewardModel;
  if (fit && options.rewardModel) throw new RecsysError('give a rewardModel or a fitRewardModel, not both', 'rewardModel');
  const terms = (sample: readonly R[], model: ((round: R) => RewardPrediction) | undefined) => {
    const predictions = predict(sample, model);
    return sample.map((round, i) => term(round, predictions[i]!));
  };
  if (!fit) return estimate(estimator, terms(rounds, options.rewardModel), null, options);
  const { bootstrap, confidence, rng } = bootstrapSettings(options);
  const n = rounds.length;
  const value = sumOf(terms(rounds, fit(rounds))) / n;
  const values: number[] = [];
  const sample: R[] = new Array<R>(n);
  for (let b = 0; b < bootstrap; b++) {
    for (let i = 0; i < n; i++) sample[i] = rounds[Math.floor(rng() * n)]!;
    values.push(sumOf(terms(sample, fit(sample))) / n);
  }
  return percentileInterval(estimator, value, values, n, confidence);
}

function bootstrapSettings(options: Pick<EstimateOptions, 'bootstrap' | 'confidence' | 'seed'>): { bootstrap: number; confidence: number; rng: () => number } {
  const { bootstrap = 1000, confidence = 0.95, seed = 0 } = options;
  requireCount(bootstrap, 1, 'bootstrap');
  if (!(confidence > 0 && confidence < 1)) throw new RecsysError(`confidence must be in (0, 1), got ${confidence}`, 'confidence');
  requireFinite(seed, 'seed');
  return { bootstrap, confidence, rng: seededRng(seed) };
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
  const { bootstrap, confidence, rng } = bootstrapSettings(options);
  const n = terms.length;
  const value = sumOf(terms) / (denominators ? sumOf(denominators) : n);
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
  return percentileInterval(estimator, value, values, n, confidence);
}

function percentileInterval(estimator: Estimate['estimator'], value: number, values: number[], rounds: number, confidence: number): Estimate {
  if (values.length === 0) return { estimator, value, lower: value, upper: value, rounds };
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { estimator, value, lower: quantile(values, tail), upper: quantile(values, 1 - tail), rounds };
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
