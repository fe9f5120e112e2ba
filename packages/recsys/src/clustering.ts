import { RecsysError } from './errors';
import { seededRng, type Rng } from './random';
import { requireCount, requireFinite } from './validate';
import { cosine, dotUnrolled as dotUnits, norm } from './vector';

export interface KMeansOptions {
  /** Seeds the k-means++ initialisation; the same seed gives the same result. @default 0 */
  seed?: number;
  /** @default 50 */
  maxIterations?: number;
  /** Stop once no centroid moves by more than this (1 − cosine between its old and new position). @default 1e-6 */
  tolerance?: number;
  /**
   * Independent seedings, keeping the fit with the lowest inertia. One k-means++ seeding now and
   * then puts two seeds in one topic and leaves two topics sharing a centroid. @default 3
   */
  restarts?: number;
}

export interface KMeansResult {
  /** Unit vectors, one per cluster. */
  centroids: Float32Array[];
  /** Cluster index of each input vector. */
  assignments: Int32Array;
  /** Members per cluster; none is 0. */
  sizes: number[];
  /** Σ (1 − cosine to the assigned centroid). */
  inertia: number;
  /** Lloyd iterations run by the fit that was kept. */
  iterations: number;
}

export interface ChooseKOptions {
  /** The k to try, each an integer ≥ 2. @default [2, 3, 4, 5, 6, 7, 8] */
  candidates?: readonly number[];
  /** Fit and score on a seeded sample of at most this many vectors, which bounds the cost. @default 1000 */
  sampleSize?: number;
  /** @default 0 */
  seed?: number;
  /**
   * Also measure each k's stability: refit it on this many bootstrap resamples of the sample and
   * compare each refit's clustering of the whole sample with the sample's own fit (adjusted Rand
   * index, mean over resamples). k is then the best silhouette among the candidates whose agreement
   * reaches `minAgreement`, or the most stable candidate when none does. 0 skips it. @default 0
   */
  resamples?: number;
  /** @default 0.8 */
  minAgreement?: number;
}

export interface ChooseKScore {
  k: number;
  silhouette: number;
  /** Mean adjusted Rand index between the sample's fit and its bootstrap refits; absent without `resamples`. */
  agreement?: number;
}

export interface ChooseKResult {
  k: number;
  /** One entry per candidate that was scored, ascending by k. */
  scores: ChooseKScore[];
}

export const DEFAULT_KMEANS_OPTIONS = { seed: 0, maxIterations: 50, tolerance: 1e-6, restarts: 3 } as const;
export const DEFAULT_CHOOSE_K_OPTIONS = { candidates: [2, 3, 4, 5, 6, 7, 8], sampleSize: 1000, seed: 0, resamples: 0, minAgreement: 0.8 } as const;

/**
 * Spherical k-means: points are compared by cosine and each centroid is the normalised sum of its
 * members. Inputs need not be exactly unit length; they are weighed as if normalised. Seeds are
 * chosen by greedy k-means++ (probability ∝ 1 − cosine to the nearest seed, which is half the
 * squared Euclidean distance between unit vectors). A cluster left empty takes the point farthest
 * from its own centroid among clusters that can spare one, so every cluster ends with at least one
 * member. With `restarts` > 1 the fit with the lowest inertia is kept.
 */
export function kMeans(vectors: readonly Float32Array[], k: number, options: KMeansOptions = {}): KMeansResult {
  const inverseNorms = requireVectors(vectors);
  requireCount(k, 1, 'k');
  if (k > vectors.length) throw new RecsysError(`k must be at most the number of vectors (${vectors.length}), got ${k}`, 'k');
  const { seed, maxIterations, tolerance, restarts } = { ...DEFAULT_KMEANS_OPTIONS, ...options };
  requireFinite(seed, 'seed');
  requireCount(maxIterations, 1, 'maxIterations');
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new RecsysError(`tolerance must be a finite number >= 0, got ${tolerance}`, 'tolerance');
  requireCount(restarts, 1, 'restarts');
  return fitEach(vectors, inverseNorms, [k], { rng: seededRng(seed), maxIterations, tolerance, restarts })[0]!;
}

