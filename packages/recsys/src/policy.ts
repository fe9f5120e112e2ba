import { RecsysError } from './errors';
import { requireCount, requireFinite, requireRange } from './validate';
import { MaxSimilarity } from './mmr';
import { betaSampler, type Rng } from './random';
import { sampleBest, sampleDraws } from './sample-best';
import { betaTail, logBeta } from './special';
import type { Vector } from './vector';

export interface PolicyCandidate {
  id: string;
  /** Fused exploit score in [0, 1]. */
  score: number;
  /** LinUCB context, of the state's dimension; other policies ignore it. */
  features: readonly number[];
  /** Embedding for MMR; an item without one is similar to nothing. */
  vector?: Vector;
}

export interface ArmStats {
  impressions: number;
  clicks: number;
}

/** One position of a slate as the policy saw it: for logging, explanations and tests. */
export interface SlateStep {
  rank: number;
  remaining: readonly PolicyCandidate[];
  /** Over `remaining`; sums to 1. */
  distribution: readonly number[];
  /** Index into `remaining` of the item served. */
  chosen: number;
  /** Index into `remaining` of the exploit choice. */
  exploit: number;
}

export interface PolicyContext {
  rng: Rng;
  /** Per-item click statistics, keyed by candidate id. */
  stats?: ReadonlyMap<string, ArmStats>;
  /** MMR λ in (0, 1]; 1 = no diversity. @default 1 */
  diversity?: number;
  /** Called once per position of `chooseSlate`. */
  trace?: (step: SlateStep) => void;
}

export interface SlateItem {
  id: string;
  /** 0-based. */
  rank: number;
  /** The base (MMR-adjusted) score at its position: λ·score − (1−λ)·max similarity to the items above. */
  score: number;
  /** Probability the policy gave this item at this position, given the items before it. */
  propensity: number;
  /** The policy served something other than its exploit choice here. */
  explored: boolean;
}

export interface Policy {
  readonly name: string;
  /** Changes whenever the maths changes, so logged propensities can be matched to the policy that made them. */
  readonly version: string;
  /** The numeric parameters, for logging with each impression. */
  readonly params: Readonly<Record<string, number>>;
  /**
   * The probability of serving each of `remaining` next, given `chosen` above it; sums to 1
   * (Thompson's, a Monte Carlo estimate per entry, on average).
   */
  distribution(remaining: readonly PolicyCandidate[], chosen: readonly PolicyCandidate[], ctx: PolicyContext): number[];
  /** `distribution`'s entry for `remaining[position]` alone: what a target policy's weight on one logged item needs. */
  probability(position: number, remaining: readonly PolicyCandidate[], chosen: readonly PolicyCandidate[], ctx: PolicyContext): number;
  /** Fills `size` positions one at a time, each sampled from the distribution over what is left. */
  chooseSlate(candidates: readonly PolicyCandidate[], size: number, ctx: PolicyContext): SlateItem[];
}

/**
 * 2: Thompson's prior and ε-greedy's blend put the fused score on the slot's click-rate scale first (`calibratedMeans`).
 * 3: Thompson's propensities are Rao–Blackwellised Monte Carlo estimates, no longer win counts over samples plus the served draw.
 */
const POLICY_VERSION = '3';

/**
 * One position's decision. `remaining` holds indices into the prepared candidates, ascending, and
 * `open` marks them; `similarity.of(i)` is candidate i's MMR similarity to the items already
 * chosen. When `pick` is false only probabilities are wanted (the returned pick is then -1).
 * `probability(position)` is the chance of serving `remaining[position]` here: exact for
 * closed-form policies, an estimate for Thompson sampling; it is asked for the served item only,
 * unless a caller wants the whole distribution. `pick` and `exploit` are positions in `remaining`.
 */
type Stepper = (
  remaining: readonly number[],
  open: Uint8Array,
  similarity: MaxSimilarity,
  lambda: number,
  pick: boolean,
) => { probability: (position: number) => number; pick: number; exploit: number };

