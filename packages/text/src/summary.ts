import { aspectsOf, type AspectMention } from './aspects';
import { splitClauses } from './clauses';
import { TextError } from './errors';
import { aspectVerdicts } from './evaluate';
import { ratingTextMismatch, type Rating, type ReviewSentiment } from './flags';
import { TermStatistics } from './keywords';
import { ASPECT_LEXICON, ASPECT_NAMES, type AspectName } from './lexicon';
import { lexiconPolarity, type SentimentLabel } from './polarity';
import { binomialUpperTail } from './significance';
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
  /** The polarity the category's topic model found the topic in; null when not known. */
  polarity: SentimentLabel | null;
  /** Analysed reviews in the topic. */
  size: number;
  sentiment: SentimentShare;
}

/** Something to improve, stated only from the reviews' own evidence. */
export interface Suggestion {
  text: string;
  /** Reviews that mention the aspect, or the topic's reviews of the product. */
  evidenceCount: number;
  /** Reviews that complain: of the aspect (its verdict in the review is negative), or negative reviews in the topic. What suggestions are ranked by. */
  complaints: number;
  /** complaints / evidenceCount. */
  negativeShare: number;
  /**
   * The share of reviews expected to complain of it, which `complaints` among the product's analysed
   * reviews is tested against: a typical aspect's rate in the category (see `AspectBaseline`), the
   * topic's share of the category's reviews, or a typical aspect's rate among the product's own
   * reviews without a category baseline.
   */
  baselineShare: number;
  /** One-sided exact binomial p-value of at least `complaints` of the product's analysed reviews at `baselineShare`. */
  pValue: number;
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
  /** Complaints an aspect or topic needs before it can become a suggestion. @default 3 */
  minEvidence?: number;
  /**
   * How often the category's reviews mention and complain of each aspect: an aspect becomes a
   * suggestion only when the product's complaints about it are significantly above the category's
   * rate. Without it the product's own reviews are the baseline.
   */
  baseline?: AspectBaseline;
  /** Per topic of the category's model, its polarity and the share of the category's analysed reviews in it. */
  topicBaseline?: ReadonlyMap<number, { polarity: SentimentLabel; share: number }>;
  /** Family-wise significance level of the tests, Bonferroni-corrected over a product's candidates. @default 0.05 */
  significance?: number;
  /** Suggestions kept, largest first. @default 5 */
  maxSuggestions?: number;
}

/** Of a category's analysed reviews: how many, and per aspect how many mention it and how many complain of it. */
export interface AspectBaseline {
  reviews: number;
  aspects: Partial<Record<AspectName, { reviews: number; complaints: number }>>;
}

/** An empty baseline, to fold reviews into with {@link addToBaseline}. */
export const emptyBaseline = (): AspectBaseline => ({ reviews: 0, aspects: {} });

/** Folds one analysed review into `baseline` (in place): each aspect it mentions once, a complaint where its verdict is negative. */
export function addToBaseline(baseline: AspectBaseline, mentions: readonly AspectMention[]): AspectBaseline {
  baseline.reviews += 1;
  for (const [aspect, verdict] of aspectVerdicts(mentions)) {
    const tally = (baseline.aspects[aspect] ??= { reviews: 0, complaints: 0 });
    tally.reviews += 1;
    if (verdict === 'negative') tally.complaints += 1;
  }
  return baseline;
}

/**
 * How often a review complains of an aspect, for a typical aspect: the mean over the aspects the
 * reviews mention of (reviews complaining of it / reviews). An aspect is a problem when the product's
 * reviews complain of it significantly more often than that. Measured per review rather than per
 * mention, so that a problem the whole category shares (sizing, in clothes, mentioned by most
 * reviews) still stands out against the other aspects; the aspect's own category rate is quoted
 * beside it. Null without reviews or mentions.
 */
