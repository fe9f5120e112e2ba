import type { AspectMention } from './aspects';
import { splitClauses } from './clauses';
import { TextError } from './errors';
import { aspectVerdicts } from './evaluate';
import { ratingTextMismatch, type Rating, type ReviewSentiment } from './flags';
import { TermStatistics } from './keywords';
import { ASPECT_LEXICON, ASPECT_NAMES, type AspectName } from './lexicon';
import { lexiconPolarity, type SentimentLabel } from './polarity';
import { compareText, poolTerms, rankTerms, type KeywordSummary } from './topics';
import { normaliseEnglish, tokenize } from './tokenize';
import { requireCount, requireText } from './validate';

/** One review with everything the analysis stored for it. */
export interface AnalysedReview {
  id: string;
  /** 1..5 stars. */
  rating: number;
  text: string;
  language: string;
  /** Whole-review sentiment; null when the review is not analysed (yet, or failed). */
  sentiment: ReviewSentiment | null;
  /** `analyseAspects` output; [] when none or unanalysed. */
  aspects: readonly AspectMention[];
  /** Token counts of the review (`tokenize` output counted). */
  terms: Readonly<Record<string, number>>;
  /** Topic index within the category's topic model; null when unassigned. */
  topic: number | null;
}

/** Shares in [0, 1] that sum to 1 over the counted items; all 0 when there are none. */
export interface SentimentShare {
  positive: number;
  neutral: number;
  negative: number;
}

/** A verbatim piece of a review. */
export interface ReviewQuote {
  reviewId: string;
  /** A substring of the review's text. */
  text: string;
  sentiment: SentimentLabel;
}

export interface AspectSummary {
  name: AspectName;
  /** Mentions (a review may mention an aspect in several clauses). */
  count: number;
  /** Reviews that mention it. */
  reviews: number;
  /** Over those reviews, each counted once with its most confident mention (see `aspectVerdicts`). */
  sentiment: SentimentShare;
  /** Positive share − negative share, in [-1, 1]. */
  score: number;
  examples: ReviewQuote[];
}

export interface TopicSummary {
  topic: number;
  label: string;
  /** Analysed reviews in the topic. */
  size: number;
  sentiment: SentimentShare;
}

/** Something to improve, stated only from the reviews' own evidence. */
export interface Suggestion {
  text: string;
  /** Reviews that mention the aspect, or the topic's analysed reviews. */
  evidenceCount: number;
  /** Share of `evidenceCount` that is negative. */
  negativeShare: number;
  aspect: AspectName | null;
  topic: number | null;
  /** Negative clauses quoted verbatim. */
  examples: ReviewQuote[];
}

export interface FeedbackSummary {
  /** Mean stars over all reviews, unrounded; null when there are none. */
  ratingAverage: number | null;
  ratingCount: number;
  /** Reviews with a whole-review sentiment. */
  analysedCount: number;
  /** Reviews whose stars and text disagree (`ratingTextMismatch`). */
  flaggedCount: number;
  /** Over the analysed reviews. */
  sentiment: SentimentShare;
  topKeywords: KeywordSummary[];
  /** Mentioned aspects, most mentions first. */
  aspects: AspectSummary[];
  /** Topics of analysed reviews, largest first. */
  topics: TopicSummary[];
  /** Most negative reviews first. */
  suggestions: Suggestion[];
}

export interface SummaryOptions {
  /**
   * Document frequencies of the category's reviews (one document per review), so keywords are
   * what is particular to these reviews. Without them the given reviews' own frequencies are used.
   */
  categoryStats?: TermStatistics;
  /** Topic labels (from `labelTopics`); a topic without one is called `topic N`. */
  topicLabels?: ReadonlyMap<number, string>;
  /** @default 10 */
  keywords?: number;
  /** Quotes per aspect and per suggestion. @default 3 */
  examples?: number;
  /** Reviews an aspect or topic needs before it can become a suggestion. @default 3 */
  minEvidence?: number;
  /** Negative share, in (0, 1], an aspect or topic needs to become a suggestion. @default 0.4 */
  negativeShare?: number;
}