/** Per-request work done once for all positions (posterior draws, UCB indices). */
type Prepare = (candidates: readonly PolicyCandidate[], ctx: PolicyContext) => Stepper;

function makePolicy(name: string, params: Readonly<Record<string, number>>, prepare: Prepare): Policy {
  /** The stepper over `[...remaining, ...chosen]`, the chosen items chosen. */
  const stepAfter = (remaining: readonly PolicyCandidate[], chosen: readonly PolicyCandidate[], ctx: PolicyContext) => {
    const all = [...remaining, ...chosen];
    validateCandidates(all);
    const lambda = diversityOf(ctx);
    const similarity = new MaxSimilarity(lambda < 1 ? all.map((candidate) => candidate.vector) : []);
    for (let i = remaining.length; i < all.length; i++) similarity.choose(i);
    const indices = remaining.map((_, i) => i);
    const open = new Uint8Array(all.length).fill(1, 0, remaining.length);
    return { indices, ...prepare(all, ctx)(indices, open, similarity, lambda, false) };
  };
  return {
    name,
    version: POLICY_VERSION,
    params,
    distribution: (remaining, chosen, ctx) => {
      const { indices, probability } = stepAfter(remaining, chosen, ctx);
      return indices.map(probability);
    },
    probability: (position, remaining, chosen, ctx) => {
      if (!(Number.isInteger(position) && position >= 0 && position < remaining.length)) {
        throw new RecsysError(`position must index remaining (0…${remaining.length - 1}), got ${position}`, 'position');
      }
      return stepAfter(remaining, chosen, ctx).probability(position);
    },
    chooseSlate: (candidates, size, ctx) => chooseSlate(prepare, candidates, size, ctx),
  };
}

function chooseSlate(prepare: Prepare, candidates: readonly PolicyCandidate[], size: number, ctx: PolicyContext): SlateItem[] {
  requireCount(size, 0, 'size');
  validateCandidates(candidates);
  const lambda = diversityOf(ctx);
  const step = prepare(candidates, ctx);
  const similarity = new MaxSimilarity(lambda < 1 ? candidates.map((candidate) => candidate.vector) : []);
  const open = new Uint8Array(candidates.length).fill(1);
  const remaining = candidates.map((_, i) => i);
  const slate: SlateItem[] = [];
  for (let rank = 0; rank < Math.min(size, candidates.length); rank++) {
    const { probability, pick, exploit } = step(remaining, open, similarity, lambda, true);
    const index = remaining[pick]!;
    const propensity = probability(pick);
    if (ctx.trace) {
      const distribution = remaining.map((_, position) => (position === pick ? propensity : probability(position)));
      ctx.trace({ rank, remaining: remaining.map((i) => candidates[i]!), distribution, chosen: pick, exploit });
    }
    slate.push({
      id: candidates[index]!.id,
      rank,
      score: mmr(candidates[index]!.score, lambda, similarity.of(index)),
      propensity,
      explored: pick !== exploit,
    });
    remaining.splice(pick, 1);
    open[index] = 0;
    similarity.choose(index);
  }
  return slate;
}

function validateCandidates(candidates: readonly PolicyCandidate[]): void {
  const ids = new Set<string>();
  for (const candidate of candidates) {
    requireFinite(candidate.score, 'score');
    if (ids.has(candidate.id)) throw new RecsysError(`candidate ${candidate.id} appears twice`, 'candidates');
    ids.add(candidate.id);
  }
}

function diversityOf(ctx: PolicyContext): number {
  const lambda = ctx.diversity ?? 1;
  if (!(lambda > 0 && lambda <= 1)) throw new RecsysError(`diversity must be in (0, 1], got ${lambda}`, 'diversity');
  return lambda;
}

const mmr = (value: number, lambda: number, maxSimilarity: number) => (lambda === 1 ? value : lambda * value - (1 - lambda) * maxSimilarity);

/**
 * The open candidate with the highest MMR-adjusted value λ·values[i] − (1−λ)·similarity, ties to
 * `wins` (a total order on indices). The similarity is computed only for candidates whose value
 * with the similarity known so far (`MaxSimilarity.known`, never more than the full one) reaches
 * the best found: the rest cannot win. The first pass finds the highest λ·value, whose full value
 * makes that bar high from the start.
 */
