import { kMeans, nearestCentroid, normalise, sampleWithoutReplacement, seededRng } from '@serendip/recsys';
import { labelTopics, topicCoherence, type SentimentLabel, type TopicLabel } from '@serendip/text';

/** The polarities topics are found within, in the order their topics are numbered. */
export const TOPIC_POLARITIES: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** What topic fitting needs of one analysed review. */
export interface TopicReview {
  embedding: Float32Array;
  /** Counted `tokenize` output. */
  terms: Readonly<Record<string, number>>;
  /** The whole-review sentiment label. */
  polarity: SentimentLabel;
}

export interface TopicFitOptions {
  /** Topic counts tried within each polarity. @default [1, 2, 3, 4, 5, 6, 7, 8] */
  candidates?: readonly number[];
  /** A polarity with fewer reviews gets no topics: a handful of reviews cannot show subjects. @default 20 */
  minPolarityReviews?: number;
  /** Every topic of a k must hold at least this many reviews... @default 5 */
  minTopicReviews?: number;
  /** ...and this share of its polarity's reviews, or the k is not eligible. @default 0.05 */
  minTopicShare?: number;
  /** k-means fits on a seeded sample of at most this many reviews per polarity; every review is then placed. @default 2000 */
  fitSample?: number;
  /**
   * The share of the similarity between two reviews that comes from their words (TF-IDF over the
   * polarity's vocabulary) rather than their embeddings. @default 0.5
   */
  termWeight?: number;
  /** Words in a polarity's vocabulary: the most frequent, used by at least 3 reviews and at most half. @default 300 */
  vocabulary?: number;
  /** @default 0 */
  seed?: number;
}

export const DEFAULT_TOPIC_FIT_OPTIONS = {
  candidates: [1, 2, 3, 4, 5, 6, 7, 8],
  minPolarityReviews: 20,
  minTopicReviews: 5,
  minTopicShare: 0.05,
  fitSample: 2000,
  termWeight: 0.5,
  vocabulary: 300,
  seed: 0,
} as const;

/** One topic: its polarity, centroid (in the space without the polarity direction), size, label and NPMI. */
export interface FittedTopic {
  topic: number;
  polarity: SentimentLabel;
  centroid: Float32Array;
  size: number;
  label: TopicLabel;
  /** NPMI of its top ten keywords over all the reviews fitted; null with fewer than two keywords. */
  coherence: number | null;
}

/** How one polarity's k was chosen. */
export interface PolarityChoice {
  polarity: SentimentLabel;
  reviews: number;
  /** 0 when the polarity had too few reviews for topics. */
  k: number;
  /** Per candidate tried: mean NPMI of its topics, its smallest topic, and whether that was large enough. */
  scores: { k: number; coherence: number; smallest: number; eligible: boolean }[];
}

/** A polarity's words and their inverse document frequencies: the word half of its reviews' vectors. */
export interface TopicVocabulary {
  polarity: SentimentLabel;
  terms: string[];
  idf: number[];
  termWeight: number;
}

export interface TopicFit {
  /** Unit vector from the negative reviews' mean embedding to the positive ones'; null without both. */
  direction: Float32Array | null;
  vocabularies: TopicVocabulary[];
  topics: FittedTopic[];
  /** Each review's topic, in input order; null where its polarity has no topics. */
  assignments: (number | null)[];
  choices: PolarityChoice[];
}

/**
 * `vector` less its component along `direction` (a unit vector), normalised: what is left when the
 * praise-or-complaint axis is taken out. Without a direction, the vector normalised.
 */
export function withoutPolarity(vector: Float32Array, direction: Float32Array | null): Float32Array {
  if (direction === null) return normalise(vector);
  let along = 0;
  for (let i = 0; i < vector.length; i += 1) along += vector[i]! * direction[i]!;
  const rest = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i += 1) rest[i] = vector[i]! - along * direction[i]!;
  return normalise(rest);
}