/** How suggestions name each aspect to a merchant. */
export const ASPECT_TITLES: Readonly<Record<AspectName, string>> = {
  quality: 'Quality',
  size_fit: 'Size and fit',
  logistics: 'Delivery',
  price: 'Price',
  service: 'Customer service',
  packaging: 'Packaging',
  appearance: 'Appearance',
  comfort: 'Comfort',
  taste: 'Taste',
  performance: 'Performance',
};

const LABELS: ReadonlySet<string> = new Set<SentimentLabel>(['negative', 'neutral', 'positive']);
const ASPECTS: ReadonlySet<string> = new Set<string>(ASPECT_NAMES);

let aspectWords: Map<AspectName, ReadonlySet<string>> | undefined;

/**
 * Per aspect, the lexicon terms that only name it (物流, shipping, 尺码): "most complaints say 物流"
 * tells a merchant nothing. Terms with a polarity of their own (偏小, rude, flimsy) stay quotable,
 * because they are the complaint. Built on first use: it needs the jieba dictionary.
 */
function namingWords(aspect: AspectName): ReadonlySet<string> {
  aspectWords ??= new Map(
    ASPECT_NAMES.map((name) => {
      const { zh, en } = ASPECT_LEXICON[name];
      const terms = [
        ...zh.map((term) => ({ term, language: 'zh' })),
        ...en.filter((term) => !term.includes(' ')).map((term) => ({ term: normaliseEnglish(term), language: 'en' })),
      ];
      const naming = terms.filter(({ term, language }) => lexiconPolarity(term, language).label === 'neutral');
      return [name, new Set(naming.map(({ term }) => term))];
    }),
  );
  return aspectWords.get(aspect)!;
}

function requireShare(value: number, field: string): void {
  if (!(value >= 0 && value <= 1)) throw new TextError(`${field} must be in [0, 1], got ${value}`, field);
}

function validateReview(review: AnalysedReview, index: number, ids: Set<string>): void {
  const field = `reviews[${index}]`;
  requireText(review.id, `${field}.id`);
  if (ids.has(review.id)) throw new TextError(`review id "${review.id}" appears twice`, `${field}.id`);
  ids.add(review.id);
  if (!Number.isInteger(review.rating) || review.rating < 1 || review.rating > 5) {
    throw new TextError(`rating must be an integer 1..5, got ${review.rating}`, `${field}.rating`);
  }
  requireText(review.text, `${field}.text`);
  requireText(review.language, `${field}.language`);
  if (review.sentiment !== null) {
    const { label } = review.sentiment;
    if (!LABELS.has(label)) throw new TextError(`unknown sentiment label ${label}`, `${field}.sentiment.label`);
    requireShare(review.sentiment.score, `${field}.sentiment.score`);
  }
  review.aspects.forEach((mention, i) => {
    const at = `${field}.aspects[${i}]`;
    if (!ASPECTS.has(mention.aspect)) throw new TextError(`unknown aspect ${mention.aspect}`, `${at}.aspect`);
    if (!LABELS.has(mention.sentiment)) throw new TextError(`unknown sentiment label ${mention.sentiment}`, `${at}.sentiment`);
    requireShare(mention.score, `${at}.score`);
    requireText(mention.clause, `${at}.clause`);
  });
  if (review.topic !== null) requireCount(review.topic, 0, `${field}.topic`);
}

function shareOf(labels: readonly SentimentLabel[]): SentimentShare {
  const share = (label: SentimentLabel) => (labels.length === 0 ? 0 : labels.filter((l) => l === label).length / labels.length);
  return { positive: share('positive'), neutral: share('neutral'), negative: share('negative') };
}

type Analysed = AnalysedReview & { sentiment: ReviewSentiment };

const isAnalysed = (review: AnalysedReview): review is Analysed => review.sentiment !== null;

