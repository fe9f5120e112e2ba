/**
 * pnpm eval:feedback — how well review understanding reads real reviews, through the code that
 * serves them: the worker's `analyseReviews` (sentiment of each review and of each aspect clause,
 * embedding, tokens), then topics (chooseK, kMeans, labelTopics) and merchant summaries
 * (summariseFeedback) as the feedback subgraph builds them. In order:
 *  1. sentiment accuracy and macro-F1 on eval:sentiment's held-out sets;
 *  2. aspect detection and aspect sentiment on packages/text/fixtures/aspect-examples.json, with the
 *     model (as served, and its own three-class answer) and the lexicon fallback as clause classifier;
 *     then the same on the blind set: real reviews drawn at random and labelled before the lexicon
 *     read them (scripts/eval/aspect-blind-set.ts);
 *  3. keyword recall@5 of TF-IDF and TextRank on the fixture's hand-picked keywords;
 *  4. topics of a sample of each online_shopping_10_cats category and of the largest clothing classes;
 *  5. summaries and suggestions of the most-reviewed clothing products.
 * Prints tables, writes bench-results/eval-feedback.svg and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR              data folder (default <repo>/../shared/data)
 *   EVAL_FEEDBACK_SENTIMENT_LIMIT  rows per sentiment set (default 0: all, ~8,000 texts)
 *   EVAL_FEEDBACK_TOPIC_LIMIT      reviews sampled per category or class for topics (default 300)
 *   EVAL_FEEDBACK_CLASSES          clothing classes with topics, most reviewed first (default 5)
 *   EVAL_FEEDBACK_PRODUCTS         clothing products summarised, most reviewed first (default 5)
 * plus the inference settings (docs/inference.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { chineseRating, chineseReviewText, clothingReviewText } from '../tools/demo-data/src/link';
import { readChinese } from '../tools/demo-data/src/sources/chinese-shopping.source';
import { readClothing } from '../tools/demo-data/src/sources/womens-clothing.source';
import { createEmbedder, createSentimentClassifier, inferenceEnv } from '../packages/inference/src';
import type { AnalyseReviewResult } from '../packages/jobs/src';
import { chooseK, kMeans, nearestCentroid, sampleWithoutReplacement, seededRng } from '../packages/recsys/src';
import {
  analyseAspects,
  ASPECT_NAMES,
  clauseOpinion,
  detectLanguage,
  evaluateAspects,
  keywords,
  labelTopics,
  lexiconClassifier,
  parseAspectExamples,
  summariseFeedback,
  TermStatistics,
  textRank,
  tokenize,
  type AnalysedReview,
  type AspectEvaluation,
  type AspectExample,
  type AspectMention,
  type AspectName,
  type ClauseClassifier,
  type FeedbackSummary,
  type TopicLabel,
} from '../packages/text/src';
import { analyseReviews } from '../workers/inference/src/handlers/analyse-review.handler';
import type { Models } from '../workers/inference/src/handlers/handler';
import { blindAspectExamples } from './eval/aspect-blind-set';
import { dataDirEnv, escapeXml, percent, printColumns, round } from './eval/report';
import { evalSets, printTable, scoreSets } from './eval/sentiment-sets';

const feedbackSchema = z.object({
  ...inferenceEnv,
  ...dataDirEnv,
  EVAL_FEEDBACK_SENTIMENT_LIMIT: z.coerce.number().int().min(0).default(0),
  EVAL_FEEDBACK_TOPIC_LIMIT: z.coerce.number().int().min(3).default(300),
  EVAL_FEEDBACK_CLASSES: z.coerce.number().int().min(1).default(5),
  EVAL_FEEDBACK_PRODUCTS: z.coerce.number().int().min(1).default(5),
});
type FeedbackConfig = z.infer<typeof feedbackSchema>;

/** Fixed, so that samples and topics repeat from run to run. */
const SEED = 20_251_203;
/** Reviews per `analyseReviews` call, as a worker micro-batch gathers them. */
const ANALYSIS_BATCH = 32;
const PROGRESS_EVERY = 10 * ANALYSIS_BATCH;
const FIXTURE = path.resolve(__dirname, '../packages/text/fixtures/aspect-examples.json');
const CHART = path.resolve(__dirname, '../bench-results/eval-feedback.svg');

