import { requireCount, requireFinite, requireRange } from './validate';
import { RecsysError } from './errors';
import { cosine, dotUnrolled, norm, type Vector } from './vector';

/** A unit copy of an optional vector; a missing or zero vector becomes null and is similar to nothing. */
function unitVector(vector: Vector | undefined): Float32Array | null {
  if (!vector) return null;
  const length = norm(vector);
  if (length === 0) return null;
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < unit.length; i++) unit[i] = vector[i]! / length;
  return unit;
}

/** Unit copies of optional vectors (`unitVector`). */
export function unitVectors(vectors: readonly (Vector | undefined)[]): (Float32Array | null)[] {
  return vectors.map(unitVector);
}

/** dot() for the hot MMR loop, checking dimensions once per pair. */
function dotUnits(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RecsysError(`vectors differ in dimension (${a.length} vs ${b.length})`, 'vector');
  return dotUnrolled(a, b);
}

/**
 * Each candidate's MMR similarity to the items chosen so far, max(0, max cosine), computed when it
 * is asked for: a slate's policy needs it only for candidates that could still win a position,
 * which are few of hundreds, and a chosen item's similarities to the rest (one dot product per
 * candidate) were most of a slate's cost when every candidate's was kept up to date. Unit copies
 * of the vectors are made on first use for the same reason. Starting from 0 floors the penalty at
 * 0: an item opposite to everything chosen gains nothing over an orthogonal one.
 */
export class MaxSimilarity {
  private readonly units: (Float32Array | null | undefined)[];
  private readonly chosen: Float32Array[] = [];
  /** How many of `chosen` each candidate has been compared with. */
  private readonly compared: Int32Array;
  private readonly max: Float64Array;

  /** One vector per candidate (none: similar to nothing); empty when diversity is off, and then every similarity is 0. */
  constructor(private readonly vectors: readonly (Vector | undefined)[]) {
    this.units = new Array<Float32Array | null | undefined>(vectors.length);
    this.compared = new Int32Array(vectors.length);
    this.max = new Float64Array(vectors.length);
  }

  /** Records a chosen candidate; the others are compared with it when next asked for. */
  choose(index: number): void {
    const unit = this.unit(index);
    if (unit) this.chosen.push(unit);
  }

  /** A lower bound of `of(index)` at no cost: its similarity to the chosen items it has been compared with. */
  known(index: number): number {
    return this.max[index]!;
  }

  /** Candidate `index`'s similarity to the chosen items (only ever asked for candidates not chosen). */
  of(index: number): number {
    if (this.chosen.length === this.compared[index]) return this.max[index]!;
    const unit = this.unit(index);
    if (!unit) return 0;
    let compared = this.compared[index]!;
    let max = this.max[index]!;
    for (; compared < this.chosen.length; compared++) {
      const similarity = dotUnits(unit, this.chosen[compared]!);
      if (similarity > max) max = similarity;
    }
    this.compared[index] = compared;
    this.max[index] = max;
    return max;
  }

  private unit(index: number): Float32Array | null {
    let unit = this.units[index];
    if (unit === undefined) unit = this.units[index] = unitVector(this.vectors[index]);
    return unit;
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
  const similarity = new MaxSimilarity(lambda < 1 ? items.map((item) => item.vector) : []);
  const taken = new Uint8Array(items.length);
  const result: T[] = [];
  while (result.length < Math.min(k, items.length)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < items.length; i++) {
      if (taken[i]) continue;
      const value = lambda * items[i]!.score - (1 - lambda) * similarity.of(i);
      if (value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    taken[best] = 1;
    result.push(items[best]!);
    similarity.choose(best);
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