function bestOpen(
  open: Uint8Array,
  values: ArrayLike<number>,
  similarity: MaxSimilarity,
  lambda: number,
  wins: (index: number, other: number) => boolean,
): number {
  let best = -1;
  for (let index = 0; index < open.length; index++) if (open[index] && (best === -1 || values[index]! > values[best]!)) best = index;
  if (best === -1) return -1;
  let bestValue = mmr(values[best]!, lambda, similarity.of(best));
  for (let index = 0; index < open.length; index++) {
    if (!open[index] || index === best || mmr(values[index]!, lambda, similarity.known(index)) < bestValue) continue;
    const value = mmr(values[index]!, lambda, similarity.of(index));
    if (value > bestValue || (value === bestValue && wins(index, best))) {
      best = index;
      bestValue = value;
    }
  }
  return best;
}

/**
 * Position in `remaining` of the highest MMR-adjusted value; exact ties go to the higher fused
 * score, then the earlier candidate, so a model that has learnt nothing yet serves the fused order.
 */
function argmax(
  candidates: readonly PolicyCandidate[],
  remaining: readonly number[],
  open: Uint8Array,
  values: ArrayLike<number>,
  similarity: MaxSimilarity,
  lambda: number,
): number {
  const wins = (index: number, other: number) =>
    candidates[index]!.score > candidates[other]!.score || (candidates[index]!.score === candidates[other]!.score && index < other);
  return remaining.indexOf(bestOpen(open, values, similarity, lambda, wins));
}

/** Draws from a discrete distribution; rounding shortfall lands on the last entry with mass. */
function sampleIndex(rng: Rng, distribution: readonly number[]): number {
  const u = rng();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < distribution.length; i++) {
    if (distribution[i]! <= 0) continue;
    cumulative += distribution[i]!;
    last = i;
    if (u < cumulative) return i;
  }
  return last;
}

/** (1 − mix) on `best` plus `mix` spread uniformly: the shape of both ε-greedy and the LinUCB floor. */
function mixWithUniform(size: number, best: number, mix: number): number[] {
  const distribution = new Array<number>(size).fill(mix / size);
  distribution[best] = distribution[best]! + (1 - mix);
  return distribution;
}

function statsOf(ctx: PolicyContext, id: string): ArmStats {
  const stats = ctx.stats?.get(id);
  if (!stats) return { impressions: 0, clicks: 0 };
  if (!(stats.impressions >= 0 && stats.clicks >= 0 && stats.clicks <= stats.impressions)) {
    throw new RecsysError(`stats of ${id} must satisfy 0 <= clicks <= impressions`, 'stats');
  }
  return stats;
}

/** Fused scores are clamped to [SCORE_FLOOR, 1 − SCORE_FLOOR] before they become a Beta's mean. */
const SCORE_FLOOR = 1e-3;
/** Fused-score units of impressions behind the starting calibration: a few hundred impressions outweigh it. */
export const CALIBRATION_PRIOR_EXPOSURE = 100;
/** The starting guess of clicks per unit of fused score shown: a 2% click rate at a 0.4 score, the order of real slates. */
export const DEFAULT_CLICKS_PER_SCORE = 0.05;

/**
 * Each candidate's fused score put on the click-rate scale: score × c, with c the clicks the
 * candidates drew per unit of fused score they were shown with, Σ clicks / Σ impressions·score
 * (starting from DEFAULT_CLICKS_PER_SCORE). The fused score is a relevance in [0, 1] while an
 * impression is clicked 1–2% of the time; blended with clicks unscaled, every impression without a
 * click drops an item below the unshown ones and the slate rotates through the pool. One factor
 * per request keeps the fused order among items without statistics, and it makes the clicks
 * predicted for what was shown equal the clicks it drew. Callers rank posterior values divided by
 * c again (fused-score units), so MMR's similarity penalty keeps the weight it has against the fused score.
 */
