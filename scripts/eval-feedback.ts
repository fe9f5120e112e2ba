/**
 * pnpm eval:feedback — how well review understanding reads real reviews, through the code that
 * serves them: the worker's `analyseReviews` (sentiment of each review and of each aspect clause,
 * embedding, tokens), then topics (fitTopics) and merchant summaries (summariseFeedback) as the
 * feedback subgraph builds them. In order:
 *  1. sentiment accuracy and macro-F1 on eval:sentiment's held-out sets;
 *  2. aspect detection and aspect sentiment on packages/text/fixtures/aspect-examples.json, with the
 *     model (as served, and its own three-class answer) and the lexicon fallback as clause classifier;
 *     then the same on the blind set: real reviews drawn at random and labelled before the lexicon
 *     read them (scripts/eval/aspect-blind-set.ts);
 *  3. keyword recall@5 of TF-IDF and TextRank on the fixture's hand-picked keywords;
 *  4. topics of a sample of each online_shopping_10_cats category and of the largest clothing classes,
 *     with NPMI coherence beside LDA's on the same reviews;
 *  5. summaries and suggestions of the most-reviewed clothing products;
 *  6. aspect detection and suggestions against the complaints clothing review titles name
 *     (scripts/eval/title-complaints.ts), the analyser reading the body only.
 * Prints tables, writes bench-results/eval-feedback.svg and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR              data folder (default <repo>/../shared/data)
 *   EVAL_FEEDBACK_SENTIMENT_LIMIT  rows per sentiment set (default 0: all, ~8,000 texts)
 *   EVAL_FEEDBACK_TOPIC_LIMIT      reviews sampled per category or class for topics (default 1000)
 *   EVAL_FEEDBACK_CLASSES          clothing classes with topics, most reviewed first (default 5)
 *   EVAL_FEEDBACK_PRODUCTS         clothing products summarised, most reviewed first (default 5)
 *   EVAL_FEEDBACK_TITLE_PRODUCT_REVIEWS  reviews a clothing product needs for its suggestions to be
 *                                  scored against its review titles (default 100)
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
import { embeddingVector, type AnalyseReviewResult } from '../packages/jobs/src';
import { sampleWithoutReplacement, seededRng } from '../packages/recsys/src';
import {
  analyseAspects,
  ASPECT_NAMES,
  clauseOpinion,
  detectLanguage,
  evaluateAspects,
  keywords,
  lexiconClassifier,
  parseAspectExamples,
  summariseFeedback,
  TermStatistics,
  textRank,
  tokenize,
  topicCoherence,
  type AnalysedReview,
  type AspectEvaluation,
  type AspectExample,
  type AspectMention,
  type AspectName,
  type ClauseClassifier,
  type FeedbackSummary,
  type SentimentLabel,
  type SummaryOptions,
  addToBaseline,
  aspectVerdicts,
  emptyBaseline,
} from '../packages/text/src';
import { fitTopics, topicOf, type TopicFit, type TopicReview } from '../subgraphs/feedback/src/insights/topic-fit';
import { analyseReviews } from '../workers/inference/src/handlers/analyse-review.handler';
import type { Models } from '../workers/inference/src/handlers/handler';
import { blindAspectExamples } from './eval/aspect-blind-set';
import { COMPLAINT_STARS, namedMost, precisionAt, titleAspects, titleComplaintCounts } from './eval/title-complaints';
import { lda } from './eval/lda';
import { dataDirEnv, escapeXml, percent, printColumns, round } from './eval/report';
import { evalSets, printTable, scoreSets } from './eval/sentiment-sets';

const feedbackSchema = z.object({
  ...inferenceEnv,
  ...dataDirEnv,
  EVAL_FEEDBACK_SENTIMENT_LIMIT: z.coerce.number().int().min(0).default(0),
  EVAL_FEEDBACK_TOPIC_LIMIT: z.coerce.number().int().min(3).default(1000),
  EVAL_FEEDBACK_CLASSES: z.coerce.number().int().min(1).default(5),
  EVAL_FEEDBACK_PRODUCTS: z.coerce.number().int().min(1).default(5),
  EVAL_FEEDBACK_TITLE_PRODUCT_REVIEWS: z.coerce.number().int().min(1).default(100),
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

/** A clothing review's title kept apart from its body: the title labels, the body is analysed. */
interface TitledReview {
  review: CorpusReview;
  clothingId: string;
  className: string;
  title: string;
}

