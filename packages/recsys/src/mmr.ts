import { requireCount, requireFinite, requireRange } from './validate';
import { RecsysError } from './errors';
import { cosine, dotUnrolled, norm, type Vector } from './vector';

/** Unit copies of optional vectors; a missing or zero vector becomes null and is similar to nothing. */
export function unitVectors(vectors: readonly (Vector | undefined)[]): (Float32Array | null)[] {
  return vectors.map((vector) => {
    if (!vector) return null;
    const length = norm(vector);
    if (length === 0) return null;
    const unit = new Float32Array(vector.length);
    for (let i = 0; i < unit.length; i++) unit[i] = vector[i]! / length;
    return unit;
  });
}

/** dot() for the hot MMR loop, checking dimensions once per pair. */
function dotUnits(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RecsysError(`vectors differ in dimension (${a.length} vs ${b.length})`, 'vector');
  return dotUnrolled(a, b);
}

/**
 * Raises `maxSimilarity[i]` to the cosine between item i and a newly chosen item, for the items
 * not yet `taken`. Starting from 0 floors the penalty at 0: an item opposite to everything chosen
 * gains nothing over an orthogonal one.
 */
export function raiseMaxSimilarity(maxSimilarity: Float64Array, units: readonly (Float32Array | null)[], chosen: Float32Array | null, taken: Uint8Array): void {
  if (!chosen) return;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (taken[i] || !unit) continue;
    const similarity = dotUnits(unit, chosen);
    if (similarity > maxSimilarity[i]!) maxSimilarity[i] = similarity;
  }
}

/**
 * Maximal marginal relevance: greedily picks `k` items, each maximising
 * λ·score − (1−λ)·max(0, max cosine to the items already picked). λ = 1 is plain top-k by score;
 * ties keep input order. Costs O(k·n·d).
 */
export function mmrRerank<T extends { id: string; score: number; vector?: Vector }>(items: readonly T[], k: number, lambda: number): T[] {
  requireCount(k, 0, 'k');
  requireRange(lambda, 0, 1, 'lambda');
  for (const item of items) requireFinite(item.score, 'score');
  const units = lambda < 1 ? unitVectors(items.map((item) => item.vector)) : [];
  const maxSimilarity = new Float64Array(items.length);
  const taken = new Uint8Array(items.length);
  const result: T[] = [];
  while (result.length < Math.min(k, items.length)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < items.length; i++) {
      if (taken[i]) continue;
      const value = lambda * items[i]!.score - (1 - lambda) * maxSimilarity[i]!;
      if (value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    taken[best] = 1;
    result.push(items[best]!);
    if (lambda < 1) raiseMaxSimilarity(maxSimilarity, units, units[best] ?? null, taken);
  }
  return result;
}

/** Mean cosine over all pairs of a list (0 for fewer than two): the usual diversity measure, lower is more diverse. */
export function intraListSimilarity(vectors: readonly Vector[]): number {
  if (vectors.length < 2) return 0;
  const units = unitVectors(vectors);
  let sum = 0;
  for (let i = 0; i < units.length; i++) {
    for (let j = i + 1; j < units.length; j++) {
      const a = units[i];
      const b = units[j];
      if (a && b) sum += cosine(a, b);
    }
  }
  return sum / ((vectors.length * (vectors.length - 1)) / 2);
}

/** The sum of the items' scores: the relevance a re-ranking gives up is the drop in this. */
export function totalScore(items: readonly { score: number }[]): number {
  return items.reduce((sum, item) => sum + item.score, 0);
}