function calibratedMeans(candidates: readonly PolicyCandidate[], ctx: PolicyContext): { means: Float64Array; perScore: number } {
  const scores = candidates.map((candidate) => Math.min(1 - SCORE_FLOOR, Math.max(SCORE_FLOOR, candidate.score)));
  let clicks = CALIBRATION_PRIOR_EXPOSURE * DEFAULT_CLICKS_PER_SCORE;
  let exposure = CALIBRATION_PRIOR_EXPOSURE;
  candidates.forEach((candidate, i) => {
    const stats = statsOf(ctx, candidate.id);
    clicks += stats.clicks;
    exposure += stats.impressions * scores[i]!;
  });
  const perScore = clicks / exposure;
  return { means: Float64Array.from(scores, (score) => Math.min(1 - SCORE_FLOOR, perScore * score)), perScore };
}

function requirePriorStrength(priorStrength: number): void {
  if (!(priorStrength > 0)) throw new RecsysError(`priorStrength must be > 0, got ${priorStrength}`, 'priorStrength');
}

export interface EpsilonGreedyOptions {
  /** Probability of serving a uniformly random item instead of the best. */
  epsilon: number;
  /**
   * Pseudo-impressions behind the calibrated score m (`calibratedMeans`) when blending it with
   * observed clicks: value = (k·m + clicks) / (k + impressions), so 20 impressions without a click
   * cost an item 4% of its value at the default, not the half they cost against an unscaled score.
   * Infinity ignores stats. @default 500
   */
  priorStrength?: number;
}

/**
 * ε-greedy: P(best) = 1 − ε + ε/n, P(other) = ε/n over the n remaining items, where "best"
 * maximises the MMR-adjusted blend of fused score and click-through rate.
 */
export function epsilonGreedy(options: EpsilonGreedyOptions): Policy {
  const { epsilon, priorStrength = 500 } = options;
  requireRange(epsilon, 0, 1, 'epsilon');
  requirePriorStrength(priorStrength);
  return makePolicy('epsilon-greedy', { epsilon, priorStrength }, (candidates, ctx) => {
    const calibrated = priorStrength === Infinity ? null : calibratedMeans(candidates, ctx);
    const values = candidates.map((candidate, i) => {
      if (!calibrated) return candidate.score;
      const { impressions, clicks } = statsOf(ctx, candidate.id);
      return (priorStrength * calibrated.means[i]! + clicks) / (priorStrength + impressions) / calibrated.perScore;
    });
    return (remaining, open, similarity, lambda, pick) => {
      const exploit = argmax(candidates, remaining, open, values, similarity, lambda);
      const distribution = mixWithUniform(remaining.length, exploit, epsilon);
      return { probability: (position) => distribution[position]!, exploit, pick: pick ? sampleIndex(ctx.rng, distribution) : -1 };
    };
  });
}

export interface ThompsonOptions {
  /**
   * Pseudo-impressions of the prior Beta(k·m, k·(1−m)) whose mean m is the fused score on the
   * click-rate scale (`calibratedMeans`); clicks and non-clicks are added to it. Smaller explores
   * more; Infinity is a point mass on the fused score, i.e. pure exploitation.
   */
  priorStrength: number;
  /** Monte Carlo draws of the other candidates behind each propensity; each costs one Beta draw per candidate. @default 16 */
  samples?: number;
}

/** The least propensity Thompson logs: an estimate below it means odds no sample resolves, and an IPS weight above 10¹² means nothing. */
export const MIN_THOMPSON_PROPENSITY = 1e-12;

/**
 * Thompson sampling: at each position one posterior draw θ_i ~ Beta(a_i, b_i) per remaining
 * item, serve the argmax of λ·θ_i/c − (1−λ)·similarity_i (c from `calibratedMeans`). The
 * propensity of that argmax has no closed form. It is estimated by Monte Carlo, Rao–Blackwellised:
 * `samples` draws of every candidate (shared by all positions of a slate, which keeps the cost at
 * samples × n draws), and for item i at each position the mean over samples of the exact chance
 * that i's own draw beats the best of the others' in that sample (a Beta tail, `betaTail`). Unlike
 * counting the samples i wins, that is never 0 for a served item and far less noisy for a rare one
 * (`pnpm bench:policy` measures both; docs/operations.md), so fewer samples do.
 */