/**
 * Picks the number of topics with the highest mean silhouette (cosine distance), ties going to the
 * smaller k. Every candidate is fitted as `kMeans` does with its default options, on one seeded
 * sample of at most `sampleSize` vectors, and scored on that sample; the candidates share seedings
 * (the first k seeds of the largest candidate's). Candidates above the sample size − 1 are skipped,
 * and with fewer than 3 vectors (or no candidate left) the answer is k = 1 with no scores.
 */
export function chooseK(vectors: readonly Float32Array[], options: ChooseKOptions = {}): ChooseKResult {
  requireVectors(vectors);
  const { candidates, sampleSize, seed, resamples, minAgreement } = { ...DEFAULT_CHOOSE_K_OPTIONS, ...options };
  requireFinite(seed, 'seed');
  requireCount(sampleSize, 3, 'sampleSize');
  requireCount(resamples, 0, 'resamples');
  if (!(minAgreement >= -1 && minAgreement <= 1)) throw new RecsysError(`minAgreement must be in [-1, 1], got ${minAgreement}`, 'minAgreement');
  if (candidates.length === 0) throw new RecsysError('candidates must not be empty', 'candidates');
  for (const candidate of candidates) requireCount(candidate, 2, 'candidates');

  const rng = seededRng(seed);
  const sample = sampleOf(vectors, sampleSize, rng);
  const ks = [...new Set(candidates)].filter((candidate) => candidate <= sample.length - 1).sort((a, b) => a - b);
  if (sample.length < 3 || ks.length === 0) return { k: 1, scores: [] };
  // Unit copies once, so that neither the fits nor the silhouette renormalise per candidate.
  const units = sample.map((vector) => unitVector(vector, inverseNorm(vector)));
  const unitNorms = Float64Array.from(units, (unit) => inverseNorm(unit));
  const settings = { ...DEFAULT_KMEANS_OPTIONS, rng };
  const fits = fitEach(units, unitNorms, ks, settings);
  const scores: ChooseKScore[] = ks.map((k, i) => ({ k, silhouette: meanSilhouette(units, fits[i]!.assignments, k) }));
  const bestOf = (candidates: readonly ChooseKScore[], value: (score: ChooseKScore) => number) =>
    candidates.reduce((top, score) => (value(score) > value(top) ? score : top));
  if (resamples === 0) return { k: bestOf(scores, (score) => score.silhouette).k, scores };

  const agreement = new Float64Array(ks.length);
  for (let r = 0; r < resamples; r++) {
    const drawn = Array.from(units, () => Math.floor(rng() * units.length));
    const refits = fitEach(
      drawn.map((index) => units[index]!),
      Float64Array.from(drawn, (index) => unitNorms[index]!),
      ks,
      settings,
    );
    refits.forEach((refit, i) => {
      const relabelled = Int32Array.from(units, (unit) => nearest(unit, refit.centroids).index);
      agreement[i] = agreement[i]! + adjustedRandIndex(fits[i]!.assignments, relabelled) / resamples;
    });
  }
  scores.forEach((score, i) => (score.agreement = agreement[i]!));
  const stable = scores.filter((score) => score.agreement! >= minAgreement);
  const chosen = stable.length > 0 ? bestOf(stable, (score) => score.silhouette) : bestOf(scores, (score) => score.agreement!);
  return { k: chosen.k, scores };
}

/**
 * The adjusted Rand index of two labellings of the same items: 1 when they group the items
 * identically (whatever the numbers), about 0 for labellings as alike as chance makes them
 * (Hubert and Arabie, 1985). Two labellings that each put everything in one group agree fully: 1.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RecsysError(`labellings differ in length (${a.length} vs ${b.length})`, 'labels');
  const n = a.length;
  const pairs = (count: number) => (count * (count - 1)) / 2;
  const joint = new Map<string, number>();
  const rows = new Map<number, number>();
  const columns = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]} ${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    columns.set(b[i]!, (columns.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const count of joint.values()) index += pairs(count);
  let rowPairs = 0;
  for (const count of rows.values()) rowPairs += pairs(count);
  let columnPairs = 0;
  for (const count of columns.values()) columnPairs += pairs(count);
  const total = pairs(n);
  const expected = total > 0 ? (rowPairs * columnPairs) / total : 0;
  const maximum = (rowPairs + columnPairs) / 2;
  // Both labellings trivial in the same way (all one group, or all apart): nothing to disagree on.
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}

/** The centroid most similar to `vector` (cosine; ties to the lower index). */
export function nearestCentroid(vector: Float32Array, centroids: readonly Float32Array[]): { index: number; similarity: number } {
  if (centroids.length === 0) throw new RecsysError('centroids must not be empty', 'centroids');
  let index = 0;
  let similarity = -Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const candidate = cosine(vector, centroids[c]!);
    if (candidate > similarity) {
      index = c;
      similarity = candidate;
    }
  }
  return { index, similarity };
}

