import { TextError } from './errors';
import { requireCount } from './validate';

/** A term ranked for a set of reviews (a product's, a topic's), with how many of them use it. */
export interface KeywordSummary {
  term: string;
  weight: number;
  /** Reviews using the term. */
  reviews: number;
}

/** A topic's label and the keywords it was made from. */
export interface TopicLabel {
  topic: number;
  /**
   * The first `labelTerms` keywords joined with " / ", unless a larger topic has that label (see
   * `labelTopics`); `topic N` when the topic has no eligible term.
   */
  label: string;
  keywords: KeywordSummary[];
}

export interface LabelTopicsOptions {
  /**
   * Keywords kept per topic.
   * @default 5
   */
  keywords?: number;
  /**
   * Keywords joined into the label.
   * @default 3
   */
  labelTerms?: number;
}

/** Term counts of several reviews pooled into one document. */
export interface PooledTerms {
  /** Occurrences of each term, and how many reviews use it. */
  terms: Map<string, { count: number; reviews: number }>;
  /** All occurrences together. */
  tokens: number;
  reviews: number;
}

/**
 * Pools reviews' term counts; every count must be an integer >= 1, as counted `tokenize` output is.
 * `field` names a bad count for the error.
 */
export function poolTerms(reviews: readonly Readonly<Record<string, number>>[], field: (review: number, term: string) => string): PooledTerms {
  const terms = new Map<string, { count: number; reviews: number }>();
  let tokens = 0;
  reviews.forEach((counts, i) => {
    for (const [term, count] of Object.entries(counts)) {
      requireCount(count, 1, field(i, term));
      const pooled = terms.get(term) ?? { count: 0, reviews: 0 };
      pooled.count += count;
      pooled.reviews += 1;
      terms.set(term, pooled);
      tokens += count;
    }
  });
  return { terms, tokens, reviews: reviews.length };
}

/** Below this many reviews every term may rank; from it on, a term must be used by two reviews. */
const NOISE_FLOOR_REVIEWS = 5;

/**
 * The pool's terms by `weight` (highest first, ties by term so the order never depends on input
 * order). Once the pool holds {@link NOISE_FLOOR_REVIEWS} reviews a term used by only one of them is
 * left out: one reviewer's pet word or typo is not what the group is about.
 */
export function rankTerms(pool: PooledTerms, weight: (term: string, count: number) => number): KeywordSummary[] {
  const minReviews = pool.reviews >= NOISE_FLOOR_REVIEWS ? 2 : 1;
  return [...pool.terms]
    .filter(([, { reviews }]) => reviews >= minReviews)
    .map(([term, { count, reviews }]) => ({ term, weight: weight(term, count), reviews }))
    .sort((a, b) => b.weight - a.weight || compareText(a.term, b.term));
}

/** Code-unit order: locale-independent, so equal input sorts equally on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Labels clusters of reviews (topics) by the terms that set each apart from the others. Each topic's
 * reviews are pooled into one document and a term weighs p(t|c) × ln(p(t|c) / p(t)), its share of
 * the topic's tokens times the log of how much that exceeds its share of all the topics' tokens: its
 * part in the topic's divergence from the whole. Only over-represented terms (share above the
 * overall share, weight > 0) are kept, so a word the topics of a sentiment split use about equally
 * (书, dress) leads neither, where class-based TF-IDF led both with it and gave them one label.
 * With fewer than two topics holding tokens there is nothing to contrast and terms rank by share.
 * `groups` maps a topic index to its reviews' term counts (counted `tokenize` output); topics come
 * back in index order. Labels are distinct: see {@link distinctLabels}.
 */
export function labelTopics(groups: ReadonlyMap<number, readonly Readonly<Record<string, number>>[]>, options: LabelTopicsOptions = {}): TopicLabel[] {
  const { keywords = 5, labelTerms = 3 } = options;
  requireCount(keywords, 0, 'keywords');
  requireCount(labelTerms, 1, 'labelTerms');
  const topics = [...groups.keys()].sort((a, b) => a - b);
  for (const topic of topics) {
    if (!Number.isInteger(topic) || topic < 0) throw new TextError(`topic index must be an integer >= 0, got ${topic}`, 'groups');
  }
  const pools = topics.map((topic) => poolTerms(groups.get(topic)!, (i, term) => `groups[${topic}][${i}].${term}`));
  const frequency = new Map<string, number>();
  for (const pool of pools) {
    for (const [term, { count }] of pool.terms) frequency.set(term, (frequency.get(term) ?? 0) + count);
  }
  const total = pools.reduce((sum, pool) => sum + pool.tokens, 0);
  const contrasted = pools.filter((pool) => pool.tokens > 0).length >= 2;
  const ranked = pools.map((pool) => {
    const share = (count: number) => count / pool.tokens;
    if (!contrasted) return rankTerms(pool, (_, count) => share(count));
    // Compared in integers, so a term used at exactly its overall share is out whatever the rounding.
    const overRepresented = (term: string) => pool.terms.get(term)!.count * total > frequency.get(term)! * pool.tokens;
    return rankTerms(pool, (term, count) => share(count) * Math.log((share(count) * total) / frequency.get(term)!)).filter((keyword) =>
      overRepresented(keyword.term),
    );
  });
  const labels = distinctLabels(topics, pools, ranked, labelTerms);
  return topics.map((topic, i) => ({ topic, label: labels[i] ?? `topic ${topic}`, keywords: ranked[i]!.slice(0, keywords) }));
}