interface Corpora {
  categories: Category[];
  products: Product[];
  /** Every clothing review with text by class, for the classes' term statistics. */
  classReviews: Map<string, CorpusReview[]>;
  /** Every clothing review with a body, the body as its text (`body-` ids). */
  titled: TitledReview[];
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

  const clothingRows = await readClothing(config.SERENDIP_DATA_DIR);
  const titled = clothingRows.flatMap((row): TitledReview[] => {
    const body = row.text.trim();
    if (body === '') return [];
    const review = { id: `body-${row.rowId}`, text: body, rating: row.rating, negative: row.rating <= 2 };
    return [{ review, clothingId: row.clothingId, className: row.className, title: row.title.trim() }];
  });
  const clothing = clothingRows.flatMap((row) => {
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
  return { categories, products, classReviews, titled };
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

interface TopicRow {
  topic: number;
  /** The polarity the topic was found in; null for LDA's, found across all reviews. */
  polarity: SentimentLabel | null;
  label: string;
  size: number;
  coherence: number | null;
  negativeModel: number;
  negativeCorpus: number;
  /** The shortest member review, as a sample of what the topic holds. */
  sample: string;
}

interface CategoryTopics {
  category: Category;
  fit: TopicFit;
  topics: TopicRow[];
  lda: TopicRow[];
}

const topicReview = (result: AnalyseReviewResult): TopicReview => ({
  embedding: embeddingVector(result.embedding),
  terms: result.terms,
  polarity: result.sentiment.label,
});

const meanOf = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
};

/** A topic's figures over its member reviews (indices into the category sample). */
function topicRow(
  category: Category,
  results: readonly AnalyseReviewResult[],
  members: readonly number[],
  row: Pick<TopicRow, 'topic' | 'polarity' | 'label' | 'coherence'>,
): TopicRow {
  const share = (negative: (index: number) => boolean) => (members.length === 0 ? 0 : members.filter(negative).length / members.length);
  const shortest = [...members].sort((a, b) => category.sample[a]!.text.length - category.sample[b]!.text.length || a - b)[0];
  return {
    ...row,
    size: members.length,
    negativeModel: share((index) => results[index]!.sentiment.label === 'negative'),
    negativeCorpus: share((index) => category.sample[index]!.negative),
    sample: shortest === undefined ? '' : category.sample[shortest]!.text,
  };
}

/**
 * The category's topics as the topic maintainer fits them (fitTopics: within each polarity, k by
 * NPMI), and LDA with as many topics on the same reviews' tokens, both scored by the same NPMI.
 */
function categoryTopics(category: Category, analyses: Map<string, AnalyseReviewResult>): CategoryTopics {
  const results = category.sample.map((review) => analyses.get(review.id)!);
  const fit = fitTopics(results.map(topicReview), { seed: SEED });
  const membersOf = (assignments: readonly (number | null)[], topic: number) => assignments.flatMap((assigned, index) => (assigned === topic ? [index] : []));
  const topics = fit.topics.map((topic) =>
    topicRow(category, results, membersOf(fit.assignments, topic.topic), {
      topic: topic.topic,
      polarity: topic.polarity,
      label: topic.label.label,
      coherence: topic.coherence,
    }),
  );
  const documents = results.map((result) => new Set(Object.keys(result.terms)));
  const tokens = results.map((result) => Object.entries(result.terms).flatMap(([term, count]) => Array.from({ length: count }, () => term)));
  const baseline = lda(tokens, { k: Math.max(2, fit.topics.length), seed: SEED });
  const ldaCoherence = topicCoherence(
    baseline.topics.map((topic) => topic.words.map((word) => word.term)),
    documents,
  );
  const ldaTopics = baseline.topics.map((topic, index) =>
    topicRow(category, results, membersOf(baseline.documentTopics, index), {
      topic: index,
      polarity: null,
      label: topic.words
        .slice(0, 3)
        .map((word) => word.term)
        .join(' / '),
      coherence: ldaCoherence[index] ?? null,
    }),
  );
  return { category, fit, topics, lda: ldaTopics };
}

const fixed3 = (value: number | null) => (value === null ? '—' : value.toFixed(3));
const clip = (text: string, length = 60) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
};

function printTopics(fits: CategoryTopics[], limit: number): void {
  console.log(
    `\n== 4. Topics per category (a seeded sample of at most ${limit} reviews each): found within each polarity, k by NPMI coherence, against LDA with as many topics\n`,
  );
  const polarityKs = (fit: TopicFit) => fit.choices.map((choice) => `${choice.k}`).join('/');
  printColumns(
    ['category', 'reviews', 'sample', 'k neg/neu/pos', 'NPMI', 'LDA k', 'LDA NPMI', 'topics under 80 % one polarity (LDA)'],
    fits.map(({ category, fit, topics, lda: baseline }) => [
      `${category.corpus} / ${category.name}`,
      String(category.total),
      String(category.sample.length),
      polarityKs(fit),
      fixed3(meanOf(topics.map((topic) => topic.coherence))),
      String(baseline.length),
      fixed3(meanOf(baseline.map((topic) => topic.coherence))),
      `${baseline.filter((topic) => topic.size > 0 && topic.negativeModel > 0.2 && topic.negativeModel < 0.8).length} of ${baseline.length}`,
    ]),
  );
  console.log("\nNPMI: mean over topics of the NPMI of their top ten words, over the sample's reviews (−1..1, higher is more coherent).");
  console.log("negative %: the topic's reviews that are negative by the model / by the corpus (label 0, or 1-2 stars); sample: its shortest review.");
  for (const { category, fit, topics, lda: baseline } of fits) {
    console.log(`\n${category.corpus} / ${category.name}`);
    for (const choice of fit.choices) {
      const tried = choice.scores
        .map((score) => `k=${score.k} ${score.coherence.toFixed(3)}${score.eligible ? '' : ` (smallest ${score.smallest})`}`)
        .join(', ');
      console.log(`  ${choice.polarity}: ${choice.reviews} reviews, k = ${choice.k}${tried ? `; NPMI by k: ${tried}` : ' (too few for topics)'}`);
    }
    const rows = (list: TopicRow[]) =>
      list.map((topic) => [
        `  ${topic.polarity ?? 'LDA'}: ${topic.label}`,
        String(topic.size),
        fixed3(topic.coherence),
        percent(topic.negativeModel),
        percent(topic.negativeCorpus),
        clip(topic.sample),
      ]);
    printColumns(['  topic', 'size', 'NPMI', 'negative % model', 'corpus', 'sample'], [...rows(topics), ...rows(baseline)]);
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
 * What the topic maintainer stores of a class for summaries, from its sample: topic labels, the
 * share of the reviews in each topic, and the aspect baseline.
 */
function classModel(fit: CategoryTopics, analyses: Map<string, AnalyseReviewResult>): Pick<SummaryOptions, 'topicLabels' | 'topicBaseline' | 'baseline'> {
  const baseline = emptyBaseline();
  for (const review of fit.category.sample) addToBaseline(baseline, mentionsOf(analyses.get(review.id)!));
  return {
    topicLabels: new Map(fit.fit.topics.map((topic) => [topic.topic, topic.label.label])),
    topicBaseline: new Map(fit.fit.topics.map((topic) => [topic.topic, { polarity: topic.polarity, share: topic.size / fit.category.sample.length }])),
    baseline,
  };
}

/**
 * Each product's reviews as the insights service summarises them: keywords against the class's term
 * statistics, and topics by the class's topic model, each review joining its nearest topic.
 */
function summariseProducts(corpora: Corpora, fits: CategoryTopics[], analyses: Map<string, AnalyseReviewResult>): ProductSummary[] {
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
        topic: fit ? (topicOf(fit.fit, topicReview(result))?.topic ?? null) : null,
      };
    });
    return { product, summary: summariseFeedback(reviews, { categoryStats, ...(fit && classModel(fit, analyses)) }) };
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
      `  topics of the class model (polarity, reviews): ${summary.topics.map((topic) => `"${topic.label}" ${topic.polarity ?? '?'} ${topic.size}`).join(', ')}`,
    );
    console.log(`  suggestions (${summary.suggestions.length}):`);
    for (const suggestion of summary.suggestions) {
      const [example] = suggestion.examples;
      console.log(`    - ${suggestion.text}  [p = ${suggestion.pValue.toExponential(1)}]`);
      if (example) console.log(`        e.g. "${example.text}"`);
    }
    console.log('');
  }
}