function typicalComplaintRate(baseline: AspectBaseline): number | null {
  const tallies = Object.values(baseline.aspects).filter((tally) => tally.reviews > 0);
  if (baseline.reviews === 0 || tallies.length === 0) return null;
  return tallies.reduce((sum, tally) => sum + tally.complaints / baseline.reviews, 0) / tallies.length;
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

/** Whole percents, with one decimal below 10 % so that small baseline rates do not all read "0%" or "1%". */
const percent = (share: number) => {
  const value = share * 100;
  return `${value > 0 && value < 9.95 ? Number(value.toFixed(1)) : Math.round(value)}%`;
};
const reviewCount = (n: number) => `${n} ${n === 1 ? 'review' : 'reviews'}`;

const HAN_TOKEN = /^\p{Script=Han}+$/u;

/**
 * Reviews whose clauses use each content token and each pair of adjacent content tokens (a phrase:
 * "run small", "尺码偏小"), a review counted once per term. A token that only names the aspect is
 * skipped alone, and kept in a phrase with another word.
 */
function termReviews(
  clausesByReview: ReadonlyMap<AnalysedReview, readonly string[]>,
  skip: ReadonlySet<string>,
): { words: Map<string, number>; phrases: Map<string, number> } {
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  for (const [review, clauses] of clausesByReview) {
    const seenWords = new Set<string>();
    const seenPhrases = new Set<string>();
    for (const clause of clauses) {
      const tokens = tokenize(clause, review.language);
      tokens.forEach((token, i) => {
        if (!skip.has(token)) seenWords.add(token);
        const next = tokens[i + 1];
        if (next === undefined || next === token || (skip.has(token) && skip.has(next))) return;
        seenPhrases.add(HAN_TOKEN.test(token) && HAN_TOKEN.test(next) ? token + next : `${token} ${next}`);
      });
    }
    for (const term of seenWords) words.set(term, (words.get(term) ?? 0) + 1);
    for (const term of seenPhrases) phrases.set(term, (phrases.get(term) ?? 0) + 1);
  }
  return { words, phrases };
}

/** How much more often complaints use a word than the aspect's other mentions, at the least, for it to be quoted. */
const COMPLAINT_LIFT = 1.5;
/** Fewer other reviews than this say too little to compare with: the most shared word is quoted. */
const MIN_COMPARED = 5;
/** A word is quoted only when at least this share of the complaints (and two of them) use it: "3 of 34" is no pattern. */
const MIN_COMPLAINT_SHARE = 0.15;

/**
 * The word or phrase most complaints share: the content token (`tokenize`), or pair of adjacent
 * tokens, found in the most complaining reviews' negative clauses, in at least two of them and
 * MIN_COMPLAINT_SHARE of them, skipping words that only name the aspect and terms no more typical
 * of complaints than of the aspect's other mentions (the product's own noun, "dress", is in both):
 * once MIN_COMPARED other reviews mention the aspect, its share of complaints must be
 * COMPLAINT_LIFT times its share of the other reviews (add-one smoothed). Where the best word has
 * no polarity of its own ("run", "fit"), the best phrase is preferred when at least half as many
 * complaints use it: "run small" says what "run" does not, while "slow" already is the complaint.
 */
function dominantTerm(
  aspect: AspectName,
  complaints: ReadonlyMap<AnalysedReview, readonly string[]>,
  others: ReadonlyMap<AnalysedReview, readonly string[]>,
): { term: string; reviews: number } | null {
  const skip = namingWords(aspect);
  const inComplaints = termReviews(complaints, skip);
  const inOthers = termReviews(others, skip);
  const best = (counts: ReadonlyMap<string, number>, other: ReadonlyMap<string, number>) =>
    [...counts]
      .filter(
        ([term, count]) =>
          count >= Math.max(2, MIN_COMPLAINT_SHARE * complaints.size) &&
          (others.size < MIN_COMPARED || count / complaints.size >= (COMPLAINT_LIFT * ((other.get(term) ?? 0) + 1)) / (others.size + 1)),
      )
      .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0];
  const word = best(inComplaints.words, inOthers.words);
  const phrase = best(inComplaints.phrases, inOthers.phrases);
  const language = [...complaints.keys()][0]?.language ?? 'en';
  const bare = (term: string) => lexiconPolarity(term, language).label === 'neutral';
  const chosen = phrase && (!word || (2 * phrase[1] >= word[1] && bare(word[0]))) ? phrase : word;
  return chosen ? { term: chosen[0], reviews: chosen[1] } : null;
}

interface RankedSuggestion {
  suggestion: Suggestion;
  /** The reviews that complain, to find suggestions that restate each other. */
  complainers: ReadonlySet<AnalysedReview>;
}

/** A candidate before its test: who complains, out of how many analysed reviews, against which rate. */
interface Candidate {
  complainers: ReadonlySet<AnalysedReview>;
  trials: number;
  baselineShare: number;
  build: (pValue: number) => Suggestion;
}

/**
 * Quotes for an aspect: negative clauses, those that name this aspect alone first (a clause about
 * an exchange for a smaller size names service too, and is a sizing complaint), then those using
 * the word most complaints share, then the most confident.
 */