export function thompsonSampling(options: ThompsonOptions): Policy {
  const { priorStrength, samples = 16 } = options;
  requirePriorStrength(priorStrength);
  requireCount(samples, 1, 'samples');
  return makePolicy('thompson', { priorStrength, samples }, (candidates, ctx) => {
    const n = candidates.length;
    if (priorStrength === Infinity) {
      const scores = Float64Array.from(candidates, (candidate) => candidate.score);
      return (remaining, open, similarity, lambda, pick) => {
        const exploit = argmax(candidates, remaining, open, scores, similarity, lambda);
        return { probability: (position) => (position === exploit ? 1 : 0), exploit, pick: pick ? exploit : -1 };
      };
    }
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const mean = new Float64Array(n);
    // ln B(a_i, b_i), computed for the candidates whose probability is asked for.
    const logB = new Float64Array(n).fill(NaN);
    const { means, perScore } = calibratedMeans(candidates, ctx);
    candidates.forEach((candidate, i) => {
      const { impressions, clicks } = statsOf(ctx, candidate.id);
      a[i] = priorStrength * means[i]! + clicks;
      b[i] = priorStrength * (1 - means[i]!) + impressions - clicks;
      mean[i] = a[i] / (a[i] + b[i]) / perScore;
    });
    // Each candidate's posterior is drawn from samples + size times a slate: prepared once.
    const posterior = Array.from({ length: n }, (_, i) => betaSampler(a[i]!, b[i]!));
    // Stored candidate by candidate (what the best-value search reads in a row).
    const drawn = new Float64Array(samples * n);
    for (let i = 0; i < n; i++) for (let s = 0; s < samples; s++) drawn[i * samples + s] = posterior[i]!(ctx.rng) / perScore;
    const draws = sampleDraws(drawn, samples);
    const others = new Float64Array(samples);
    return (remaining, open, similarity, lambda, pick) => {
      const penalty = (index: number) => (1 - lambda) * similarity.of(index);
      let chosen = -1;
      if (pick) {
        const actual = new Float64Array(n);
        for (const index of remaining) actual[index] = posterior[index]!(ctx.rng) / perScore;
        chosen = bestOpen(open, actual, similarity, lambda, (index, other) => index < other);
      }
      const probability = (position: number): number => {
        const index = remaining[position]!;
        open[index] = 0;
        sampleBest(draws, open, penalty, lambda, others);
        open[index] = 1;
        if (Number.isNaN(logB[index]!)) logB[index] = logBeta(a[index]!, b[index]!);
        const own = penalty(index);
        let total = 0;
        // i wins sample s when λ·θ_i/c − penalty_i beats the others' best there: θ_i > (best + penalty_i)·c/λ.
        for (let s = 0; s < samples; s++) total += betaTail(((others[s]! + own) * perScore) / lambda, a[index]!, b[index]!, logB[index]);
        return Math.max(MIN_THOMPSON_PROPENSITY, total / samples);
      };
      return {
        probability,
        exploit: argmax(candidates, remaining, open, mean, similarity, lambda),
        pick: chosen === -1 ? -1 : remaining.indexOf(chosen),
      };
    };
  });
}

/** Ridge-regression statistics of LinUCB: A = ridge·I + Σ x xᵀ and b = Σ reward·x, row-major. */
export interface LinUcbState {
  dimension: number;
  A: Float64Array;
  b: Float64Array;
}

/**
 * A fresh state whose estimate θ starts at `priorMean` (zero by default) with confidence `ridge`:
 * A = ridge·I, b = ridge·priorMean. A prior weight on a feature that carries the fused score makes
 * a model that has seen nothing serve the fused ranking.
 */