/**
 * The unit centroid after one more member: normalise((size · centroid + unit(vector)) / (size + 1)),
 * a new array. It treats the stored unit centroid as the mean of the `size` members, while their true
 * mean is shorter (by the cluster's mean cosine to its centroid), so a newcomer weighs a little less
 * than in a batch fit; that drift, and topics that split or appear, are why a caller refits with
 * `kMeans` once the data has grown a lot since the last fit.
 */
export function addToCentroid(centroid: Float32Array, size: number, vector: Float32Array): Float32Array {
  requireCount(size, 0, 'size');
  if (vector.length !== centroid.length) throw new RecsysError(`vectors differ in dimension (${centroid.length} vs ${vector.length})`, 'vector');
  const length = norm(vector);
  const sum = new Float64Array(centroid.length);
  for (let i = 0; i < sum.length; i++) sum[i] = size * centroid[i]! + (length > 0 ? vector[i]! / length : 0);
  // A mean of zero has no direction (a lone member and its opposite); the old one is kept.
  return unitOf(sum) ?? Float32Array.from(centroid);
}

/**
 * Validates a non-empty set of finite vectors of one dimension and returns 1 / length of each (0 for
 * a zero vector), so that a dot product times it is a cosine without copying the inputs.
 */
function requireVectors(vectors: readonly Float32Array[]): Float64Array {
  if (vectors.length === 0) throw new RecsysError('vectors must not be empty', 'vectors');
  const dimension = vectors[0]!.length;
  if (dimension === 0) throw new RecsysError('vectors must have at least one dimension', 'vectors');
  return Float64Array.from(vectors, (vector) => {
    if (vector.length !== dimension) throw new RecsysError(`vectors differ in dimension (${dimension} vs ${vector.length})`, 'vectors');
    // A NaN or infinite coordinate makes the length non-finite; float32 squares cannot overflow a double.
    const length = norm(vector);
    if (!Number.isFinite(length)) throw new RecsysError('vectors must have finite coordinates', 'vectors');
    return length > 0 ? 1 / length : 0;
  });
}

function inverseNorm(vector: Float32Array): number {
  const length = norm(vector);
  return length > 0 ? 1 / length : 0;
}

interface FitSettings {
  rng: Rng;
  maxIterations: number;
  tolerance: number;
  restarts: number;
}

/**
 * The lowest-inertia fit over the restarts for each k in `ks`. k-means++ picks seeds one after
 * another, so one seeding for the largest k also seeds every smaller k by its prefix.
 */
function fitEach(vectors: readonly Float32Array[], inverseNorms: Float64Array, ks: readonly number[], settings: FitSettings): KMeansResult[] {
  const best: KMeansResult[] = [];
  for (let restart = 0; restart < settings.restarts; restart++) {
    const seeds = seedCentroids(vectors, inverseNorms, Math.max(...ks), settings.rng);
    ks.forEach((k, i) => {
      const result = lloyd(vectors, inverseNorms, seeds.slice(0, k), settings);
      if (!best[i] || result.inertia < best[i].inertia) best[i] = result;
    });
  }
  return best;
}

