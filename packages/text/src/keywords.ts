import { TextError } from './errors';
import { requireCount } from './validate';

export interface Keyword {
  term: string;
  weight: number;
}

/** The stored form of {@link TermStatistics}; `frequencies` maps a term to its document frequency. */
export interface TermStatisticsJson {
  version: 1;
  documents: number;
  frequencies: Record<string, number>;
}

/**
 * Document frequencies over a corpus of token lists (say, one category's reviews), for TF-IDF.
 * Build it in a job, store `toJSON()`, and rebuild with `fromJSON` where keywords are extracted.
 */
export class TermStatistics {
  private readonly frequencies = new Map<string, number>();
  private count = 0;

  /** Number of documents added. */
  get documents(): number {
    return this.count;
  }

  /** Number of distinct terms seen. */
  get terms(): number {
    return this.frequencies.size;
  }

  /** Adds one document; a term repeated within it counts once. */
  add(tokens: readonly string[]): void {
    this.count += 1;
    for (const term of new Set(tokens)) this.frequencies.set(term, (this.frequencies.get(term) ?? 0) + 1);
  }

  documentFrequency(term: string): number {
    return this.frequencies.get(term) ?? 0;
  }

  /**
   * Smoothed IDF, ln((1 + N) / (1 + df)) + 1, as if one extra document held every term: never
   * zero or negative (a term in every document still weighs 1), finite for unseen terms, which
   * get the largest value, ln(1 + N) + 1, because a term the corpus never saw is distinctive.
   */
  idf(term: string): number {
    return Math.log((1 + this.count) / (1 + this.documentFrequency(term))) + 1;
  }

  /** Terms sorted, so equal statistics serialise to equal JSON. */
  toJSON(): TermStatisticsJson {
    const frequencies: Record<string, number> = {};
    for (const term of [...this.frequencies.keys()].sort()) frequencies[term] = this.frequencies.get(term)!;
    return { version: 1, documents: this.count, frequencies };
  }

  /** Accepts the object `toJSON` returned or its JSON text. */
  static fromJSON(value: unknown): TermStatistics {
    const parsed: unknown = typeof value === 'string' ? parseJson(value) : value;
    if (!isRecord(parsed) || parsed.version !== 1) throw new TextError('term statistics must be a version 1 object', 'stats');
    const { documents, frequencies } = parsed;
    if (typeof documents !== 'number' || !Number.isInteger(documents) || documents < 0) {
      throw new TextError('term statistics documents must be an integer >= 0', 'stats.documents');
    }
    if (!isRecord(frequencies)) throw new TextError('term statistics frequencies must be an object', 'stats.frequencies');
    const stats = new TermStatistics();
    stats.count = documents;
    for (const [term, df] of Object.entries(frequencies)) {
      if (typeof df !== 'number' || !Number.isInteger(df) || df < 1 || df > documents) {
        throw new TextError(`document frequency of "${term}" must be an integer in [1, ${documents}]`, 'stats.frequencies');
      }
      stats.frequencies.set(term, df);
    }
    return stats;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TextError('term statistics are not valid JSON', 'stats');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Term counts; a Map iterates in order of first appearance. */
function termCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** Highest weight first; Array.prototype.sort is stable, so ties keep first-appearance order. */
function top(weights: Map<string, number>, k: number): Keyword[] {
  return [...weights]
    .map(([term, weight]) => ({ term, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, k);
}

/**
 * TF-IDF keywords of one document: weight = (count / tokens) × `stats.idf(term)`. Use it when
 * term statistics of comparable documents exist (the product's category): it finds what is
 * particular to this review, and frequent words of the domain (衣服, dress) sink. Ties keep the
 * order in which terms first appear.
 */
export function keywords(tokens: readonly string[], stats: TermStatistics, k = 10): Keyword[] {
  requireCount(k, 0, 'k');
  const counts = termCounts(tokens);
  const weights = new Map<string, number>();
  for (const [term, count] of counts) weights.set(term, (count / tokens.length) * stats.idf(term));
  return top(weights, k);
}

export interface TextRankOptions {
  /**
   * Terms at most `window - 1` positions apart are linked.
   * @default 5
   */
  window?: number;
  /** @default 20 */
  iterations?: number;
  /** @default 0.85 */
  damping?: number;
}

/**
 * TextRank keywords: an undirected graph whose edge weights count how often two terms occur
 * within `window` tokens of each other, ranked by weighted PageRank; weights are scaled so the
 * best term has 1. Needs no corpus, so use it for a new category, a single product's pooled
 * reviews, or any text without term statistics; it favours terms that are both frequent and
 * well connected, including domain words TF-IDF would sink. On a one-sentence review it is
 * little better than term frequency; prefer {@link keywords} there when statistics exist.
 * Ties keep the order in which terms first appear.
 */
export function textRank(tokens: readonly string[], k = 10, options: TextRankOptions = {}): Keyword[] {
  const { window = 5, iterations = 20, damping = 0.85 } = options;
  requireCount(k, 0, 'k');
  requireCount(window, 2, 'window');
  requireCount(iterations, 1, 'iterations');
  if (!(damping >= 0 && damping <= 1)) throw new TextError(`damping must be in [0, 1], got ${damping}`, 'damping');

  const terms = [...termCounts(tokens).keys()];
  const index = new Map(terms.map((term, i) => [term, i]));
  const edges = terms.map(() => new Map<number, number>());
  tokens.forEach((token, i) => {
    const a = index.get(token)!;
    for (let j = i + 1; j < Math.min(tokens.length, i + window); j += 1) {
      const b = index.get(tokens[j]!)!;
      if (a === b) continue;
      edges[a]!.set(b, (edges[a]!.get(b) ?? 0) + 1);
      edges[b]!.set(a, (edges[b]!.get(a) ?? 0) + 1);
    }
  });
  const strength = edges.map((links) => [...links.values()].reduce((sum, w) => sum + w, 0));

  let rank = terms.map(() => 1);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    rank = edges.map((links) => {
      let inflow = 0;
      for (const [from, weight] of links) inflow += (weight / strength[from]!) * rank[from]!;
      return 1 - damping + damping * inflow;
    });
  }
  const best = Math.max(0, ...rank);
  return top(new Map(terms.map((term, i) => [term, best > 0 ? rank[i]! / best : 0])), k);
}
