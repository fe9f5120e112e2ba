/**
 * Item-to-item sources for pnpm eval:topn (scripts/eval-topn.ts) that read a user's most recent
 * items: the co-occurrence and the directed transitions the slate engine serves, replayed offline
 * with the same counting and scoring functions. Items are integer ids that index the score arrays.
 */
import {
  cooccurrencePairs,
  transitionPairs,
  transitionScores,
  type CooccurrencePair,
  type Follower,
  type TransitionScoreOptions,
} from '../../packages/recsys/src';

/** Each item's partners, heaviest first (ties by id), with the total weight of all its partners. */
export interface ItemGraph {
  ids: Int32Array[];
  weights: Float32Array[];
  /** Summed weight of every partner, also those cut by `keep`: what a weight is a share of. */
  totals: Float64Array;
}

function toGraph(rows: readonly Map<number, number>[], keep: number): ItemGraph {
  const ids: Int32Array[] = [];
  const weights: Float32Array[] = [];
  const totals = new Float64Array(rows.length);
  rows.forEach((row, item) => {
    let total = 0;
    for (const weight of row.values()) total += weight;
    totals[item] = total;
    const ranked = [...row].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, keep);
    ids.push(Int32Array.from(ranked.map(([other]) => other)));
    weights.push(Float32Array.from(ranked.map(([, weight]) => weight)));
  });
  return { ids, weights, totals };
}

/** A training sequence as the serving functions take events: every interaction weighs 1 and its position stands in for its time. */
const asEvents = (sequence: readonly number[]) => sequence.map((item, position) => ({ productId: String(item), weight: 1, occurredAt: new Date(position) }));

function addPairs(rows: Map<number, number>[], pairs: readonly CooccurrencePair[]): void {
  for (const pair of pairs) {
    const row = rows[Number(pair.a)]!;
    const b = Number(pair.b);
    row.set(b, (row.get(b) ?? 0) + pair.weight);
  }
}

/**
 * The co-occurrence table as the recommendation subgraph fills it: `cooccurrencePairs` (the same
 * function) over each training sequence with `window` earlier items pairing with each, in both
 * directions. The file has order but no times, so the serving 24-hour gap never cuts a pair here.
 * Each item keeps its `keep` heaviest partners, as a slate reads no more per seed.
 */
export function servedCooccurrence(sequences: readonly (readonly number[])[], slots: number, window: number, keep: number): ItemGraph {
  const rows = Array.from({ length: slots }, () => new Map<number, number>());
  for (const sequence of sequences) addPairs(rows, cooccurrencePairs([], asEvents(sequence), { windowSize: window, maxGapMs: Number.POSITIVE_INFINITY }));
  return toGraph(rows, keep);
}

/**
 * The directed transition table as the recommendation subgraph fills it: `transitionPairs` (the
 * same function) over each training sequence; each item keeps its `keep` heaviest followers, with
 * the total of all of them.
 */
export function servedTransitions(sequences: readonly (readonly number[])[], slots: number, window: number, gapDecay: number, keep: number): ItemGraph {
  const rows = Array.from({ length: slots }, () => new Map<number, number>());
  for (const sequence of sequences) {
    addPairs(rows, transitionPairs([], asEvents(sequence), { windowSize: window, maxGapMs: Number.POSITIVE_INFINITY, gapDecay }));
  }
  return toGraph(rows, keep);
}

/** The `count` most recent distinct items of a history (oldest first), most recent first. */
export function recentSeeds(history: readonly number[], count: number): number[] {
  const seeds: number[] = [];
  for (let position = history.length - 1; position >= 0 && seeds.length < count; position--) {
    if (!seeds.includes(history[position]!)) seeds.push(history[position]!);
  }
  return seeds;
}

/**
 * What the slate engine's co-occurrence source gives an item: its highest raw weight with any
 * seed (a candidate listed under several seeds keeps its best score in fusion). Writes into
 * `scores`, which the caller zeroes.
 */
export function scoreServed(graph: ItemGraph, seeds: readonly number[], scores: Float32Array): void {
  for (const seed of seeds) {
    const ids = graph.ids[seed]!;
    const weights = graph.weights[seed]!;
    for (let n = 0; n < ids.length; n++) scores[ids[n]!] = Math.max(scores[ids[n]!]!, weights[n]!);
  }
}

/** The transition source's scores as the slate engine computes them (`transitionScores`), added into `scores`, which the caller zeroes. */
export function scoreTransitions(graph: ItemGraph, seeds: readonly number[], options: TransitionScoreOptions, scores: Float32Array): void {
  const followers: Follower[] = [];
  for (const seed of seeds) {
    const ids = graph.ids[seed]!;
    const weights = graph.weights[seed]!;
    for (let n = 0; n < ids.length; n++) followers.push({ seed: String(seed), next: String(ids[n]), weight: weights[n]!, total: graph.totals[seed]! });
  }
  for (const [item, score] of transitionScores(seeds.map(String), followers, options)) scores[Number(item)]! += score;
}

/** Each item's most similar items, most similar first, with their similarities. */
export interface Neighbours {
  ids: Int32Array[];
  sims: Float32Array[];
}

/**
 * Item-item cosine over co-occurrence in `sequences` (the number of users having both items over
 * the root of the product of each item's users), each item's `keep` most similar kept, ties by id.
 */
export function itemNeighbours(sequences: readonly (readonly number[])[], slots: number, keep: number): Neighbours {
  const users = new Float64Array(slots);
  const together: Map<number, number>[] = Array.from({ length: slots }, () => new Map<number, number>());
  for (const sequence of sequences) {
    const distinct = [...new Set(sequence)];
    for (const item of distinct) users[item]!++;
    for (const a of distinct) {
      const row = together[a]!;
      for (const b of distinct) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const ids: Int32Array[] = [];
  const sims: Float32Array[] = [];
  for (let item = 0; item < slots; item++) {
    const ranked = [...together[item]!]
      .map(([other, count]) => [other, count / Math.sqrt(users[item]! * users[other]!)] as const)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, keep);
    ids.push(Int32Array.from(ranked.map(([other]) => other)));
    sims.push(Float32Array.from(ranked.map(([, sim]) => sim)));
  }
  return { ids, sims };
}