// ---- 6. the review titles' complaints -------------------------------------------------------------

/** The analysed body of a titled review, as the insights service reads a review. */
function bodyReview(titled: TitledReview, result: AnalyseReviewResult): AnalysedReview {
  return {
    id: titled.review.id,
    rating: titled.review.rating,
    text: titled.review.text,
    language: result.language,
    sentiment: result.sentiment,
    aspects: mentionsOf(result),
    terms: result.terms,
    topic: null,
  };
}

interface TitleDetection {
  aspect: AspectName;
  /** Complaint reviews whose title names the aspect. */
  labelled: number;
  /** Of those, reviews whose body the analyser finds the aspect in, and finds it negative in. */
  detected: number;
  negative: number;
}

interface ProductTitles {
  clothingId: string;
  className: string;
  reviews: number;
  /** The aspects its complaint titles name most (at most three, each at least twice). */
  named: AspectName[];
  suggested: AspectName[];
  prior: AspectName[];
  precision: number | null;
  priorPrecision: number | null;
}

/**
 * Aspect detection and suggestions scored against the complaints review titles name
 * (scripts/eval/title-complaints.ts), with the analyser reading the body only:
 * - detection: for every review of 1-3 stars whose title names an aspect, is the aspect found in
 *   the body, and found negative;
 * - suggestions: for every product with at least `minReviews` reviews, its suggestions (as
 *   summariseFeedback makes them, against its class's baseline from the same bodies) against the
 *   aspects its complaint titles name most: precision@3 over the aspect suggestions made. Beside
 *   it, a prior that suggests every product the three aspects its class complains of most.
 */