function aspectQuotes(
  aspect: AspectName,
  negative: readonly Mention[],
  term: string | null,
  language: (review: AnalysedReview) => string,
  limit: number,
): ReviewQuote[] {
  const only = (clause: string, review: AnalysedReview) => aspectsOf(clause, language(review)).every((name) => name === aspect);
  const uses = (clause: string, review: AnalysedReview) => term !== null && tokenize(clause, review.language).includes(term);
  const ranked = negative
    .filter(({ review, mention }) => review.text.includes(mention.clause))
    .map((entry) => ({ entry, alone: only(entry.mention.clause, entry.review), said: uses(entry.mention.clause, entry.review) }))
    .sort(
      (a, b) =>
        Number(b.alone) - Number(a.alone) ||
        Number(b.said) - Number(a.said) ||
        b.entry.mention.score - a.entry.mention.score ||
        compareText(a.entry.review.id, b.entry.review.id) ||
        compareText(a.entry.mention.clause, b.entry.mention.clause),
    );
  const seen = new Set<string>();
  const out: ReviewQuote[] = [];
  for (const { entry } of ranked) {
    if (out.length >= limit) break;
    if (seen.has(entry.mention.clause)) continue;
    seen.add(entry.mention.clause);
    out.push({ reviewId: entry.review.id, text: entry.mention.clause, sentiment: 'negative' });
  }
  return out;
}