function lloyd(vectors: readonly Float32Array[], inverseNorms: Float64Array, centroids: Float32Array[], settings: FitSettings): KMeansResult {
  const n = vectors.length;
  const k = centroids.length;
  const assignments = new Int32Array(n).fill(-1);
  const similarities = new Float64Array(n);
  const sizes = new Array<number>(k).fill(0);
  let iterations = 0;
  while (iterations < settings.maxIterations) {
    iterations++;
    let changed = false;
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const { index, similarity } = nearest(vectors[i]!, centroids);
      if (assignments[i] !== index) changed = true;
      assignments[i] = index;
      similarities[i] = similarity * inverseNorms[i]!;
      sizes[index]!++;
    }
    refillEmptyClusters(assignments, similarities, sizes);
    const moved = updateCentroids(vectors, inverseNorms, assignments, centroids);
    if (!changed || moved <= settings.tolerance) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += 1 - dotUnits(vectors[i]!, centroids[assignments[i]!]!) * inverseNorms[i]!;
  return { centroids, assignments, sizes, inertia, iterations };
}

/** Sets each centroid to the normalised sum of its members' unit vectors; returns the largest move (1 − cosine). */
function updateCentroids(vectors: readonly Float32Array[], inverseNorms: Float64Array, assignments: Int32Array, centroids: Float32Array[]): number {
  const dimension = vectors[0]!.length;
  const sums = Array.from(centroids, () => new Float64Array(dimension));
  for (let i = 0; i < vectors.length; i++) {
    const sum = sums[assignments[i]!]!;
    const vector = vectors[i]!;
    const scale = inverseNorms[i]!;
    for (let j = 0; j < dimension; j++) sum[j] = sum[j]! + vector[j]! * scale;
  }
  let moved = 0;
  sums.forEach((sum, c) => {
    const updated = unitOf(sum);
    // Antipodal members can cancel out; a cluster without a direction keeps its old one.
    if (!updated) return;
    moved = Math.max(moved, 1 - dotUnits(updated, centroids[c]!));
    centroids[c] = updated;
  });
  return moved;
}

/** Nearest unit centroid by dot product (the raw dot, not divided by the vector's length). */
function nearest(vector: Float32Array, centroids: readonly Float32Array[]): { index: number; similarity: number } {
  let index = 0;
  let similarity = -Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const candidate = dotUnits(vector, centroids[c]!);
    if (candidate > similarity) {
      index = c;
      similarity = candidate;
    }
  }
  return { index, similarity };
}

function unitOf(sum: Float64Array): Float32Array | null {
  let squares = 0;
  for (let i = 0; i < sum.length; i++) squares += sum[i]! * sum[i]!;
  if (!(squares > 0)) return null;
  return unitVector(sum, 1 / Math.sqrt(squares));
}

/** `vector` · `inverseNorm` as a new Float32Array; a zero vector (inverse norm 0) stays zero and is similar to nothing. */
function unitVector(vector: Float32Array | Float64Array, inverseNorm: number): Float32Array {
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < unit.length; i++) unit[i] = vector[i]! * inverseNorm;
  return unit;
}

/**
 * Greedy k-means++: each step draws 2 + ⌊ln k⌋ candidates with probability ∝ 1 − cosine to the
 * nearest seed and keeps the one that leaves the least total 1 − cosine. A single draw per step puts two
 * seeds in one cluster often enough that Lloyd is left in a poor local optimum.
 */
function seedCentroids(vectors: readonly Float32Array[], inverseNorms: Float64Array, k: number, rng: Rng): Float32Array[] {
  const n = vectors.length;
  const first = Math.floor(rng() * n);
  const centroids = [unitVector(vectors[first]!, inverseNorms[first]!)];
  const closest = new Float64Array(n);
  similaritiesTo(vectors, inverseNorms, centroids[0]!, closest);
  const trials = 2 + Math.floor(Math.log(k));
  let candidate = new Float64Array(n);
  let best = new Float64Array(n);
  while (centroids.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.max(0, 1 - closest[i]!);
    let chosen = -1;
    let chosenPotential = Infinity;
    for (let trial = 0; trial < trials; trial++) {
      const index = total > 0 ? drawWeighted(closest, total, rng()) : Math.floor(rng() * n);
      similaritiesTo(vectors, inverseNorms, unitVector(vectors[index]!, inverseNorms[index]!), candidate);
      let potential = 0;
      for (let i = 0; i < n; i++) potential += Math.max(0, 1 - Math.max(closest[i]!, candidate[i]!));
      if (potential < chosenPotential) {
        chosen = index;
        chosenPotential = potential;
        [best, candidate] = [candidate, best];
      }
    }
    for (let i = 0; i < n; i++) closest[i] = Math.max(closest[i]!, best[i]!);
    // With every point on a seed already (duplicates) the new seed repeats one; its cluster is refilled later.
    centroids.push(unitVector(vectors[chosen]!, inverseNorms[chosen]!));
  }
  return centroids;
}