function meanOf(vectors: readonly Float32Array[]): Float32Array {
  const mean = new Float32Array(vectors[0]!.length);
  for (const vector of vectors) for (let i = 0; i < mean.length; i += 1) mean[i]! += vector[i]! / vectors.length;
  return mean;
}

function polarityDirection(reviews: readonly TopicReview[]): Float32Array | null {
  const positive = reviews.filter((review) => review.polarity === 'positive').map((review) => normalise(review.embedding));
  const negative = reviews.filter((review) => review.polarity === 'negative').map((review) => normalise(review.embedding));
  if (positive.length === 0 || negative.length === 0) return null;
  const [plus, minus] = [meanOf(positive), meanOf(negative)];
  const difference = plus.map((value, i) => value - minus[i]!);
  return difference.some((value) => value !== 0) ? normalise(difference) : null;
}

const MIN_TERM_REVIEWS = 3;
const MAX_TERM_SHARE = 0.5;

function buildVocabulary(polarity: SentimentLabel, terms: readonly Readonly<Record<string, number>>[], size: number, termWeight: number): TopicVocabulary {
  const df = new Map<string, number>();
  for (const counts of terms) for (const term of Object.keys(counts)) df.set(term, (df.get(term) ?? 0) + 1);
  const kept = [...df]
    .filter(([, n]) => n >= MIN_TERM_REVIEWS && n <= MAX_TERM_SHARE * terms.length)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, size);
  return { polarity, terms: kept.map(([term]) => term), idf: kept.map(([, n]) => Math.log(terms.length / n)), termWeight };
}

/**
 * The vector a review is clustered by: its embedding without the polarity direction and its words'
 * sublinear TF-IDF over the vocabulary, each unit length, weighed so that the cosine of two such
 * vectors is (1 − termWeight) × embedding cosine + termWeight × word cosine.
 */
export function topicVector(review: Pick<TopicReview, 'embedding' | 'terms'>, direction: Float32Array | null, vocabulary: TopicVocabulary): Float32Array {
  const embedding = withoutPolarity(review.embedding, direction);
  const words = new Float32Array(vocabulary.terms.length);
  vocabulary.terms.forEach((term, i) => {
    const count = review.terms[term];
    if (count) words[i] = (1 + Math.log(count)) * vocabulary.idf[i]!;
  });
  const wordNorm = Math.hypot(...words);
  const vector = new Float32Array(embedding.length + words.length);
  const [a, b] = [Math.sqrt(1 - vocabulary.termWeight), wordNorm > 0 ? Math.sqrt(vocabulary.termWeight) / wordNorm : 0];
  embedding.forEach((value, i) => (vector[i] = a * value));
  words.forEach((value, i) => (vector[embedding.length + i] = b * value));
  return vector;
}

interface Candidate {
  k: number;
  centroids: Float32Array[];
  members: number[][];
  labels: TopicLabel[];
  coherence: (number | null)[];
  mean: number;
}

/**
 * Topics about subjects, not sentiment. Embeddings separate praise from complaint before anything
 * else, so fitting all of a category's reviews at once (and choosing k by silhouette) gave two
 * topics per category, one positive and one negative. Here reviews are grouped by their sentiment,
 * the polarity direction (positive mean − negative mean) is projected out of every vector, and each
 * polarity is clustered on its own (spherical k-means). Its k is the candidate whose topics are
 * most coherent, mean NPMI of their top ten c-TF-IDF keywords over all the given reviews, among the
 * candidates whose every topic reaches `minTopicReviews` and `minTopicShare` of the polarity; k = 1
 * (the polarity is one subject) competes like the others. Labels contrast a topic with the other
 * topics of its polarity, so words of the sentiment itself, shared by all of them, do not lead.
 * Topics are numbered negative first, then neutral, then positive. Deterministic for a seed.
 */
