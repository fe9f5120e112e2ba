/**
 * The simulated shoppers of pnpm eval:bandit: how likely a shopper is to click an item at a slate
 * position. Fitted on the "fit" half of a data set's users, never shown to the policies.
 *
 *   P(click | shopper u, item i, rank r) = examination(r) · σ(β₀ + β_aff·aff_u(i) + β_pop·pop_i + β_next·next_u(i) + q_i)
 *
 * - examination(r) = 1 / log2(r + 2) (rank r from 0): the position bias, DCG's discount.
 * - aff_u(i) ∈ [0, 1]: the highest item-kNN cosine (users sharing both items, in the fit half's
 *   histories) between i and any of the shopper's AFFINITY_SEEDS most recent distinct items.
 * - pop_i: log(1 + the item's interactions in the fit half's histories), standardised.
 * - next_u(i) = 1 when i is one of the shopper's own held-out next items (the end of their real
 *   sequence), else 0. β_next is an assumption, as nothing in the data says how likely a shopper is
 *   to click what they go on to take anyway: logit(NEXT_ITEM_CLICK) − β₀, so that such an item of
 *   average popularity, no affinity and quality 0 is clicked at the top with probability 0.3.
 * - q_i ~ N(0, QUALITY_SD²): a hidden quality per item (photos, price, reviews), drawn per seed.
 *   It is what only feedback can teach a policy.
 * - β_aff, β_pop: fitted by maximum likelihood as a conditional logit of each fit-half user's
 *   held-out last item over the whole catalogue (`fitChoice`).
 * - β₀: calibrated so that a slate of each fit-half user's 10 most attractive items, their history
 *   excluded, draws as many expected clicks (quality drawn, next_u = 0) as it holds their held-out
 *   last item, weighted by the examination at its rank: the fit half's own rate (`calibrateIntercept`).
 */
import { sampleNormal, type Rng } from '../../packages/recsys/src';
import { itemNeighbours, recentSeeds, type Neighbours } from './topn-sources';

/** A shopper's most recent distinct items whose neighbours give their affinities. */
export const AFFINITY_SEEDS = 10;
/** Cosine neighbours kept per item. */
export const AFFINITY_NEIGHBOURS = 100;
/** How likely a shopper is to click, at the top, an item they really take next (average popularity, no affinity, quality 0). */
export const NEXT_ITEM_CLICK = 0.3;
/** Standard deviation of the hidden per-item quality, in log-odds. */
export const QUALITY_SD = 1;
/** Items in a slate. */
export const SLATE = 10;

export interface ClickCoefficients {
  intercept: number;
  affinity: number;
  popularity: number;
  next: number;
  qualitySd: number;
}

export interface ClickModel {
  neighbours: Neighbours;
  /** pop_i per item id, standardised over the catalogue (ids 1…slots − 1). */
  popularity: Float64Array;
  coefficients: ClickCoefficients;
  /** The fit: users, the fit half's examination-weighted hit rate the intercept matches, Newton steps. */
  fit: { users: number; hitRate: number; iterations: number };
}

/** The position bias: the chance a shopper looks at rank r (0-based). */
export const examination = (rank: number): number => 1 / Math.log2(rank + 2);

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** aff_u(i) for every item with a nonzero affinity to `history` (oldest first). */
export function affinities(neighbours: Neighbours, history: readonly number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const seed of recentSeeds(history, AFFINITY_SEEDS)) {
    const ids = neighbours.ids[seed]!;
    const sims = neighbours.sims[seed]!;
    for (let n = 0; n < ids.length; n++) if (sims[n]! > (result.get(ids[n]!) ?? 0)) result.set(ids[n]!, sims[n]!);
  }
  return result;
}

/** The log-odds of a click before examination. */
export function clickLogit(model: ClickModel, item: number, affinity: number, next: boolean, quality: number): number {
  const { intercept, affinity: beta, popularity, next: bonus } = model.coefficients;
  return intercept + beta * affinity + popularity * model.popularity[item]! + (next ? bonus : 0) + quality;
}