function evaluateTitles(corpora: Corpora, analyses: Map<string, AnalyseReviewResult>, minReviews: number) {
  const started = process.hrtime.bigint();
  const labelled = corpora.titled.filter((titled) => titled.review.rating <= COMPLAINT_STARS && titleAspects(titled.title).length > 0);
  const detection = new Map<AspectName, TitleDetection>();
  for (const titled of labelled) {
    const verdicts = aspectVerdicts(mentionsOf(analyses.get(titled.review.id)!));
    for (const aspect of titleAspects(titled.title)) {
      const row = detection.get(aspect) ?? { aspect, labelled: 0, detected: 0, negative: 0 };
      row.labelled += 1;
      if (verdicts.has(aspect)) row.detected += 1;
      if (verdicts.get(aspect) === 'negative') row.negative += 1;
      detection.set(aspect, row);
    }
  }
  const byProduct = [...groupBy(corpora.titled, (titled) => titled.clothingId)].filter(([, rows]) => rows.length >= minReviews);
  const byClass = groupBy(
    byProduct.flatMap(([, rows]) => rows),
    (titled) => titled.className,
  );
  const baselines = new Map(
    [...byClass].map(([className, rows]) => {
      const baseline = emptyBaseline();
      for (const titled of rows) addToBaseline(baseline, mentionsOf(analyses.get(titled.review.id)!));
      const prior = Object.entries(baseline.aspects)
        .sort((a, b) => b[1].complaints - a[1].complaints || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([aspect]) => aspect as AspectName);
      return [className, { baseline, prior }] as const;
    }),
  );
  const products = byProduct
    .map(([clothingId, rows]): ProductTitles => {
      const className = largest(
        groupBy(rows, (row) => row.className),
        1,
      )[0]![0];
      const { baseline, prior } = baselines.get(className)!;
      const summary = summariseFeedback(
        rows.map((titled) => bodyReview(titled, analyses.get(titled.review.id)!)),
        { baseline },
      );
      const suggested = summary.suggestions.flatMap((suggestion) => (suggestion.aspect === null ? [] : [suggestion.aspect]));
      const named = namedMost(titleComplaintCounts(rows.map((row) => ({ title: row.title, rating: row.review.rating }))));
      return {
        clothingId,
        className,
        reviews: rows.length,
        named,
        suggested,
        prior,
        precision: named.length === 0 ? null : precisionAt(suggested, named),
        priorPrecision: named.length === 0 ? null : precisionAt(prior, named),
      };
    })
    .sort((a, b) => b.reviews - a.reviews || (a.clothingId < b.clothingId ? -1 : 1));
  const scored = products.filter((product) => product.precision !== null);
  const mean = (values: readonly number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);
  const judged = products.filter((product) => product.named.length > 0);
  return {
    seconds: elapsed(started),
    labelled: labelled.length,
    detection: [...detection.values()].sort((a, b) => b.labelled - a.labelled || (a.aspect < b.aspect ? -1 : 1)),
    products,
    judged: judged.length,
    withSuggestions: scored.length,
    precisionAt3: mean(scored.map((product) => product.precision!)),
    priorPrecisionAt3: mean(judged.map((product) => product.priorPrecision!)),
    /** The prior over the same products as ours, those with suggestions. */
    priorPrecisionAt3Same: mean(scored.map((product) => product.priorPrecision!)),
    /** Share of the products with suggestions whose first aspect suggestion is the aspect their titles name most; the prior's first beside it. */
    firstMatch: mean(scored.map((product) => Number(product.suggested[0] === product.named[0]))),
    priorFirstMatch: mean(scored.map((product) => Number(product.prior[0] === product.named[0]))),
  };
}