/** A review as the platform stores it (demo-data's text rules), with the corpus's own verdict. */
interface CorpusReview {
  id: string;
  text: string;
  rating: number;
  /** Label 0 (Chinese) or 1-2 stars (English): what the corpus says, beside what the model says. */
  negative: boolean;
}

interface Category {
  corpus: 'online_shopping' | 'womens_clothing';
  name: string;
  /** Reviews with text in the whole category. */
  total: number;
  sample: CorpusReview[];
}

interface Product {
  id: string;
  className: string;
  reviews: CorpusReview[];
}

interface Corpora {
  categories: Category[];
  products: Product[];
  /** Every clothing review with text by class, for the classes' term statistics. */
  classReviews: Map<string, CorpusReview[]>;
}

const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Groups by size, largest first, ties by name so equal data gives equal picks. */
const largest = <T>(groups: Map<string, T[]>, count: number): [string, T[]][] =>
  [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).slice(0, count);

async function readCorpora(config: FeedbackConfig): Promise<Corpora> {
  const rng = seededRng(SEED);
  const limit = config.EVAL_FEEDBACK_TOPIC_LIMIT;
  const chinese = (await readChinese(config.SERENDIP_DATA_DIR)).flatMap((row) => {
    const text = chineseReviewText(row.review);
    return text === null
      ? []
      : [{ category: row.category, review: { id: `zh-${row.key}`, text, rating: chineseRating(row.label), negative: row.label === 0 } }];
  });
  const categories: Category[] = [...groupBy(chinese, (row) => row.category)].map(([name, rows]) => ({
    corpus: 'online_shopping',
    name,
    total: rows.length,
    sample: sampleWithoutReplacement(rows, limit, rng).map((row) => row.review),
  }));

  const clothing = (await readClothing(config.SERENDIP_DATA_DIR)).flatMap((row) => {
    const text = clothingReviewText(row.title, row.text);
    if (text === null) return [];
    return [{ clothingId: row.clothingId, className: row.className, review: { id: `en-${row.rowId}`, text, rating: row.rating, negative: row.rating <= 2 } }];
  });
  const classReviews = new Map(
    [
      ...groupBy(
        clothing.filter((row) => row.className !== ''),
        (row) => row.className,
      ),
    ].map(([name, rows]) => [name, rows.map((row) => row.review)] as const),
  );
  for (const [name, reviews] of largest(classReviews, config.EVAL_FEEDBACK_CLASSES)) {
    categories.push({ corpus: 'womens_clothing', name, total: reviews.length, sample: sampleWithoutReplacement(reviews, limit, rng) });
  }
  const products = largest(
    groupBy(clothing, (row) => row.clothingId),
    config.EVAL_FEEDBACK_PRODUCTS,
  ).map(([id, rows]) => ({
    id,
    // A Clothing ID has one class in this file; the most common guards against a stray row.
    className: largest(
      groupBy(rows, (row) => row.className),
      1,
    )[0]![0],
    reviews: rows.map((row) => row.review),
  }));
  return { categories, products, classReviews };
}

// ---- 1. sentiment -------------------------------------------------------------------------------

async function evaluateSentiment(config: FeedbackConfig, models: Models, loadSeconds: number) {
  const limit = config.EVAL_FEEDBACK_SENTIMENT_LIMIT || undefined;
  const sets = evalSets(config.SERENDIP_DATA_DIR, limit);
  const started = process.hrtime.bigint();
  const { sets: metrics, texts, seconds } = await scoreSets(models.sentiment, sets, `sentiment ${config.INFERENCE_DTYPE}`);
  console.log(
    `\n== 1. Sentiment on the held-out splits (${limit ? `first ${limit} rows of each set; EVAL_FEEDBACK_SENTIMENT_LIMIT=0 for all` : 'all rows'})\n`,
  );
  printTable(sets, [{ dtype: config.INFERENCE_DTYPE, textsPerSecond: texts / seconds, loadSeconds, sets: metrics }]);
  return {
    seconds: elapsed(started),
    limit: limit ?? null,
    sets: sets.map((set) => ({ set, metrics: metrics[set.id]! })),
  };
}