/** One user's choice: the items with a nonzero affinity, and the item they took. */
export interface Choice {
  items: Int32Array;
  affinity: Float64Array;
  target: number;
}

/**
 * Maximum likelihood of the conditional logit P(target = i) ∝ exp(β_aff·aff_u(i) + β_pop·pop_i)
 * over every item 1…slots − 1, by Newton's method with step halving (the log-likelihood is
 * concave). An item without affinity differs from the others only by its popularity, so each user
 * costs their nonzero affinities, not the catalogue.
 */
export function fitChoice(popularity: Float64Array, choices: readonly Choice[]): { affinity: number; popularity: number; iterations: number } {
  let beta = [0, 0] as [number, number];
  const evaluate = ([ba, bp]: readonly [number, number]) => {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    for (let item = 1; item < popularity.length; item++) {
      const w = Math.exp(bp * popularity[item]!);
      a0 += w;
      a1 += w * popularity[item]!;
      a2 += w * popularity[item]! ** 2;
    }
    let logLikelihood = 0;
    const gradient = [0, 0];
    const hessian = [0, 0, 0];
    for (const { items, affinity, target } of choices) {
      let z = a0;
      let sa = 0;
      let sp = a1;
      let saa = 0;
      let sap = 0;
      let spp = a2;
      let targetAffinity = 0;
      for (let n = 0; n < items.length; n++) {
        const p = popularity[items[n]!]!;
        const a = affinity[n]!;
        if (items[n] === target) targetAffinity = a;
        const w0 = Math.exp(bp * p);
        const w = w0 * Math.exp(ba * a);
        z += w - w0;
        sa += w * a;
        sp += (w - w0) * p;
        saa += w * a * a;
        sap += w * a * p;
        spp += (w - w0) * p * p;
      }
      const ea = sa / z;
      const ep = sp / z;
      logLikelihood += ba * targetAffinity + bp * popularity[target]! - Math.log(z);
      gradient[0]! += targetAffinity - ea;
      gradient[1]! += popularity[target]! - ep;
      hessian[0]! -= saa / z - ea * ea;
      hessian[1]! -= sap / z - ea * ep;
      hessian[2]! -= spp / z - ep * ep;
    }
    return { logLikelihood, gradient, hessian };
  };
  let current = evaluate(beta);
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    const [g0, g1] = current.gradient as [number, number];
    const [h00, h01, h11] = current.hessian as [number, number, number];
    const det = h00 * h11 - h01 * h01;
    let step = [-(h11 * g0 - h01 * g1) / det, -(h00 * g1 - h01 * g0) / det] as [number, number];
    let next = evaluate([beta[0] + step[0], beta[1] + step[1]]);
    while (next.logLikelihood < current.logLikelihood && Math.abs(step[0]) + Math.abs(step[1]) > 1e-12) {
      step = [step[0] / 2, step[1] / 2];
      next = evaluate([beta[0] + step[0], beta[1] + step[1]]);
    }
    beta = [beta[0] + step[0], beta[1] + step[1]];
    current = next;
    if (Math.abs(step[0]) + Math.abs(step[1]) < 1e-9) break;
  }
  return { affinity: beta[0], popularity: beta[1], iterations };
}

/**
 * The intercept β₀ at which Σ_u Σ_r examination(r)·σ(β₀ + logits_u[r]) equals `clicks`, by
 * bisection (the sum rises with β₀). `logits` holds each user's slate without β₀.
 */