/**
 * Each topic's first `labelTerms` keywords joined with " / " (undefined when it has none), made
 * distinct. Over-represented terms cannot repeat a label across two topics, but they can across
 * three or more (two battery topics beside a screen one). Topics take labels largest first (ties by
 * topic index); one whose label is taken keeps its leading terms and swaps the last for its next
 * keyword until the label is free, and if none frees it, the topic's number is appended.
 */
function distinctLabels(
  topics: readonly number[],
  pools: readonly PooledTerms[],
  ranked: readonly KeywordSummary[][],
  labelTerms: number,
): (string | undefined)[] {
  const taken = new Set<string>();
  const labels: (string | undefined)[] = ranked.map(() => undefined);
  const order = pools.map((pool, i) => ({ reviews: pool.reviews, i })).sort((a, b) => b.reviews - a.reviews || a.i - b.i);
  for (const { i } of order) {
    const terms = ranked[i]!.map((keyword) => keyword.term);
    if (terms.length === 0) continue;
    const lead = terms.slice(0, Math.min(labelTerms, terms.length) - 1);
    const candidates = terms.slice(lead.length).map((next) => [...lead, next].join(' / '));
    const label = candidates.find((candidate) => !taken.has(candidate)) ?? `${candidates[0]!} (topic ${topics[i]!})`;
    taken.add(label);
    labels[i] = label;
  }
  return labels;
}

/** Pairs of top terms whose NPMI is averaged: the usual 10 words per topic. */
const COHERENCE_TERMS = 10;

/**
 * Topic coherence as NPMI (normalised pointwise mutual information) over a reference corpus, one
 * document per review: for each pair of a topic's top terms, log(p(a,b) / (p(a)·p(b))) / −log p(a,b)
 * with document co-occurrence probabilities, −1 where the pair never co-occurs, averaged over the
 * pairs. It runs from −1 (the words never meet) through 0 (independent) to 1 (always together), and
 * is the measure of topic quality that agrees best with people's judgements (Röder et al. 2015,
 * Lau et al. 2014). A topic with fewer than two terms scores null. `terms` per topic, most
 * important first; only the first `top` count.
 */
export function topicCoherence(terms: readonly (readonly string[])[], documents: readonly ReadonlySet<string>[], top = COHERENCE_TERMS): (number | null)[] {
  requireCount(top, 2, 'top');
  if (documents.length === 0) throw new TextError('coherence needs at least one reference document', 'documents');
  const wanted = new Set(terms.flatMap((topic) => topic.slice(0, top)));
  const postings = new Map<string, number[]>();
  documents.forEach((document, index) => {
    for (const term of document) {
      if (!wanted.has(term)) continue;
      const list = postings.get(term);
      if (list) list.push(index);
      else postings.set(term, [index]);
    }
  });
  const n = documents.length;
  const together = (a: readonly number[], b: readonly number[]) => {
    let count = 0;
    for (let i = 0, j = 0; i < a.length && j < b.length;) {
      if (a[i] === b[j]) {
        count += 1;
        i += 1;
        j += 1;
      } else if (a[i]! < b[j]!) i += 1;
      else j += 1;
    }
    return count;
  };
  return terms.map((topic) => {
    const words = topic.slice(0, top);
    if (words.length < 2) return null;
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < words.length; i += 1) {
      for (let j = i + 1; j < words.length; j += 1) {
        const a = postings.get(words[i]!) ?? [];
        const b = postings.get(words[j]!) ?? [];
        const joint = together(a, b) / n;
        pairs += 1;
        if (joint === 0) {
          sum -= 1;
          continue;
        }
        // A pair in every document has −log p(a,b) = 0: perfectly associated.
        sum += joint === 1 ? 1 : Math.log(joint / ((a.length / n) * (b.length / n))) / -Math.log(joint);
      }
    }
    return sum / pairs;
  });
}
