import { RecsysError } from './errors';
import { requireCount, requireRange } from './validate';

/** What a product's reviews add up to. */
export interface ReviewTally {
  /** Reviews (all of them, analysed or not). */
  ratings: number;
  /** Sum of their 1–5 star ratings. */
  ratingSum: number;
  /** Reviews whose text the sentiment model has read. */
  analysed: number;
  positive: number;
  negative: number;
}

/**
 * What a product with no reviews is taken to be, and how many reviews' worth that belief weighs.
 * A few glowing (or scathing) reviews move a product only part of the way; dozens dominate.
 */
export interface QualityPrior {
  /** @default 4: e-commerce ratings cluster high, so 4 stars is ordinary, not good. */
  rating: number;
  /** Positive share minus negative share of an ordinary product's reviews. @default 0.5 */
  netSentiment: number;
  /** Pseudo-reviews the prior counts for. @default 5 */
  weight: number;
}

export const DEFAULT_QUALITY_PRIOR: Readonly<QualityPrior> = { rating: 4, netSentiment: 0.5, weight: 5 };

/** Stars and text, equally: each alone is gamed or misread (a 1-star typo, sarcasm). */
function blend(rating: number, netSentiment: number): number {
  return 0.5 * ((rating - 1) / 4) + 0.5 * ((netSentiment + 1) / 2);
}

/**
 * Review quality in [0, 1]: the mean rating and the net sentiment of the analysed texts, each
 * shrunk toward the prior by `prior.weight` pseudo-reviews (a Bayesian average), then averaged.
 * A product without reviews scores exactly the prior's quality.
 */
export function reviewQuality(tally: ReviewTally, prior: QualityPrior = DEFAULT_QUALITY_PRIOR): number {
  requireCount(tally.ratings, 0, 'ratings');
  requireCount(tally.analysed, 0, 'analysed');
  requireCount(tally.positive, 0, 'positive');
  requireCount(tally.negative, 0, 'negative');
  if (tally.positive + tally.negative > tally.analysed) throw new RecsysError('positive + negative must not exceed analysed', 'analysed');
  requireRange(tally.ratingSum, tally.ratings, 5 * tally.ratings, 'ratingSum');
  requireRange(prior.rating, 1, 5, 'prior.rating');
  requireRange(prior.netSentiment, -1, 1, 'prior.netSentiment');
  requireRange(prior.weight, 0, Number.MAX_SAFE_INTEGER, 'prior.weight');
  const rating = tally.ratings + prior.weight > 0 ? (tally.ratingSum + prior.weight * prior.rating) / (tally.ratings + prior.weight) : prior.rating;
  const net =
    tally.analysed + prior.weight > 0
      ? (tally.positive - tally.negative + prior.weight * prior.netSentiment) / (tally.analysed + prior.weight)
      : prior.netSentiment;
  return blend(rating, net);
}

/**
 * The factor a product's ranking score is multiplied by: 1 at the prior's quality (a product
 * without reviews is neither helped nor hurt), 1 + weight·(q − q₀)/(1 − q₀) above it and
 * 1 − weight·(q₀ − q)/q₀ below, so `weight` is the most a product can gain or lose.
 * @param weight in [0, 1]; 0 switches review quality off.
 */
export function qualityMultiplier(quality: number, weight: number, prior: QualityPrior = DEFAULT_QUALITY_PRIOR): number {
  requireRange(quality, 0, 1, 'quality');
  requireRange(weight, 0, 1, 'weight');
  const base = blend(prior.rating, prior.netSentiment);
  if (quality >= base) return base >= 1 ? 1 : 1 + (weight * (quality - base)) / (1 - base);
  return 1 - (weight * (base - quality)) / base;
}