export function fitTopics(reviews: readonly TopicReview[], options: TopicFitOptions = {}): TopicFit {
  const {
    candidates,
    minPolarityReviews,
    minTopicReviews,
    minTopicShare,
    fitSample,
    termWeight,
    vocabulary: vocabularySize,
    seed,
  } = {
    ...DEFAULT_TOPIC_FIT_OPTIONS,
    ...options,
  };
  const direction = polarityDirection(reviews);
  const documents = reviews.map((review) => new Set(Object.keys(review.terms)));
  const assignments: (number | null)[] = reviews.map(() => null);
  const topics: FittedTopic[] = [];
  const choices: PolarityChoice[] = [];
  const vocabularies: TopicVocabulary[] = [];
  for (const polarity of TOPIC_POLARITIES) {
    const group = reviews.flatMap((review, index) => (review.polarity === polarity ? [index] : []));
    if (group.length < minPolarityReviews) {
      choices.push({ polarity, reviews: group.length, k: 0, scores: [] });
      continue;
    }
    const vocabulary = buildVocabulary(
      polarity,
      group.map((index) => reviews[index]!.terms),
      vocabularySize,
      termWeight,
    );
    const vectors = group.map((index) => topicVector(reviews[index]!, direction, vocabulary));
    // A polarity that fits whole keeps its order, so the same reviews always give the same fit.
    const sample = vectors.length <= fitSample ? vectors : sampleWithoutReplacement(vectors, fitSample, seededRng(seed));
    const floor = Math.max(minTopicReviews, Math.ceil(minTopicShare * group.length));
    const tried: Candidate[] = [];
    const scores: PolarityChoice['scores'] = [];
    for (const k of candidates) {
      if (k > sample.length || k * floor > group.length) continue;
      const { centroids } = kMeans(sample, k, { seed });
      const members: number[][] = centroids.map(() => []);
      vectors.forEach((vector, i) => members[nearestCentroid(vector, centroids).index]!.push(group[i]!));
      const labels = labelTopics(new Map(members.map((indices, topic) => [topic, indices.map((index) => reviews[index]!.terms)])), { keywords: 10 });
      const coherence = topicCoherence(
        labels.map((label) => label.keywords.map((keyword) => keyword.term)),
        documents,
      );
      const scored = coherence.filter((value): value is number => value !== null);
      const mean = scored.length === 0 ? -1 : scored.reduce((sum, value) => sum + value, 0) / scored.length;
      const smallest = Math.min(...members.map((indices) => indices.length));
      const eligible = smallest >= floor;
      scores.push({ k, coherence: mean, smallest, eligible });
      if (eligible) tried.push({ k, centroids, members, labels, coherence, mean });
    }
    // Ties go to the smaller k: no more topics than the coherence pays for.
    const best = tried.reduce<Candidate | null>((chosen, candidate) => (chosen === null || candidate.mean > chosen.mean ? candidate : chosen), null);
    choices.push({ polarity, reviews: group.length, k: best?.k ?? 0, scores });
    if (best === null) continue;
    vocabularies.push(vocabulary);
    best.centroids.forEach((centroid, i) => {
      const topic = topics.length;
      for (const index of best.members[i]!) assignments[index] = topic;
      topics.push({
        topic,
        polarity,
        centroid,
        size: best.members[i]!.length,
        label: { ...best.labels[i]!, topic },
        coherence: best.coherence[i] ?? null,
      });
    });
  }
  return { direction, vocabularies, topics, assignments, choices };
}

/**
 * The topic a review joins, the nearest centroid among its polarity's topics, with the vector it
 * was placed by (to move the centroid); null when its polarity has no topics.
 */
export function topicOf(fit: Pick<TopicFit, 'topics' | 'direction' | 'vocabularies'>, review: TopicReview): { topic: number; vector: Float32Array } | null {
  const own = fit.topics.filter((topic) => topic.polarity === review.polarity);
  const vocabulary = fit.vocabularies.find((candidate) => candidate.polarity === review.polarity);
  if (own.length === 0 || vocabulary === undefined) return null;
  const vector = topicVector(review, fit.direction, vocabulary);
  return {
    topic:
      own[
        nearestCentroid(
          vector,
          own.map((topic) => topic.centroid),
        ).index
      ]!.topic,
    vector,
  };
}