function printTitles(titles: ReturnType<typeof evaluateTitles>, minReviews: number): void {
  console.log(
    `\n== 6. Against the complaints review titles name (women's clothing, rule in scripts/eval/title-complaints.ts; the analyser reads the body only)\n`,
  );
  console.log(`Aspect detection: ${titles.labelled} reviews of 1-3 stars whose title names an aspect\n`);
  printColumns(
    ['aspect the title names', 'reviews', 'found in the body %', 'found negative %'],
    titles.detection.map((row) => [row.aspect, String(row.labelled), percent(row.detected / row.labelled), percent(row.negative / row.labelled)]),
  );
  const all = titles.detection.reduce(
    (sum, row) => ({ labelled: sum.labelled + row.labelled, detected: sum.detected + row.detected, negative: sum.negative + row.negative }),
    {
      labelled: 0,
      detected: 0,
      negative: 0,
    },
  );
  if (all.labelled > 0)
    console.log(
      `  all: found ${percent(all.detected / all.labelled)} %, found negative ${percent(all.negative / all.labelled)} % (recall: a title names one complaint, not all of them)`,
    );
  console.log(
    `\nSuggestions: ${titles.products.length} products with at least ${minReviews} reviews; ${titles.judged} have an aspect their complaint titles name twice or more; ${titles.withSuggestions} of those get an aspect suggestion\n`,
  );
  printColumns(
    ['Clothing ID (class)', 'reviews', 'titles name most', 'suggested (aspects, largest first)', 'P@3', 'class prior P@3'],
    titles.products.map((product) => [
      `${product.clothingId} (${product.className})`,
      String(product.reviews),
      product.named.join(', ') || '—',
      product.suggested.join(', ') || '—',
      product.precision === null ? '—' : percent(product.precision),
      product.priorPrecision === null ? '—' : percent(product.priorPrecision),
    ]),
  );
  const show = (value: number | null) => (value === null ? '—' : `${percent(value)} %`);
  console.log(
    `\n  precision@3 of suggestions: ${show(titles.precisionAt3)} over the ${titles.withSuggestions} products with suggestions; ` +
      `the class prior (its three most complained-of aspects for every product): ${show(titles.priorPrecisionAt3Same)} on the same products, ${show(titles.priorPrecisionAt3)} on all ${titles.judged}`,
  );
  console.log(
    `  first suggestion = the complaint the titles name most: ${show(titles.firstMatch)} of those products; the class prior's first: ${show(titles.priorFirstMatch)}`,
  );
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
  /** Bars grow from 0, up or down; the axis runs from `min` (default 0) to `max`. */
  min?: number;
  max: number;
  tick: (value: number) => string;
}