function similaritiesTo(vectors: readonly Float32Array[], inverseNorms: Float64Array, unit: Float32Array, out: Float64Array): void {
  for (let i = 0; i < vectors.length; i++) out[i] = dotUnits(vectors[i]!, unit) * inverseNorms[i]!;
}

/** The index at which the running sum of the weights 1 − closest reaches `u` · total. */
function drawWeighted(closest: Float64Array, total: number, u: number): number {
  let target = u * total;
  let last = -1;
  for (let i = 0; i < closest.length; i++) {
    const weight = Math.max(0, 1 - closest[i]!);
    if (weight <= 0) continue;
    last = i;
    target -= weight;
    if (target < 0) return i;
  }
  // Rounding can leave the target a hair above the sum; the last weighted point is the draw.
  return last;
}

/**
 * Gives each empty cluster the point least similar to its own centroid, taken only from clusters
 * with more than one member so that no new empty cluster appears; n ≥ k guarantees such a donor.
 */
function refillEmptyClusters(assignments: Int32Array, similarities: Float64Array, sizes: number[]): void {
  for (let c = 0; c < sizes.length; c++) {
    if (sizes[c]! > 0) continue;
    let farthest = -1;
    for (let i = 0; i < assignments.length; i++) {
      if (sizes[assignments[i]!]! > 1 && (farthest < 0 || similarities[i]! < similarities[farthest]!)) farthest = i;
    }
    sizes[assignments[farthest]!]!--;
    assignments[farthest] = c;
    sizes[c] = 1;
    // Alone in its new cluster it is its centroid; it must not be moved again for another empty cluster.
    similarities[farthest] = 1;
  }
}

/** At most `size` vectors drawn without replacement (partial Fisher–Yates); all of them when there are no more. */
function sampleOf(vectors: readonly Float32Array[], size: number, rng: Rng): Float32Array[] {
  if (vectors.length <= size) return [...vectors];
  const order = Array.from(vectors.keys());
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, size).map((index) => vectors[index]!);
}

/**
 * Mean silhouette of unit vectors with cosine distance 1 − cos. The mean distance from x to a
 * cluster C is 1 − x·ΣC / |C|, so it costs O(n·k·d) from the cluster sums instead of O(n²·d) over
 * pairs. A point alone in its cluster scores 0 (Rousseeuw's convention).
 */
/**
 * A mean cosine distance as the silhouette reads it: float32 rounding leaves identical points a
 * distance of ±1e-7 instead of 0, and a ratio of two such crumbs would score a split of identical
 * points as a perfect clustering; below this they count as 0.
 */
const DISTANCE_FLOOR = 1e-5;
const distance = (value: number): number => (value < DISTANCE_FLOOR ? 0 : value);

function meanSilhouette(units: readonly Float32Array[], assignments: Int32Array, k: number): number {
  const dimension = units[0]!.length;
  const sums = Array.from({ length: k }, () => new Float64Array(dimension));
  const sizes = new Array<number>(k).fill(0);
  units.forEach((unit, i) => {
    const sum = sums[assignments[i]!]!;
    for (let j = 0; j < dimension; j++) sum[j] = sum[j]! + unit[j]!;
    sizes[assignments[i]!]!++;
  });
  const sumVectors = sums.map((sum) => Float32Array.from(sum));
  let total = 0;
  units.forEach((unit, i) => {
    const own = assignments[i]!;
    if (sizes[own]! < 2) return;
    const self = dotUnits(unit, unit);
    const a = distance(1 - (dotUnits(unit, sumVectors[own]!) - self) / (sizes[own]! - 1));
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c !== own && sizes[c]! > 0) b = Math.min(b, distance(1 - dotUnits(unit, sumVectors[c]!) / sizes[c]!));
    }
    const spread = Math.max(a, b);
    if (spread > 0 && Number.isFinite(b)) total += (b - a) / spread;
  });
  return total / units.length;
}
