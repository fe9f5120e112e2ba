import { TextError } from './errors';
import type { SentimentLabel } from './polarity';

export type Rating = 1 | 2 | 3 | 4 | 5;

/** A whole review's sentiment; `scores` (as the inference package's `SentimentResult` has) is used when present. */
export interface ReviewSentiment {
  label: SentimentLabel;
  /** Probability of `label`. */
  score: number;
  /** Probability of each label. */
  scores?: Partial<Record<SentimentLabel, number>>;
}

/**
 * True when the stars and the text disagree: 1–2 stars with P(positive) ≥ `threshold`, or 4–5 stars
 * with P(negative) ≥ `threshold`. 3 stars never mismatch. P(x) is `scores[x]` when given, otherwise
 * `score` if `label` is x, else 0. Flags wrong-star mistakes (praise given 1 star) and sarcasm for
 * review, not automatic correction.
 * @param threshold @default 0.8
 */
export function ratingTextMismatch(rating: Rating, sentiment: ReviewSentiment, threshold = 0.8): boolean {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new TextError(`rating must be an integer 1..5, got ${rating}`, 'rating');
  if (!(threshold > 0.5 && threshold <= 1)) throw new TextError(`threshold must be in (0.5, 1], got ${threshold}`, 'threshold');
  if (!(sentiment.score >= 0 && sentiment.score <= 1)) {
    throw new TextError(`sentiment score must be in [0, 1], got ${sentiment.score}`, 'sentiment.score');
  }
  const probability = (label: SentimentLabel) => sentiment.scores?.[label] ?? (sentiment.label === label ? sentiment.score : 0);
  if (rating <= 2) return probability('positive') >= threshold;
  if (rating >= 4) return probability('negative') >= threshold;
  return false;
}