// ---- 2. aspects ---------------------------------------------------------------------------------

interface AspectScores {
  evaluation: AspectEvaluation;
  jointF1: number;
}

type LanguageScores = AspectEvaluation['byLanguage'][string];
type AspectClassifier = 'served: model, rules where neutral' | 'model, 3 classes' | 'lexicon';

/**
 * F1 where a hit needs the aspect and its sentiment right, so a wrong sentiment counts as a false
 * positive and a miss: the one figure in which the clause classifier and detection both show.
 */
function jointF1({ detection, sentiment }: LanguageScores): number {
  const precision = sentiment.correct / Math.max(1, detection.truePositives + detection.falsePositives);
  const recall = sentiment.correct / Math.max(1, detection.truePositives + detection.falseNegatives);
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Which labelled set is scored: its heading in the report, and what to keep in mind reading it. */
interface AspectSet {
  heading: string;
  caveat: string;
}

const FIXTURE_SET: AspectSet = {
  heading: '2. Aspects on the labelled fixture',
  caveat: 'In-sample for the lexicons, which were written while reading these reviews (packages/text/README.md).',
};

const BLIND_SET: AspectSet = {
  heading: '2b. Aspects on the blind set',
  caveat: 'Out of sample: reviews drawn at random from the data folder and labelled from the texts alone before the lexicon read them.',
};

async function evaluateAspectQuality(examples: AspectExample[], models: Models, set: AspectSet) {
  const started = process.hrtime.bigint();
  const model: ClauseClassifier = (clauses) => models.sentiment.classify(clauses);
  // What serves (see clauseOpinion): the model, and the rules where the model says neutral.
  const served =
    (language: string): ClauseClassifier =>
    async (clauses) =>
      (await models.sentiment.classify(clauses)).map((result, index) => clauseOpinion(result, clauses[index]!, language));
  const scored = async (classify: (language: string) => ClauseClassifier): Promise<AspectScores> => {
    const evaluation = await evaluateAspects(examples, (text, language) => analyseAspects(text, language, classify(language)));
    return { evaluation, jointF1: jointF1(evaluation) };
  };
  const scores: Record<AspectClassifier, AspectScores> = {
    'served: model, rules where neutral': await scored(served),
    'model, 3 classes': await scored(() => model),
    lexicon: await scored(lexiconClassifier),
  };
  const labelled = examples.reduce((sum, example) => sum + example.aspects.length, 0);
  console.log(`\n== ${set.heading} (${examples.length} reviews, ${labelled} labelled aspects)\n`);
  const line = (name: string, { detection, sentiment }: LanguageScores) => [
    name,
    percent(detection.precision),
    percent(detection.recall),
    percent(detection.f1),
    `${percent(sentiment.accuracy)} (${sentiment.correct}/${sentiment.total})`,
    percent(jointF1({ detection, sentiment })),
  ];
  const lines = Object.entries(scores).flatMap(([name, { evaluation }]) => [
    line(`${name}, all`, evaluation),
    ...Object.entries(evaluation.byLanguage).map(([language, scores]) => line(`${name}, ${language}`, scores)),
  ]);
  printColumns(['clause classifier', 'detection P %', 'R %', 'F1 %', 'aspect sentiment accuracy %', 'aspect+sentiment F1 %'], lines);
  console.log('  Detection is lexicon matching whatever the classifier; sentiment is scored on correctly detected aspects.');
  console.log(
    '  "served" is the model, with the rules deciding where it says neutral (clauseOpinion), as the worker does; "3 classes" is the model\'s own answer.',
  );
  console.log(`  ${set.caveat}`);
  return { seconds: elapsed(started), examples: examples.length, labelled, ...scores };
}

// ---- 3. keywords --------------------------------------------------------------------------------

/** As packages/text/test/keywords.test.ts measures it: statistics over all fixture reviews, hits in the top 5. */
function evaluateKeywords(examples: AspectExample[]) {
  const started = process.hrtime.bigint();
  const stats = new TermStatistics();
  for (const example of examples) stats.add(tokenize(example.text, example.language));
  const labelled = examples.filter((example) => example.keywords);
  const expected = labelled.reduce((sum, example) => sum + example.keywords!.length, 0);
  const recallAt5 = (extract: (tokens: string[]) => string[]) => {
    let hits = 0;
    for (const example of labelled) {
      const top = extract(tokenize(example.text, example.language));
      hits += example.keywords!.filter((keyword) => top.includes(keyword)).length;
    }
    return hits / expected;
  };
  const tfidf = recallAt5((tokens) => keywords(tokens, stats, 5).map((keyword) => keyword.term));
  const textRankRecall = recallAt5((tokens) => textRank(tokens, 5).map((keyword) => keyword.term));
  console.log(`\n== 3. Keywords on the labelled fixture (${labelled.length} reviews, ${expected} hand-picked keywords; IDF over all ${examples.length})\n`);
  printColumns(
    ['method', 'recall@5 %'],
    [
      ['TF-IDF', percent(tfidf)],
      ['TextRank', percent(textRankRecall)],
    ],
  );
  return { seconds: elapsed(started), reviews: labelled.length, keywords: expected, tfidf, textRank: textRankRecall };
}

// ---- 4. analysis and topics ---------------------------------------------------------------------

async function analyseAll(reviews: CorpusReview[], models: Models): Promise<Map<string, AnalyseReviewResult>> {
  const started = process.hrtime.bigint();
  const results = new Map<string, AnalyseReviewResult>();
  for (let start = 0; start < reviews.length; start += ANALYSIS_BATCH) {
    const batch = reviews.slice(start, start + ANALYSIS_BATCH).map((review) => ({ reviewId: review.id, text: review.text }));
    for (const result of await analyseReviews(batch, models)) results.set(result.reviewId, result);
    if (results.size % PROGRESS_EVERY === 0 || results.size === reviews.length) {
      console.error(`analysed ${results.size}/${reviews.length} reviews  ${(results.size / elapsed(started)).toFixed(1)} reviews/s`);
    }
  }
  return results;
}

interface TopicFit {
  category: Category;
  k: number;
  /** Of the chosen k; null when there were too few reviews to score one. */
  silhouette: number | null;
  centroids: Float32Array[];
  labels: TopicLabel[];
  topics: { topic: number; label: string; size: number; negativeModel: number; negativeCorpus: number }[];
}

const vectorOf = (result: AnalyseReviewResult): Float32Array => Float32Array.from(result.embedding.embedding);

/** k by silhouette, spherical k-means and class-based TF-IDF labels, as the topic maintainer fits a category. */
function fitTopics(category: Category, analyses: Map<string, AnalyseReviewResult>): TopicFit {
  const results = category.sample.map((review) => analyses.get(review.id)!);
  const vectors = results.map(vectorOf);
  const { k, scores } = chooseK(vectors, { seed: SEED });
  const fit = kMeans(vectors, k, { seed: SEED });
  const members = new Map<number, number[]>();
  fit.assignments.forEach((topic, index) => {
    const indices = members.get(topic);
    if (indices) indices.push(index);
    else members.set(topic, [index]);
  });
  const labels = labelTopics(new Map([...members].map(([topic, indices]) => [topic, indices.map((index) => results[index]!.terms)])));
  const topics = labels.map(({ topic, label }) => {
    const indices = members.get(topic)!;
    const share = (negative: (index: number) => boolean) => indices.filter(negative).length / indices.length;
    return {
      topic,
      label,
      size: indices.length,
      negativeModel: share((index) => results[index]!.sentiment.label === 'negative'),
      negativeCorpus: share((index) => category.sample[index]!.negative),
    };
  });
  return {
    category,
    k,
    silhouette: scores.find((score) => score.k === k)?.silhouette ?? null,
    centroids: fit.centroids,
    labels,
    topics: topics.sort((a, b) => b.size - a.size || a.topic - b.topic),
  };
}

function printTopics(fits: TopicFit[], limit: number): void {
  console.log(`\n== 4. Topics per category (a seeded sample of at most ${limit} reviews each; k by silhouette from 2-8)\n`);
  printColumns(
    ['category', 'reviews', 'sample', 'k', 'silhouette'],
    fits.map((fit) => [
      `${fit.category.corpus} / ${fit.category.name}`,
      String(fit.category.total),
      String(fit.category.sample.length),
      String(fit.k),
      fit.silhouette === null ? '—' : fit.silhouette.toFixed(3),
    ]),
  );
  console.log('\nnegative %: whole-review sentiment by the model / by the corpus (label 0, or 1-2 stars)');
  for (const fit of fits) {
    console.log(`\n${fit.category.corpus} / ${fit.category.name}: k = ${fit.k}`);
    printColumns(
      ['  topic', 'size', 'negative % model', 'corpus'],
      fit.topics.map((topic) => [`  ${topic.label}`, String(topic.size), percent(topic.negativeModel), percent(topic.negativeCorpus)]),
    );
  }
  console.log('\n  The samples are drawn from whole corpora; the sentiment model was trained on ~90% of both, so its shares are mostly in-sample.');
}

// ---- 5. product summaries -----------------------------------------------------------------------

const isAspectName = (name: string): name is AspectName => (ASPECT_NAMES as readonly string[]).includes(name);

function mentionsOf(result: AnalyseReviewResult): AspectMention[] {
  return result.aspects.map(({ aspect, sentiment, score, clause }) => {
    if (!isAspectName(aspect)) throw new Error(`review ${result.reviewId}: unknown aspect ${aspect}`);
    return { aspect, sentiment, score, clause };
  });
}

/** Document frequencies over every review of the class, tokenised in the language the worker detects. */
function classStatistics(reviews: readonly CorpusReview[]): TermStatistics {
  const stats = new TermStatistics();
  for (const review of reviews) stats.add(tokenize(review.text, detectLanguage(review.text)));
  return stats;
}

interface ProductSummary {
  product: Product;
  summary: FeedbackSummary;
}

/**
 * Each product's reviews as the insights service summarises them: keywords against the class's term
 * statistics, and topics by the class's topic model, each review joining its nearest topic.
 */
function summariseProducts(corpora: Corpora, fits: TopicFit[], analyses: Map<string, AnalyseReviewResult>): ProductSummary[] {
  const statistics = new Map<string, TermStatistics>();
  return corpora.products.map((product) => {
    const fit = fits.find((candidate) => candidate.category.corpus === 'womens_clothing' && candidate.category.name === product.className);
    let categoryStats = statistics.get(product.className);
    if (!categoryStats) {
      categoryStats = classStatistics(corpora.classReviews.get(product.className) ?? product.reviews);
      statistics.set(product.className, categoryStats);
    }
    const reviews = product.reviews.map((review): AnalysedReview => {
      const result = analyses.get(review.id)!;
      return {
        id: review.id,
        rating: review.rating,
        text: review.text,
        language: result.language,
        sentiment: result.sentiment,
        aspects: mentionsOf(result),
        terms: result.terms,
        topic: fit ? nearestCentroid(vectorOf(result), fit.centroids).index : null,
      };
    });
    const topicLabels = fit ? new Map(fit.labels.map((label) => [label.topic, label.label])) : undefined;
    return { product, summary: summariseFeedback(reviews, { categoryStats, ...(topicLabels && { topicLabels }) }) };
  });
}

function printProducts(products: ProductSummary[]): void {
  console.log(`\n== 5. Summaries of the ${products.length} most-reviewed clothing products\n`);
  for (const { product, summary } of products) {
    const { positive, neutral, negative } = summary.sentiment;
    console.log(
      `Clothing ID ${product.id} (${product.className}): ${summary.ratingCount} reviews, rating ${summary.ratingAverage?.toFixed(2) ?? '—'}, ` +
        `sentiment ${percent(positive)}% positive / ${percent(neutral)}% neutral / ${percent(negative)}% negative, ${summary.flaggedCount} rating/text mismatches`,
    );
    console.log(
      `  keywords: ${summary.topKeywords
        .slice(0, 8)
        .map((keyword) => keyword.term)
        .join(', ')}`,
    );
    console.log(
      `  aspects, most mentioned first (reviews, % negative): ${summary.aspects.map((aspect) => `${aspect.name} ${aspect.reviews} (${percent(aspect.sentiment.negative)})`).join(', ')}`,
    );
    console.log(
      `  topics of the class model (reviews, % negative): ${summary.topics.map((topic) => `"${topic.label}" ${topic.size} (${percent(topic.sentiment.negative)})`).join(', ')}`,
    );
    console.log(`  suggestions (${summary.suggestions.length}):`);
    for (const suggestion of summary.suggestions) {
      const [example] = suggestion.examples;
      console.log(`    - ${suggestion.text}  [evidence ${suggestion.evidenceCount}]`);
      if (example) console.log(`        e.g. "${example.text}"`);
    }
    console.log('');
  }
}

// ---- chart --------------------------------------------------------------------------------------

interface Bar {
  /** Under the bar, rotated; '' for none (the other bars of a group). */
  label: string;
  value: number;
  fill: string;
  /** Above the bar. */
  note: string;
}

interface Axis {
  max: number;
  tick: (value: number) => string;
}

const PLOT_TOP = 90;
const PLOT_HEIGHT = 260;
const BAR_STEP = 34;

/** One panel of vertical bars from 0 to `axis.max`, with an optional colour legend; returns where the next panel starts. */
function panel(x0: number, title: string, bars: Bar[], axis: Axis, legend: [string, string][], parts: string[]): number {
  const y = (value: number) => PLOT_TOP + PLOT_HEIGHT * (1 - Math.max(0, Math.min(value, axis.max)) / axis.max);
  const right = x0 + bars.length * BAR_STEP + 10;
  parts.push(`<text x="${x0}" y="${PLOT_TOP - 40}" font-weight="bold">${escapeXml(title)}</text>`);
  let legendX = x0;
  for (const [name, fill] of legend) {
    parts.push(`<rect x="${legendX}" y="${PLOT_TOP - 30}" width="10" height="10" fill="${fill}"/>`);
    parts.push(`<text x="${legendX + 14}" y="${PLOT_TOP - 21}" font-size="11">${escapeXml(name)}</text>`);
    legendX += 24 + 6.5 * name.length;
  }
  for (let step = 0; step <= 4; step++) {
    const value = (axis.max * step) / 4;
    parts.push(`<line x1="${x0}" x2="${right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y(value) + 4}" text-anchor="end" font-size="10">${axis.tick(value)}</text>`);
  }
  bars.forEach((bar, index) => {
    const x = x0 + 10 + index * BAR_STEP;
    const base = PLOT_TOP + PLOT_HEIGHT;
    parts.push(`<rect x="${x}" y="${y(bar.value)}" width="26" height="${base - y(bar.value)}" fill="${bar.fill}"/>`);
    parts.push(`<text x="${x + 13}" y="${y(bar.value) - 4}" text-anchor="middle" font-size="10">${escapeXml(bar.note)}</text>`);
    if (bar.label) {
      parts.push(
        `<text x="${x + 13}" y="${base + 14}" text-anchor="end" font-size="11" transform="rotate(-40 ${x + 13} ${base + 14})">${escapeXml(bar.label)}</text>`,
      );
    }
  });
  return right + 70;
}

const PERCENT_AXIS: Axis = { max: 1, tick: (value) => (value * 100).toFixed(0) };

function chartSvg(
  aspects: Awaited<ReturnType<typeof evaluateAspectQuality>>,
  blindAspects: Awaited<ReturnType<typeof evaluateAspectQuality>>,
  keywordScores: ReturnType<typeof evaluateKeywords>,
  fits: TopicFit[],
  title: string,
): string {
  const parts: string[] = [];
  const fills: Record<AspectClassifier, string> = { 'served: model, rules where neutral': '#2f6db5', 'model, 3 classes': '#8fb3e0', lexicon: '#e08a1e' };
  const classifiers = Object.keys(fills) as AspectClassifier[];
  const figures: [string, (scores: AspectScores) => number][] = [
    ['detection F1', (scores) => scores.evaluation.detection.f1],
    ['sentiment acc.', (scores) => scores.evaluation.sentiment.accuracy],
    ['joint F1', (scores) => scores.jointF1],
  ];
  const aspectPanel = (x0: number, title: string, scored: Awaited<ReturnType<typeof evaluateAspectQuality>>) =>
    panel(
      x0,
      title,
      figures.flatMap(([figure, value]) =>
        classifiers.map((name, index) => ({
          label: index === 1 ? figure : '',
          value: value(scored[name]),
          fill: fills[name],
          note: percent(value(scored[name])),
        })),
      ),
      PERCENT_AXIS,
      classifiers.map((name) => [name, fills[name]]),
      parts,
    );
  let x = aspectPanel(60, 'Aspects on the labelled fixture, %', aspects);
  x = aspectPanel(x, 'Aspects on the blind set, %', blindAspects);
  x = panel(
    x,
    'Keyword recall@5, %',
    [
      { label: 'TF-IDF', value: keywordScores.tfidf, fill: '#4a9b5f', note: percent(keywordScores.tfidf) },
      { label: 'TextRank', value: keywordScores.textRank, fill: '#9c4fb3', note: percent(keywordScores.textRank) },
    ],
    PERCENT_AXIS,
    [],
    parts,
  );
  const topicFills = { online_shopping: '#2f6db5', womens_clothing: '#c0392b' } as const;
  x = panel(
    x,
    'Topics: silhouette of the chosen k (k above each bar)',
    fits.map((fit) => ({ label: fit.category.name, value: fit.silhouette ?? 0, fill: topicFills[fit.category.corpus], note: `k=${fit.k}` })),
    { max: 1, tick: (value) => value.toFixed(2) },
    Object.entries(topicFills),
    parts,
  );
  const height = PLOT_TOP + PLOT_HEIGHT + 110;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${x}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${x}" height="${height}" fill="white"/>`,
    `<text x="60" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    `<text x="60" y="${height - 10}" fill="#555" font-size="10">Aspect detection is lexicon matching whatever the classifier; joint F1 needs aspect and sentiment right; "served" is the model with the rules where it says neutral, as the worker does.</text>`,
    '</svg>',
  ].join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const config = loadConfig('eval:feedback', feedbackSchema, process.env);
  const loadStarted = process.hrtime.bigint();
  const sentiment = await createSentimentClassifier(config);
  const loadSeconds = elapsed(loadStarted);
  const embedder = await createEmbedder(config).catch(async (error: unknown) => {
    await sentiment.dispose();
    throw error;
  });
  const models: Models = { sentiment, embedder };
  try {
    console.log(
      `\nmodels ${sentiment.model} ${sentiment.version}, ${embedder.model} ${embedder.version} (${config.INFERENCE_DTYPE}, ${os.cpus()[0]?.model ?? 'cpu'}, ${config.INFERENCE_THREADS} threads)`,
    );
    const sentimentScores = await evaluateSentiment(config, models, loadSeconds);

    const examples = parseAspectExamples(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
    const aspects = await evaluateAspectQuality(examples, models, FIXTURE_SET);
    const blind = await blindAspectExamples(config.SERENDIP_DATA_DIR, new Set(examples.map((example) => example.text)));
    const blindAspects = await evaluateAspectQuality(blind, models, BLIND_SET);
    const keywordScores = evaluateKeywords(examples);

    const corpora = await readCorpora(config);
    const unique = new Map<string, CorpusReview>();
    for (const review of [...corpora.categories.flatMap((category) => category.sample), ...corpora.products.flatMap((product) => product.reviews)]) {
      unique.set(review.id, review);
    }
    console.error(`eval:feedback: analysing ${unique.size} reviews (${corpora.categories.length} category samples, ${corpora.products.length} products)`);
    const analysisStarted = process.hrtime.bigint();
    const analyses = await analyseAll([...unique.values()], models);
    const analysisSeconds = elapsed(analysisStarted);

    const topicsStarted = process.hrtime.bigint();
    const fits = corpora.categories.map((category) => fitTopics(category, analyses));
    const topicSeconds = elapsed(topicsStarted);
    printTopics(fits, config.EVAL_FEEDBACK_TOPIC_LIMIT);

    const summariesStarted = process.hrtime.bigint();
    const products = summariseProducts(corpora, fits, analyses);
    const summarySeconds = elapsed(summariesStarted);
    printProducts(products);

    fs.mkdirSync(path.dirname(CHART), { recursive: true });
    fs.writeFileSync(
      CHART,
      chartSvg(aspects, blindAspects, keywordScores, fits, `Review understanding: ${sentiment.model} ${sentiment.version}, ${embedder.model}`),
    );
    console.log(`chart: ${path.relative(process.cwd(), CHART)}`);
    const totalSeconds = elapsed(started);
    console.log(
      `reviews analysed: ${analyses.size} in ${analysisSeconds.toFixed(1)} s (${(analyses.size / analysisSeconds).toFixed(1)} reviews/s); total ${totalSeconds.toFixed(1)} s`,
    );

    const aspectJson = ({ evaluation, jointF1: joint }: AspectScores) => ({
      precision: round(evaluation.detection.precision),
      recall: round(evaluation.detection.recall),
      f1: round(evaluation.detection.f1),
      sentimentAccuracy: round(evaluation.sentiment.accuracy),
      jointF1: round(joint),
    });
    console.log(
      JSON.stringify({
        models: {
          sentiment: `${sentiment.model} ${sentiment.version}`,
          embedder: `${embedder.model} ${embedder.version}`,
          dtype: config.INFERENCE_DTYPE,
          threads: config.INFERENCE_THREADS,
        },
        sentiment: {
          limit: sentimentScores.limit,
          sets: Object.fromEntries(
            sentimentScores.sets.map(({ set, metrics }) => [set.id, { n: metrics.n, accuracy: round(metrics.accuracy), macroF1: round(metrics.macroF1) }]),
          ),
        },
        aspects: {
          examples: aspects.examples,
          labelled: aspects.labelled,
          modelThreeClasses: aspectJson(aspects['model, 3 classes']),
          served: aspectJson(aspects['served: model, rules where neutral']),
          lexicon: aspectJson(aspects.lexicon),
        },
        blindAspects: {
          examples: blindAspects.examples,
          labelled: blindAspects.labelled,
          modelThreeClasses: aspectJson(blindAspects['model, 3 classes']),
          served: aspectJson(blindAspects['served: model, rules where neutral']),
          lexicon: aspectJson(blindAspects.lexicon),
        },
        keywords: {
          reviews: keywordScores.reviews,
          keywords: keywordScores.keywords,
          tfidfRecallAt5: round(keywordScores.tfidf),
          textRankRecallAt5: round(keywordScores.textRank),
        },
        topics: fits.map((fit) => ({
          corpus: fit.category.corpus,
          category: fit.category.name,
          n: fit.category.sample.length,
          k: fit.k,
          silhouette: fit.silhouette === null ? null : round(fit.silhouette),
        })),
        products: products.map(({ product, summary }) => ({
          clothingId: product.id,
          className: product.className,
          reviews: summary.ratingCount,
          ratingAverage: summary.ratingAverage === null ? null : round(summary.ratingAverage),
          negativeShare: round(summary.sentiment.negative),
          suggestions: summary.suggestions.length,
        })),
        reviewsAnalysed: analyses.size,
        seconds: {
          sentiment: round(sentimentScores.seconds),
          aspects: round(aspects.seconds + blindAspects.seconds),
          keywords: round(keywordScores.seconds),
          analysis: round(analysisSeconds),
          topics: round(topicSeconds),
          summaries: round(summarySeconds),
          total: round(totalSeconds),
        },
      }),
    );
  } finally {
    await Promise.all([sentiment.dispose(), embedder.dispose()]);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