function aspectCandidate(
  summary: AspectSummary,
  mentions: readonly Mention[],
  verdicts: ReadonlyMap<AnalysedReview, SentimentLabel>,
  rates: { typical: number; aspect: number | null; category: boolean },
  analysed: number,
  examples: number,
): Candidate {
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
  const c = complaints.size;
  const against = rates.category
    ? `against ${percent(rates.typical)} for a typical aspect in this category${rates.aspect === null ? '' : ` and ${percent(rates.aspect)} for this one`}`
    : `against ${percent(rates.typical)} for a typical aspect of this product`;
  const said = term ? `; ${term.reviews} of them say "${term.term}"` : '';
  return {
    complainers: new Set(complaints.keys()),
    trials: analysed,
    baselineShare: rates.typical,
    build: (pValue) => ({
      text: `${ASPECT_TITLES[summary.name]}: ${c} of ${reviewCount(analysed)} complain of it (${percent(c / analysed)}, ${against}; ${summary.reviews} mention it)${said}`,
      evidenceCount: summary.reviews,
      complaints: c,
      negativeShare: c / summary.reviews,
      baselineShare: rates.typical,
      pValue,
      aspect: summary.name,
      topic: null,
      examples: aspectQuotes(summary.name, negative, term?.term ?? null, (review) => review.language, examples),
    }),
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

/**
 * A complaint topic: the product's negative reviews in one of the category's topics, tested against
 * the share of the category's analysed reviews that are negative and in it.
 */
function topicCandidate(summary: TopicSummary, members: readonly Analysed[], analysed: number, categoryShare: number, examples: number): Candidate {
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
  const c = negative.length;
  return {
    complainers: new Set(negative),
    trials: analysed,
    baselineShare: categoryShare,
    build: (pValue) => ({
      text: `Complaints about "${summary.label}": ${reviewCount(c)}, ${percent(c / analysed)} of this product's analysed reviews against ${percent(categoryShare)} in the category`,
      evidenceCount: summary.size,
      complaints: c,
      negativeShare: c / summary.size,
      baselineShare: categoryShare,
      pValue,
      aspect: null,
      topic: summary.topic,
      examples: quoted,
    }),
  };
}

/** Two suggestions restate each other when most of the smaller one's complaining reviews are the other's. */
const RESTATED_OVERLAP = 0.5;

/**
 * The suggestions worth a merchant's time: candidates with at least `minEvidence` complaints whose
 * complaint rate is significantly above their baseline (exact one-sided binomial test, Bonferroni
 * over the candidates), largest first by complaining reviews (reviews affected × negativity), so
 * four complaints never outrank eighty; one that mostly restates a larger one (the same reviews'
 * complaints, seen as an aspect and as a topic) is dropped; at most `limit`.
 */
function rankSuggestions(candidates: readonly Candidate[], minEvidence: number, significance: number, limit: number): Suggestion[] {
  const eligible = candidates.filter((candidate) => candidate.complainers.size >= minEvidence);
  const threshold = significance / Math.max(1, eligible.length);
  const tested = eligible
    .map((candidate) => ({ candidate, pValue: binomialUpperTail(candidate.complainers.size, candidate.trials, candidate.baselineShare) }))
    .filter(({ pValue }) => pValue <= threshold)
    .map(({ candidate, pValue }): RankedSuggestion => ({ suggestion: candidate.build(pValue), complainers: candidate.complainers }))
    .sort(
      (a, b) =>
        b.suggestion.complaints - a.suggestion.complaints ||
        a.suggestion.pValue - b.suggestion.pValue ||
        Number(a.suggestion.aspect === null) - Number(b.suggestion.aspect === null) ||
        compareText(a.suggestion.aspect ?? '', b.suggestion.aspect ?? '') ||
        (a.suggestion.topic ?? 0) - (b.suggestion.topic ?? 0),
    );
  const kept: RankedSuggestion[] = [];
  for (const candidate of tested) {
    if (kept.length >= limit) break;
    const restates = kept.some((larger) => {
      let shared = 0;
      for (const review of candidate.complainers) if (larger.complainers.has(review)) shared += 1;
      return shared > RESTATED_OVERLAP * Math.min(candidate.complainers.size, larger.complainers.size);
    });
    if (!restates) kept.push(candidate);
  }
  return kept.map(({ suggestion }) => suggestion);
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
 * suggestions grounded in the reviews. A suggestion is an aspect the product's reviews complain of,
 * or a complaint topic of the category's model, with at least `minEvidence` complaining reviews and a
 * complaint rate significantly above the baseline (see `rankSuggestions`); it states the counts and
 * rates, the word most complaints share when two or more do, and quotes negative clauses verbatim.
 * Order never depends on the order of `reviews`: ties go by aspect name, topic index or review id.
 * Pure; the only I/O is jieba's dictionary on first use.
 */
export function summariseFeedback(reviews: readonly AnalysedReview[], options: SummaryOptions = {}): FeedbackSummary {
  const {
    categoryStats,
    topicLabels,
    baseline,
    topicBaseline,
    keywords = 10,
    examples = 3,
    minEvidence = 3,
    significance = 0.05,
    maxSuggestions = 5,
  } = options;
  if (categoryStats !== undefined && !(categoryStats instanceof TermStatistics)) {
    throw new TextError('categoryStats must be TermStatistics', 'categoryStats');
  }
  requireCount(keywords, 0, 'keywords');
  requireCount(examples, 0, 'examples');
  requireCount(minEvidence, 1, 'minEvidence');
  requireCount(maxSuggestions, 0, 'maxSuggestions');
  if (!(significance > 0 && significance < 1)) throw new TextError(`significance must be in (0, 1), got ${significance}`, 'significance');
  const ids = new Set<string>();
  reviews.forEach((review, i) => validateReview(review, i, ids));

  const sorted = [...reviews].sort((a, b) => compareText(a.id, b.id));
  const analysed = sorted.filter(isAnalysed);

  const mentions = groupBy(
    sorted.flatMap((review) => review.aspects.map((mention) => ({ review, mention }))),
    ({ mention }) => mention.aspect,
  );
  const scored = [...mentions].map(([name, group]) => {
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
    return { summary, group, verdicts };
  });
  const categoryTypical = baseline === undefined ? null : typicalComplaintRate(baseline);
  const own = emptyBaseline();
  for (const review of analysed) addToBaseline(own, review.aspects);
  const candidates: Candidate[] = scored.map(({ summary, group, verdicts }) => {
    const tally = baseline?.aspects[summary.name];
    const rates =
      categoryTypical === null
        ? { typical: typicalComplaintRate(own) ?? 0, aspect: null, category: false }
        : { typical: categoryTypical, aspect: tally && baseline.reviews > 0 ? tally.complaints / baseline.reviews : null, category: true };
    return aspectCandidate(summary, group, verdicts, rates, analysed.length, examples);
  });
  const aspects = scored.map(({ summary }) => summary).sort((a, b) => b.count - a.count || compareText(a.name, b.name));

  const topicGroups = groupBy(
    analysed.filter((review) => review.topic !== null),
    (review) => review.topic!,
  );
  const topics = [...topicGroups]
    .map(([topic, members]): TopicSummary => {
      const label = topicLabels?.get(topic) ?? `topic ${topic}`;
      requireText(label, `topicLabels[${topic}]`);
      const known = topicBaseline?.get(topic);
      const summary = {
        topic,
        label,
        polarity: known?.polarity ?? null,
        size: members.length,
        sentiment: shareOf(members.map((review) => review.sentiment.label)),
      };
      if (known?.polarity === 'negative') candidates.push(topicCandidate(summary, members, analysed.length, known.share, examples));
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
    suggestions: rankSuggestions(candidates, minEvidence, significance, maxSuggestions),
  };
}
