/**
 * Latent Dirichlet allocation by collapsed Gibbs sampling (Griffiths & Steyvers 2004): the classic
 * bag-of-words topic model, as the baseline eval:feedback compares review topics with. Small and
 * exact rather than fast: a category sample is a few thousand tokens.
 */
import { seededRng } from '../../packages/recsys/src';

export interface LdaOptions {
  k: number;
  /**
   * Document–topic prior. @default 1 / k, gensim's symmetric default: Griffiths & Steyvers' 50 / k
   * assumes long documents and, on reviews of a dozen words, swamps their few tokens.
   */
  alpha?: number;
  /** Topic–word prior. @default 0.01 */
  beta?: number;
  /** @default 500 */
  iterations?: number;
  /** @default 0 */
  seed?: number;
}

export interface LdaResult {
  /** Per topic, its words by p(word | topic), highest first (ties by word). */
  topics: { words: { term: string; probability: number }[]; tokens: number }[];
  /** Per document, its most probable topic (null for a document without tokens). */
  documentTopics: (number | null)[];
}

/** Fits LDA to documents given as token lists (repeats count). */
export function lda(documents: readonly (readonly string[])[], options: LdaOptions): LdaResult {
  const { k, alpha = 1 / options.k, beta = 0.01, iterations = 500, seed = 0 } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be an integer >= 1, got ${k}`);
  const vocabulary = new Map<string, number>();
  const words = documents.map((tokens) =>
    tokens.map((token) => {
      let id = vocabulary.get(token);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(token, id);
      }
      return id;
    }),
  );
  const v = vocabulary.size;
  const rng = seededRng(seed);
  const topicWord = new Float64Array(k * v);
  const topicTotal = new Float64Array(k);
  const documentTopic = words.map(() => new Float64Array(k));
  const assignments = words.map((tokens, d) =>
    tokens.map((word) => {
      const topic = Math.floor(rng() * k);
      topicWord[topic * v + word]! += 1;
      topicTotal[topic]! += 1;
      documentTopic[d]![topic]! += 1;
      return topic;
    }),
  );
  const weights = new Float64Array(k);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    words.forEach((tokens, d) => {
      const counts = documentTopic[d]!;
      tokens.forEach((word, i) => {
        const old = assignments[d]![i]!;
        topicWord[old * v + word]! -= 1;
        topicTotal[old]! -= 1;
        counts[old]! -= 1;
        let sum = 0;
        for (let topic = 0; topic < k; topic += 1) {
          sum += ((counts[topic]! + alpha) * (topicWord[topic * v + word]! + beta)) / (topicTotal[topic]! + v * beta);
          weights[topic] = sum;
        }
        const draw = rng() * sum;
        let topic = 0;
        while (topic < k - 1 && weights[topic]! < draw) topic += 1;
        assignments[d]![i] = topic;
        topicWord[topic * v + word]! += 1;
        topicTotal[topic]! += 1;
        counts[topic]! += 1;
      });
    });
  }
  const terms = [...vocabulary.keys()];
  return {
    topics: Array.from({ length: k }, (_, topic) => ({
      tokens: topicTotal[topic]!,
      words: terms
        .map((term, id) => ({ term, probability: (topicWord[topic * v + id]! + beta) / (topicTotal[topic]! + v * beta) }))
        .sort((a, b) => b.probability - a.probability || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)),
    })),
    documentTopics: documentTopic.map((counts, d) => {
      if (words[d]!.length === 0) return null;
      let best = 0;
      for (let topic = 1; topic < k; topic += 1) if (counts[topic]! > counts[best]!) best = topic;
      return best;
    }),
  };
}