export function createLinUcbState(dimension: number, ridge = 1, priorMean?: readonly number[]): LinUcbState {
  requireCount(dimension, 1, 'dimension');
  if (!(ridge > 0) || !Number.isFinite(ridge)) throw new RecsysError(`ridge must be a finite number > 0, got ${ridge}`, 'ridge');
  if (priorMean) requireFeatures(priorMean, dimension);
  const A = new Float64Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) A[i * dimension + i] = ridge;
  return { dimension, A, b: Float64Array.from({ length: dimension }, (_, i) => ridge * (priorMean?.[i] ?? 0)) };
}

/** Adds one observation in place: A += x xᵀ, b += reward · x. */
export function updateLinUcb(state: LinUcbState, features: readonly number[], reward: number): void {
  const d = state.dimension;
  requireFeatures(features, d);
  requireFinite(reward, 'reward');
  for (let i = 0; i < d; i++) state.b[i] = state.b[i]! + reward * features[i]!;
  addOuterProduct(state.A, features);
}

/**
 * Positions of x's non-zero values, ascending. A segment context (segmentContext) is mostly zeros,
 * the shared block and one segment's, so outer products and quadratic forms over these alone are
 * (d / non-zeros)² times cheaper, and equal to the dense sums: the terms left out are exact zeros.
 */
function nonZeros(x: readonly number[]): number[] {
  const positions: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) positions.push(i);
  return positions;
}

/** target += x xᵀ in place, target row-major d × d for x of length d. */
export function addOuterProduct(target: Float64Array, x: readonly number[]): void {
  const d = x.length;
  if (target.length !== d * d) throw new RecsysError(`an outer product of ${d} values needs ${d * d} cells, got ${target.length}`, 'features');
  const positions = nonZeros(x);
  for (const i of positions) {
    const xi = x[i]!;
    for (const j of positions) target[i * d + j] = target[i * d + j]! + xi * x[j]!;
  }
}

/**
 * θ = A⁻¹b and A⁻¹ itself, by Cholesky: A is symmetric positive definite by construction, and at
 * the d of a few dozen features a fresh O(d³) inverse per request (about 0.2 M operations at
 * d = 54) is cheaper than keeping one in sync.
 */
export function solveLinUcb(state: LinUcbState): { theta: Float64Array; inverse: Float64Array } {
  const d = state.dimension;
  if (state.A.length !== d * d || state.b.length !== d) throw new RecsysError('LinUCB state arrays do not match its dimension', 'linUcbState');
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = state.A[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new RecsysError('LinUCB state is not positive definite', 'linUcbState');
        L[i * d + i] = Math.sqrt(sum);
      } else {
        L[i * d + j] = sum / L[j * d + j]!;
      }
    }
  }
  // A⁻¹ = L⁻ᵀ L⁻¹: invert the triangle, then multiply.
  const Linv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    Linv[i * d + i] = 1 / L[i * d + i]!;
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= L[i * d + k]! * Linv[k * d + j]!;
      Linv[i * d + j] = sum / L[i * d + i]!;
    }
  }
  const inverse = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let k = Math.max(i, j); k < d; k++) sum += Linv[k * d + i]! * Linv[k * d + j]!;
      inverse[i * d + j] = sum;
    }
  }
  const theta = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += inverse[i * d + j]! * state.b[j]!;
    theta[i] = sum;
  }
  return { theta, inverse };
}

function requireFeatures(features: readonly number[], dimension: number): void {
  if (features.length !== dimension) throw new RecsysError(`features have ${features.length} entries, the LinUCB state ${dimension}`, 'features');
  for (const x of features) requireFinite(x, 'features');
}

export interface LinUcbOptions {
  state: LinUcbState;
  /** Width of the confidence bonus. */
  alpha: number;
  /** Probability mass spread uniformly so every candidate keeps a positive propensity. @default 0.05 */
  floor?: number;
}

/**
 * LinUCB with one θ shared by all items (so what is learnt transfers to new ones): UCB_i = θᵀx_i + α·√(x_iᵀA⁻¹x_i). The item with the
 * highest MMR-adjusted UCB gets 1 − floor + floor/n, every other floor/n. The fused score reaches
 * the model only through the features, so callers include it there (e.g. [1, score, affinity, …])
 * and give it a prior weight in `createLinUcbState`.
 */