interface Mention {
  review: AnalysedReview;
  mention: AspectMention;
}

/**
 * Up to `limit` distinct clauses: the `lead` polarity first, then the opposite one, then neutral,
 * each most confident first. A clause no longer found in its review (the text was edited after the
 * analysis) is not quoted: a quote must be the reviewer's words.
 */
function quotes(mentions: readonly Mention[], lead: 'positive' | 'negative', limit: number): ReviewQuote[] {
  const order: readonly SentimentLabel[] = lead === 'negative' ? ['negative', 'positive', 'neutral'] : ['positive', 'negative', 'neutral'];
  const ranked = mentions
    .filter(({ review, mention }) => review.text.includes(mention.clause))
    .sort(
      (a, b) =>
        order.indexOf(a.mention.sentiment) - order.indexOf(b.mention.sentiment) ||
        b.mention.score - a.mention.score ||
        compareText(a.review.id, b.review.id) ||
        compareText(a.mention.clause, b.mention.clause),
    );
  const seen = new Set<string>();
  const out: ReviewQuote[] = [];
  for (const { review, mention } of ranked) {
    if (out.length >= limit) break;
    if (seen.has(mention.clause)) continue;
    seen.add(mention.clause);
    out.push({ reviewId: review.id, text: mention.clause, sentiment: mention.sentiment });
  }
  return out;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const reviewCount = (n: number) => `${n} ${n === 1 ? 'review' : 'reviews'}`;

/** Reviews whose clauses use each content token, a review counted once per token. */
function termReviews(clausesByReview: ReadonlyMap<AnalysedReview, readonly string[]>, skip: ReadonlySet<string>): Map<string, number> {
  const reviews = new Map<string, number>();
  for (const [review, clauses] of clausesByReview) {
    const terms = new Set(clauses.flatMap((clause) => tokenize(clause, review.language)));
    for (const term of terms) if (!skip.has(term)) reviews.set(term, (reviews.get(term) ?? 0) + 1);
  }
  return reviews;
}

/** How much more often complaints use a word than the aspect's other mentions, at the least, for it to be quoted. */
const COMPLAINT_LIFT = 1.5;
/** Fewer other reviews than this say too little to compare with: the most shared word is quoted. */
const MIN_COMPARED = 5;
/** A word is quoted only when at least this share of the complaints (and two of them) use it: "3 of 34" is no pattern. */
const MIN_COMPLAINT_SHARE = 0.15;

/**
 * The word most complaints share: the content token (`tokenize`) found in the most complaining
 * reviews' negative clauses, in at least two of them and MIN_COMPLAINT_SHARE of them, skipping
 * words that only name the aspect and words no more typical of complaints than of the aspect's
 * other mentions (the product's own
 * noun, "dress", is in both): once MIN_COMPARED other reviews mention the aspect, its share of
 * complaints must be COMPLAINT_LIFT times its share of the other reviews (add-one smoothed).
 */
function dominantTerm(
  aspect: AspectName,
  complaints: ReadonlyMap<AnalysedReview, readonly string[]>,
  others: ReadonlyMap<AnalysedReview, readonly string[]>,
): { term: string; reviews: number } | null {
  const skip = namingWords(aspect);
  const inComplaints = termReviews(complaints, skip);
  const inOthers = termReviews(others, skip);
  const typical = [...inComplaints].filter(
    ([term, count]) =>
      count >= Math.max(2, MIN_COMPLAINT_SHARE * complaints.size) &&
      (others.size < MIN_COMPARED || count / complaints.size >= (COMPLAINT_LIFT * ((inOthers.get(term) ?? 0) + 1)) / (others.size + 1)),
  );
  const [best] = typical.sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return best ? { term: best[0], reviews: best[1] } : null;
}

interface RankedSuggestion {
  suggestion: Suggestion;
  negatives: number;
}

function aspectSuggestion(
  summary: AspectSummary,
  mentions: readonly Mention[],
  verdicts: ReadonlyMap<AnalysedReview, SentimentLabel>,
  examples: number,
): RankedSuggestion {
  const complaints = new Map<AnalysedReview, string[]>();
  for (const [review, verdict] of verdicts) if (verdict === 'negative') complaints.set(review, []);
  const negative = mentions.filter(({ review, mention }) => complaints.has(review) && mention.sentiment === 'negative');
  for (const { review, mention } of negative) complaints.get(review)!.push(mention.clause);
  const others = new Map<AnalysedReview, string[]>();
  for (const { review, mention } of mentions) {
    if (complaints.has(review)) continue;
    const clauses = others.get(review);
    if (clauses) clauses.push(mention.clause);
    else others.set(review, [mention.clause]);
  }
  const term = dominantTerm(summary.name, complaints, others);
  const counted = `${ASPECT_TITLES[summary.name]}: ${reviewCount(summary.reviews)} mention it, ${percent(summary.sentiment.negative)} negative`;
  const said = term ? `; ${term.reviews} of the ${complaints.size} complaints say "${term.term}"` : '';
  return {
    negatives: complaints.size,
    suggestion: {
      text: counted + said,
      evidenceCount: summary.reviews,
      negativeShare: summary.sentiment.negative,
      aspect: summary.name,
      topic: null,
      examples: quotes(negative, 'negative', examples),
    },
  };
}

/**
 * A negative review's own words: its most confident negative aspect clause, else its first clause;
 * null when neither can be quoted.
 */
function complaintOf(review: AnalysedReview): ReviewQuote | null {
  const [clause] = review.aspects
    .filter((mention) => mention.sentiment === 'negative' && review.text.includes(mention.clause))
    .sort((a, b) => b.score - a.score)
    .map((mention) => mention.clause);
  const text = clause ?? splitClauses(review.text)[0];
  return text === undefined ? null : { reviewId: review.id, text, sentiment: 'negative' };
}

function topicSuggestion(summary: TopicSummary, members: readonly Analysed[], examples: number): RankedSuggestion {
  const negative = members
    .filter((review) => review.sentiment.label === 'negative')
    .sort((a, b) => b.sentiment.score - a.sentiment.score || compareText(a.id, b.id));
  const seen = new Set<string>();
  const quoted: ReviewQuote[] = [];
  for (const review of negative) {
    if (quoted.length >= examples) break;
    const quote = complaintOf(review);
    if (quote === null || seen.has(quote.text)) continue;
    seen.add(quote.text);
    quoted.push(quote);
  }
  return {
    negatives: negative.length,
    suggestion: {
      text: `Reviews about "${summary.label}": ${reviewCount(summary.size)}, ${percent(summary.sentiment.negative)} negative`,
      evidenceCount: summary.size,
      negativeShare: summary.sentiment.negative,
      aspect: null,
      topic: summary.topic,
      examples: quoted,
    },
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function topKeywords(reviews: readonly AnalysedReview[], categoryStats: TermStatistics | undefined, k: number): KeywordSummary[] {
  const pool = poolTerms(
    reviews.map((review) => review.terms),
    (i, term) => `reviews[${i}].terms.${term}`,
  );
  const stats = categoryStats ?? ownStatistics(reviews);
  return rankTerms(pool, (term, count) => (count / pool.tokens) * stats.idf(term)).slice(0, k);
}

function ownStatistics(reviews: readonly AnalysedReview[]): TermStatistics {
  const stats = new TermStatistics();
  for (const review of reviews) stats.add(Object.keys(review.terms));
  return stats;
}

/**
 * A merchant-facing summary of analysed reviews: stars, sentiment, keywords, aspects, topics, and
 * suggestions grounded in the reviews. A suggestion is made only for an aspect mentioned by at least
 * `minEvidence` reviews (or a topic of that many analysed reviews) of which at least `negativeShare`
 * are negative; it states the count and share, the word most complaints share when two or more do,
 * and quotes negative clauses verbatim. Order never depends on the order of `reviews`: ties go by
 * aspect name, topic index or review id. Pure; the only I/O is jieba's dictionary on first use.
 */
export function summariseFeedback(reviews: readonly AnalysedReview[], options: SummaryOptions = {}): FeedbackSummary {
  const { categoryStats, topicLabels, keywords = 10, examples = 3, minEvidence = 3, negativeShare = 0.4 } = options;
  if (categoryStats !== undefined && !(categoryStats instanceof TermStatistics)) {
    throw new TextError('categoryStats must be TermStatistics', 'categoryStats');
  }
  requireCount(keywords, 0, 'keywords');
  requireCount(examples, 0, 'examples');
  requireCount(minEvidence, 1, 'minEvidence');
  if (!(negativeShare > 0 && negativeShare <= 1)) throw new TextError(`negativeShare must be in (0, 1], got ${negativeShare}`, 'negativeShare');
  const ids = new Set<string>();
  reviews.forEach((review, i) => validateReview(review, i, ids));

  const sorted = [...reviews].sort((a, b) => compareText(a.id, b.id));
  const analysed = sorted.filter(isAnalysed);
  const suggestions: RankedSuggestion[] = [];

  const mentions = groupBy(
    sorted.flatMap((review) => review.aspects.map((mention) => ({ review, mention }))),
    ({ mention }) => mention.aspect,
  );
  const aspects = [...mentions]
    .map(([name, group]): AspectSummary => {
      const verdicts = new Map([...groupBy(group, ({ review }) => review).keys()].map((review) => [review, aspectVerdicts(review.aspects).get(name)!]));
      const sentiment = shareOf([...verdicts.values()]);
      const summary: AspectSummary = {
        name,
        count: group.length,
        reviews: verdicts.size,
        sentiment,
        score: sentiment.positive - sentiment.negative,
        examples: quotes(group, sentiment.negative > sentiment.positive ? 'negative' : 'positive', examples),
      };
      if (summary.reviews >= minEvidence && sentiment.negative >= negativeShare) {
        suggestions.push(aspectSuggestion(summary, group, verdicts, examples));
      }
      return summary;
    })
    .sort((a, b) => b.count - a.count || compareText(a.name, b.name));

  const topicGroups = groupBy(
    analysed.filter((review) => review.topic !== null),
    (review) => review.topic!,
  );
  const topics = [...topicGroups]
    .map(([topic, members]): TopicSummary => {
      const label = topicLabels?.get(topic) ?? `topic ${topic}`;
      requireText(label, `topicLabels[${topic}]`);
      const summary = { topic, label, size: members.length, sentiment: shareOf(members.map((review) => review.sentiment.label)) };
      if (summary.size >= minEvidence && summary.sentiment.negative >= negativeShare) {
        suggestions.push(topicSuggestion(summary, members, examples));
      }
      return summary;
    })
    .sort((a, b) => b.size - a.size || a.topic - b.topic);

  return {
    ratingAverage: sorted.length === 0 ? null : sorted.reduce((sum, review) => sum + review.rating, 0) / sorted.length,
    ratingCount: sorted.length,
    analysedCount: analysed.length,
    flaggedCount: analysed.filter((review) => ratingTextMismatch(review.rating as Rating, review.sentiment)).length,
    sentiment: shareOf(analysed.map((review) => review.sentiment.label)),
    topKeywords: topKeywords(sorted, categoryStats, keywords),
    aspects,
    topics,
    suggestions: suggestions
      .sort(
        (a, b) =>
          b.negatives - a.negatives ||
          b.suggestion.negativeShare - a.suggestion.negativeShare ||
          Number(a.suggestion.aspect === null) - Number(b.suggestion.aspect === null) ||
          compareText(a.suggestion.aspect ?? '', b.suggestion.aspect ?? '') ||
          (a.suggestion.topic ?? 0) - (b.suggestion.topic ?? 0),
      )
      .map(({ suggestion }) => suggestion),
  };
}