export function calibrateIntercept(logits: readonly Float64Array[], clicks: number): number {
  const expected = (intercept: number) => {
    let total = 0;
    for (const slate of logits) for (let rank = 0; rank < slate.length; rank++) total += examination(rank) * sigmoid(intercept + slate[rank]!);
    return total;
  };
  let low = -40;
  let high = 40;
  for (let step = 0; step < 100; step++) {
    const middle = (low + high) / 2;
    if (expected(middle) < clicks) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** pop_i = log(1 + interactions of i in `sequences`), standardised over items 1…slots − 1. */
export function standardisedPopularity(sequences: readonly (readonly number[])[], slots: number): Float64Array {
  const popularity = new Float64Array(slots);
  for (const sequence of sequences) for (const item of sequence) popularity[item]!++;
  let sum = 0;
  let squares = 0;
  for (let item = 1; item < slots; item++) {
    popularity[item] = Math.log1p(popularity[item]!);
    sum += popularity[item]!;
    squares += popularity[item]! ** 2;
  }
  const mean = sum / (slots - 1);
  const sd = Math.sqrt(Math.max(squares / (slots - 1) - mean * mean, 1e-12));
  for (let item = 1; item < slots; item++) popularity[item] = (popularity[item]! - mean) / sd;
  return popularity;
}

/**
 * The calibration's slates: per fit user the SLATE items with the highest β_aff·aff + β_pop·pop,
 * their history excluded, as logits without β₀ plus a quality drawn from `rng` for each; and the
 * clicks they stand for: Σ over users of examination(rank of the held-out item), 0 when absent.
 */
export function calibrationSlates(
  choices: readonly Choice[],
  histories: readonly (readonly number[])[],
  popularity: Float64Array,
  beta: { affinity: number; popularity: number },
  rng: Rng,
): { logits: Float64Array[]; clicks: number } {
  // Among items without affinity the score follows popularity alone, so the SLATE best of them
  // (the most popular if β_pop ≥ 0) are all a slate can need beside the items with affinity.
  const direction = beta.popularity >= 0 ? 1 : -1;
  const byPopularity = Array.from({ length: popularity.length - 1 }, (_, i) => i + 1).sort((a, b) => direction * (popularity[b]! - popularity[a]!) || a - b);
  let clicks = 0;
  const logits = choices.map(({ items, affinity, target }, user) => {
    const history = new Set(histories[user]);
    const scored = new Map<number, number>();
    items.forEach((item, n) => scored.set(item, beta.affinity * affinity[n]! + beta.popularity * popularity[item]!));
    for (let n = 0, added = 0; n < byPopularity.length && added < SLATE; n++) {
      const item = byPopularity[n]!;
      if (history.has(item)) continue;
      added++;
      if (!scored.has(item)) scored.set(item, beta.popularity * popularity[item]!);
    }
    const slate = [...scored]
      .filter(([item]) => !history.has(item))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, SLATE);
    const rank = slate.findIndex(([item]) => item === target);
    if (rank >= 0) clicks += examination(rank);
    return Float64Array.from(slate, ([, logit]) => logit + QUALITY_SD * sampleNormal(rng));
  });
  return { logits, clicks };
}

/**
 * Fits the click model on the fit half: each user's last item is held out, the rest is their
 * history. Neighbours and popularity count the histories only, so the held-out items stay unseen.
 * `rng` draws the qualities the calibration averages over.
 */
export function fitClickModel(sequences: readonly (readonly number[])[], slots: number, rng: Rng): ClickModel {
  const fitted = sequences.filter((sequence) => sequence.length >= 2);
  const histories = fitted.map((sequence) => sequence.slice(0, -1));
  const neighbours = itemNeighbours(histories, slots, AFFINITY_NEIGHBOURS);
  const popularity = standardisedPopularity(histories, slots);
  const choices = fitted.map((sequence, user): Choice => {
    const affinity = affinities(neighbours, histories[user]!);
    return { items: Int32Array.from(affinity.keys()), affinity: Float64Array.from(affinity.values()), target: sequence[sequence.length - 1]! };
  });
  const choice = fitChoice(popularity, choices);
  const { logits, clicks } = calibrationSlates(choices, histories, popularity, choice, rng);
  const intercept = calibrateIntercept(logits, clicks);
  return {
    neighbours,
    popularity,
    coefficients: {
      intercept,
      affinity: choice.affinity,
      popularity: choice.popularity,
      next: Math.log(NEXT_ITEM_CLICK / (1 - NEXT_ITEM_CLICK)) - intercept,
      qualitySd: QUALITY_SD,
    },
    fit: { users: fitted.length, hitRate: clicks / fitted.length, iterations: choice.iterations },
  };
}