export function linUcb(options: LinUcbOptions): Policy {
  const { state, alpha, floor = 0.05 } = options;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RecsysError(`alpha must be a finite number >= 0, got ${alpha}`, 'alpha');
  requireRange(floor, 0, 1, 'floor');
  return makePolicy('linucb', { alpha, floor, dimension: state.dimension }, (candidates, ctx) => {
    const { theta, inverse } = solveLinUcb(state);
    const d = state.dimension;
    const mean = new Float64Array(candidates.length);
    const upper = new Float64Array(candidates.length);
    candidates.forEach((candidate, c) => {
      const x = candidate.features;
      requireFeatures(x, d);
      const positions = nonZeros(x);
      let estimate = 0;
      let variance = 0;
      for (const i of positions) {
        estimate += theta[i]! * x[i]!;
        let sum = 0;
        for (const j of positions) sum += inverse[i * d + j]! * x[j]!;
        variance += x[i]! * sum;
      }
      mean[c] = estimate;
      upper[c] = estimate + alpha * Math.sqrt(Math.max(0, variance));
    });
    return (remaining, open, similarity, lambda, pick) => {
      const best = argmax(candidates, remaining, open, upper, similarity, lambda);
      const distribution = mixWithUniform(remaining.length, best, floor);
      return {
        probability: (position) => distribution[position]!,
        exploit: argmax(candidates, remaining, open, mean, similarity, lambda),
        pick: pick ? sampleIndex(ctx.rng, distribution) : -1,
      };
    };
  });
}

export type PolicyKind = 'epsilon-greedy' | 'thompson' | 'linucb';

export interface PolicyConfig {
  kind: PolicyKind;
  /** 0 = pure exploitation, 1 = the most exploration this package considers sane. */
  explorationStrength: number;
  /** Required for `linucb`. */
  linUcbState?: LinUcbState;
  /**
   * Thompson's Monte Carlo draws per propensity (`ThompsonOptions.samples`). They decide nothing
   * served, only the logged propensity, so a caller that reads none (a simulation) sets 1 and saves
   * most of the cost. @default 16
   */
  samples?: number;
}

/** ε at full strength: half the slots random is already a lot of lost relevance. */
export const MAX_EPSILON = 0.5;
/**
 * Thompson prior pseudo-impressions at full strength. The prior mean is a click rate of about
 * 1–5%, so 200 pseudo-impressions are 2–10 pseudo-clicks: a draw spreads about ±30–70% around it.
 */
export const MIN_PRIOR_STRENGTH = 200;
/** LinUCB α at full strength. */
export const MAX_ALPHA = 2;
/** LinUCB floor whenever there is any exploration. */
export const DEFAULT_FLOOR = 0.05;

/**
 * Maps one exploration strength s ∈ [0, 1] onto each policy's own knob: ε = 0.5·s;
 * Thompson priorStrength = 200/s (s = 0 gives Infinity, the fused ranking); LinUCB α = 2·s with the
 * 0.05 floor, except at s = 0 where the floor is 0 too so the slate is the exploit order.
 */
export function policyFromConfig(config: PolicyConfig): Policy {
  const s = config.explorationStrength;
  requireRange(s, 0, 1, 'explorationStrength');
  switch (config.kind) {
    case 'epsilon-greedy':
      return epsilonGreedy({ epsilon: MAX_EPSILON * s });
    case 'thompson':
      return thompsonSampling({ priorStrength: MIN_PRIOR_STRENGTH / s, ...(config.samples !== undefined && { samples: config.samples }) });
    case 'linucb':
      if (!config.linUcbState) throw new RecsysError('a linucb policy needs linUcbState', 'linUcbState');
      return linUcb({ state: config.linUcbState, alpha: MAX_ALPHA * s, floor: s > 0 ? DEFAULT_FLOOR : 0 });
    default:
      throw new RecsysError(`unknown policy kind ${String((config as { kind: unknown }).kind)}`, 'kind');
  }
}