const PLOT_TOP = 90;
const PLOT_HEIGHT = 260;
const BAR_STEP = 34;

/** One panel of vertical bars from 0, on an axis from `axis.min` to `axis.max`, with an optional colour legend; returns where the next panel starts. */
function panel(x0: number, title: string, bars: Bar[], axis: Axis, legend: [string, string][], parts: string[]): number {
  const min = axis.min ?? 0;
  const y = (value: number) => PLOT_TOP + PLOT_HEIGHT * (1 - (Math.max(min, Math.min(value, axis.max)) - min) / (axis.max - min));
  const right = x0 + bars.length * BAR_STEP + 10;
  parts.push(`<text x="${x0}" y="${PLOT_TOP - 40}" font-weight="bold">${escapeXml(title)}</text>`);
  let legendX = x0;
  for (const [name, fill] of legend) {
    parts.push(`<rect x="${legendX}" y="${PLOT_TOP - 30}" width="10" height="10" fill="${fill}"/>`);
    parts.push(`<text x="${legendX + 14}" y="${PLOT_TOP - 21}" font-size="11">${escapeXml(name)}</text>`);
    legendX += 24 + 6.5 * name.length;
  }
  for (let step = 0; step <= 4; step++) {
    const value = min + ((axis.max - min) * step) / 4;
    parts.push(`<line x1="${x0}" x2="${right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y(value) + 4}" text-anchor="end" font-size="10">${axis.tick(value)}</text>`);
  }
  bars.forEach((bar, index) => {
    const x = x0 + 10 + index * BAR_STEP;
    const zero = y(0);
    const base = PLOT_TOP + PLOT_HEIGHT;
    parts.push(`<rect x="${x}" y="${Math.min(zero, y(bar.value))}" width="26" height="${Math.abs(zero - y(bar.value))}" fill="${bar.fill}"/>`);
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
  fits: CategoryTopics[],
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
  const topicFills = { 'within polarity, k by NPMI': '#2f6db5', 'LDA, as many topics': '#e08a1e' } as const;
  x = panel(
    x,
    'Topic coherence: mean NPMI of top ten words (topics above the bars)',
    fits.flatMap(({ category, topics, lda: baseline }) =>
      [topics, baseline].map((list, index) => {
        const coherence = meanOf(list.map((topic) => topic.coherence)) ?? 0;
        return {
          label: index === 0 ? category.name : '',
          value: coherence,
          fill: Object.values(topicFills)[index]!,
          note: String(list.length),
        };
      }),
    ),
    { min: -0.2, max: 0.4, tick: (value) => value.toFixed(2) },
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
    const titleProducts = new Set(
      [...groupBy(corpora.titled, (titled) => titled.clothingId)]
        .filter(([, rows]) => rows.length >= config.EVAL_FEEDBACK_TITLE_PRODUCT_REVIEWS)
        .map(([id]) => id),
    );
    const titledBodies = corpora.titled
      .filter((titled) => titleProducts.has(titled.clothingId) || (titled.review.rating <= COMPLAINT_STARS && titleAspects(titled.title).length > 0))
      .map((titled) => titled.review);
    for (const review of [
      ...corpora.categories.flatMap((category) => category.sample),
      ...corpora.products.flatMap((product) => product.reviews),
      ...titledBodies,
    ]) {
      unique.set(review.id, review);
    }
    console.error(`eval:feedback: analysing ${unique.size} reviews (${corpora.categories.length} category samples, ${corpora.products.length} products)`);
    const analysisStarted = process.hrtime.bigint();
    const analyses = await analyseAll([...unique.values()], models);
    const analysisSeconds = elapsed(analysisStarted);

    const topicsStarted = process.hrtime.bigint();
    const fits = corpora.categories.map((category) => categoryTopics(category, analyses));
    const topicSeconds = elapsed(topicsStarted);
    printTopics(fits, config.EVAL_FEEDBACK_TOPIC_LIMIT);

    const summariesStarted = process.hrtime.bigint();
    const products = summariseProducts(corpora, fits, analyses);
    const summarySeconds = elapsed(summariesStarted);
    printProducts(products);

    const titles = evaluateTitles(corpora, analyses, config.EVAL_FEEDBACK_TITLE_PRODUCT_REVIEWS);
    printTitles(titles, config.EVAL_FEEDBACK_TITLE_PRODUCT_REVIEWS);

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
        topics: fits.map(({ category, fit, topics, lda: baseline }) => ({
          corpus: category.corpus,
          category: category.name,
          n: category.sample.length,
          k: Object.fromEntries(fit.choices.map((choice) => [choice.polarity, choice.k])),
          npmi: round(meanOf(topics.map((topic) => topic.coherence)) ?? 0),
          ldaK: baseline.length,
          ldaNpmi: round(meanOf(baseline.map((topic) => topic.coherence)) ?? 0),
        })),
        products: products.map(({ product, summary }) => ({
          clothingId: product.id,
          className: product.className,
          reviews: summary.ratingCount,
          ratingAverage: summary.ratingAverage === null ? null : round(summary.ratingAverage),
          negativeShare: round(summary.sentiment.negative),
          suggestions: summary.suggestions.length,
        })),
        titles: {
          labelled: titles.labelled,
          detection: Object.fromEntries(
            titles.detection.map((row) => [
              row.aspect,
              { n: row.labelled, found: round(row.detected / row.labelled), foundNegative: round(row.negative / row.labelled) },
            ]),
          ),
          products: titles.products.length,
          judged: titles.judged,
          withSuggestions: titles.withSuggestions,
          precisionAt3: titles.precisionAt3 === null ? null : round(titles.precisionAt3),
          classPriorPrecisionAt3: titles.priorPrecisionAt3Same === null ? null : round(titles.priorPrecisionAt3Same),
          firstMatch: titles.firstMatch === null ? null : round(titles.firstMatch),
          classPriorFirstMatch: titles.priorFirstMatch === null ? null : round(titles.priorFirstMatch),
        },
        reviewsAnalysed: analyses.size,
        seconds: {
          sentiment: round(sentimentScores.seconds),
          aspects: round(aspects.seconds + blindAspects.seconds),
          keywords: round(keywordScores.seconds),
          analysis: round(analysisSeconds),
          topics: round(topicSeconds),
          summaries: round(summarySeconds),
          titles: round(titles.seconds),
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
