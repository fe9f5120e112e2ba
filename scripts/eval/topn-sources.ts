/**
 * Item-to-item sources for pnpm eval:topn (scripts/eval-topn.ts) that read a user's most recent
 * items: the co-occurrence the slate engine serves, replayed offline, and a directed transition
 * model (a first-order sequential model). Items are integer ids that index the score arrays.
 */
import { cooccurrencePairs } from '../../packages/recsys/src';

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

/**
 * The co-occurrence table as the recommendation subgraph fills it: `cooccurrencePairs` (the same
 * function) over each training sequence, every interaction weighing 1 and its position standing
 * in for its time, so that `window` earlier items pair with each, in both directions. The file
 * has order but no times, so the serving 24-hour gap never cuts a pair here. Each item keeps its
 * `keep` heaviest partners, as a slate reads no more per seed.
 */
export function servedCooccurrence(sequences: readonly (readonly number[])[], slots: number, window: number, keep: number): ItemGraph {
  const rows = Array.from({ length: slots }, () => new Map<number, number>());
  for (const sequence of sequences) {
    const events = sequence.map((item, position) => ({ productId: String(item), weight: 1, occurredAt: new Date(position) }));
    for (const pair of cooccurrencePairs([], events, { windowSize: window, maxGapMs: Number.POSITIVE_INFINITY })) {
      const row = rows[Number(pair.a)]!;
      const b = Number(pair.b);
      row.set(b, (row.get(b) ?? 0) + pair.weight);
    }
  }
  return toGraph(rows, keep);
}

/**
 * Directed transitions: item b counts for item a when b comes within `window` positions after a
 * in a training sequence, weighted `gapDecay`^(gap − 1), so the very next item counts most. Order
 * is what co-occurrence ignores: what people buy after a cleanser is not what they bought before it.
 */
export function transitionGraph(sequences: readonly (readonly number[])[], slots: number, window: number, gapDecay: number, keep: number): ItemGraph {
  const rows = Array.from({ length: slots }, () => new Map<number, number>());
  for (const sequence of sequences) {
    for (let from = 0; from < sequence.length; from++) {
      const a = sequence[from]!;
      const row = rows[a]!;
      for (let gap = 1; gap <= window && from + gap < sequence.length; gap++) {
        const b = sequence[from + gap]!;
        if (b !== a) row.set(b, (row.get(b) ?? 0) + gapDecay ** (gap - 1));
      }
    }
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

/**
 * The transition model's score: Σ over seeds of `recency`^age · weight / (seed's total + `smoothing`),
 * age 0 for the most recent. Shares rather than raw counts, so a popular seed does not drown the
 * others, and smoothed, so a seed seen once does not speak with full confidence.
 */
export function scoreTransitions(graph: ItemGraph, seeds: readonly number[], recency: number, smoothing: number, scores: Float32Array): void {
  seeds.forEach((seed, age) => {
    const ids = graph.ids[seed]!;
    const weights = graph.weights[seed]!;
    const scale = recency ** age / (graph.totals[seed]! + smoothing);
    for (let n = 0; n < ids.length; n++) scores[ids[n]!]! += scale * weights[n]!;
  });
}
