import { RecsysError } from './errors';
import { requireCount, requireFinite, requireRange } from './validate';
import { dot, norm, normalise, type Vector } from './vector';

export interface InterestSignal {
  /** The embedding of the product (or query) the event was about. */
  vector: Vector;
  /** Event-type weight; negative for negative signals (a bad review, skipped impressions). */
  weight: number;
  occurredAt: Date;
  categoryId: string | null;
  keywords?: readonly string[];
}

export interface InterestOptions {
  now: Date;
  /** Age at which a signal counts half. @default 14 */
  halfLifeDays: number;
  /** @default 5 */
  maxInterests: number;
  /** Cosine at or above which two clusters are one interest and a negative signal hits an interest. @default 0.5 */
  similarityThreshold: number;
  /** Interests with a smaller share are dropped (the heaviest is always kept). @default 0.05 */
  minWeight?: number;
  /** How many avoid vectors to keep, heaviest first. @default 10 */
  maxAvoid?: number;
}

export interface Interest {
  /** Unit vector. */
  centroid: Float32Array;
  /** Share of the profile; the interests' weights sum to 1. */
  weight: number;
  /** Decayed total weight of its signals, less what nearby negative signals took away. */
  strength: number;
  /** Share of the interest's weight carried by each category, descending, top 3. */
  categories: { id: string; weight: number }[];
  /** Share of the interest's weight carried by signals with each keyword, descending, top 5. */
  keywords: { term: string; weight: number }[];
  /** Number of positive signals in it. */
  signals: number;
}

export interface AvoidVector {
  /** Unit vector. */
  centroid: Float32Array;
  /** Decayed total weight of the negative signals behind it (positive). */
  strength: number;
}

export interface InterestProfile {
  /** Descending by weight. */
  interests: Interest[];
  /** Descending by strength. */
  avoid: AvoidVector[];
}

export const DEFAULT_INTEREST_OPTIONS = {
  halfLifeDays: 14,
  maxInterests: 5,
  similarityThreshold: 0.5,
  minWeight: 0.05,
  maxAvoid: 10,
} as const;

const DAY_MS = 86_400_000;
const LLOYD_ITERATIONS = 10;
const MERGE_ROUNDS = 5;

interface Point {
  unit: Float32Array;
  weight: number;
  signal: InterestSignal;
}

interface Cluster {
  sum: Float32Array;
  strength: number;
  members: number[];
}

/**
 * Recognises several interests rather than one average (the average of baby goods and running
 * shoes is neither): signals are weighted by event weight × 2^(−age / half-life), clustered by
 * weighted spherical k-means, and clusters closer than `similarityThreshold` are merged, so the
 * number of interests follows the data up to `maxInterests`. Negative signals weaken the interest
 * they fall in and are kept as avoid vectors.
 */
export function recogniseInterests(signals: readonly InterestSignal[], options: Partial<InterestOptions> & { now: Date }): InterestProfile {
  const o = { ...DEFAULT_INTEREST_OPTIONS, ...options };
  const now = o.now.getTime();
  if (Number.isNaN(now)) throw new RecsysError('now is an invalid date', 'now');
  if (!(o.halfLifeDays > 0)) throw new RecsysError(`halfLifeDays must be > 0, got ${o.halfLifeDays}`, 'halfLifeDays');
  requireCount(o.maxInterests, 1, 'maxInterests');
  requireCount(o.maxAvoid, 0, 'maxAvoid');
  requireRange(o.similarityThreshold, -1, 1, 'similarityThreshold');
  requireRange(o.minWeight, 0, 1, 'minWeight');

  const positives: Point[] = [];
  const negatives: Point[] = [];
  let dimension: number | undefined;
  for (const signal of signals) {
    requireFinite(signal.weight, 'weight');
    dimension ??= signal.vector.length;
    if (signal.vector.length !== dimension) throw new RecsysError(`signal vectors differ in dimension (${signal.vector.length} vs ${dimension})`, 'vector');
    const time = signal.occurredAt.getTime();
    if (Number.isNaN(time)) throw new RecsysError('signal has an invalid date', 'occurredAt');
    const ageDays = Math.max(0, now - time) / DAY_MS;
    const weight = signal.weight * 2 ** (-ageDays / o.halfLifeDays);
    const unit = normalise(signal.vector);
    if (weight === 0 || !unit.some((x) => x !== 0)) continue;
    (weight > 0 ? positives : negatives).push({ unit, weight: Math.abs(weight), signal });
  }

  const clusters = clusterPoints(positives, 2 * o.maxInterests, o.similarityThreshold)
    .sort((a, b) => b.strength - a.strength)
    .slice(0, o.maxInterests);
  const centroids = clusters.map((cluster) => normalise(cluster.sum));

  const taken = new Float64Array(clusters.length);
  for (const negative of negatives) {
    const [best, similarity] = nearest(centroids, negative.unit);
    if (best >= 0 && similarity >= o.similarityThreshold) taken[best] = taken[best]! + negative.weight * similarity;
  }

  let kept = clusters
    .map((cluster, i) => ({ cluster, centroid: centroids[i]!, strength: cluster.strength - taken[i]! }))
    .filter((entry) => entry.strength > 0)
    .sort((a, b) => b.strength - a.strength);
  const total = kept.reduce((sum, entry) => sum + entry.strength, 0);
  kept = kept.filter((entry, i) => i === 0 || entry.strength / total >= o.minWeight);
  const keptTotal = kept.reduce((sum, entry) => sum + entry.strength, 0);

  const interests = kept.map(({ cluster, centroid, strength }): Interest => {
    const categories = new Map<string, number>();
    const keywords = new Map<string, number>();
    for (const member of cluster.members) {
      const { weight, signal } = positives[member]!;
      if (signal.categoryId !== null) categories.set(signal.categoryId, (categories.get(signal.categoryId) ?? 0) + weight);
      for (const term of new Set(signal.keywords ?? [])) keywords.set(term, (keywords.get(term) ?? 0) + weight);
    }
    return {
      centroid,
      weight: strength / keptTotal,
      strength,
      categories: top(categories, 3, cluster.strength).map(([id, weight]) => ({ id, weight })),
      keywords: top(keywords, 5, cluster.strength).map(([term, weight]) => ({ term, weight })),
      signals: cluster.members.length,
    };
  });

  return { interests, avoid: avoidVectors(negatives, o.similarityThreshold, o.maxAvoid) };
}

/**
 * How well an item fits the profile, in [−1, 1]: the best interest's cosine scaled by
 * (0.5 + 0.5 · weight / heaviest weight), so a minor interest still counts at least half, minus
 * the largest avoid penalty max(0, cosine) · a / (a + S), where a is the avoid vector's strength
 * and S the interests' total strength: a few skips barely dent a strong profile.
 */
export function interestAffinity(profile: InterestProfile, vector: Vector): { score: number; interest: number } {
  // Centroids are unit vectors, so dividing each dot product by |vector| gives the cosine without a normalised copy.
  const length = norm(vector);
  const inverse = length > 0 ? 1 / length : 0;
  let best = 0;
  let interest = -1;
  const heaviest = profile.interests.reduce((max, entry) => Math.max(max, entry.weight), 0);
  profile.interests.forEach((entry, i) => {
    const score = dot(entry.centroid, vector) * inverse * (0.5 + (0.5 * entry.weight) / heaviest);
    if (interest === -1 || score > best) {
      best = score;
      interest = i;
    }
  });
  const strength = profile.interests.reduce((sum, entry) => sum + entry.strength, 0);
  let penalty = 0;
  for (const avoid of profile.avoid) {
    const similarity = dot(avoid.centroid, vector) * inverse;
    if (similarity > 0) penalty = Math.max(penalty, (similarity * avoid.strength) / (avoid.strength + strength));
  }
  return { score: Math.max(-1, Math.min(1, best - penalty)), interest };
}

function nearest(centroids: readonly Float32Array[], unit: Float32Array): [number, number] {
  let best = -1;
  let similarity = -Infinity;
  centroids.forEach((centroid, i) => {
    const value = dot(centroid, unit);
    if (value > similarity) {
      best = i;
      similarity = value;
    }
  });
  return [best, similarity];
}

/**
 * Weighted spherical k-means. Seeds are picked farthest-first from the heaviest signal, up to
 * `maxSeeds` (over-seeding lets a stray signal take its own seed instead of dragging a real
 * interest's centroid), and seeding stops once every signal is within `threshold` of a seed.
 * After Lloyd iterations, clusters whose centroids are within `threshold` are merged and Lloyd
 * runs again from the merged centroids.
 */
function clusterPoints(points: readonly Point[], maxSeeds: number, threshold: number): Cluster[] {
  if (points.length === 0) return [];
  let heaviest = 0;
  points.forEach((point, i) => {
    if (point.weight > points[heaviest]!.weight) heaviest = i;
  });
  const seeds: Float32Array[] = [points[heaviest]!.unit];
  const closest = points.map((point) => dot(point.unit, points[heaviest]!.unit));
  while (seeds.length < Math.min(maxSeeds, points.length)) {
    let farthest = 0;
    closest.forEach((similarity, i) => {
      if (similarity < closest[farthest]!) farthest = i;
    });
    if (closest[farthest]! >= threshold) break;
    const seed = points[farthest]!.unit;
    seeds.push(seed);
    points.forEach((point, i) => {
      closest[i] = Math.max(closest[i]!, dot(point.unit, seed));
    });
  }

  let clusters = lloyd(points, seeds);
  for (let round = 0; round < MERGE_ROUNDS; round++) {
    const merged = mergeClose(clusters, threshold);
    if (merged.length === clusters.length) break;
    clusters = lloyd(
      points,
      merged.map((cluster) => normalise(cluster.sum)),
    );
  }
  return clusters;
}

function lloyd(points: readonly Point[], initial: readonly Float32Array[]): Cluster[] {
  let centroids = initial;
  let previous: Int32Array | undefined;
  let clusters: Cluster[] = [];
  for (let iteration = 0; iteration < LLOYD_ITERATIONS; iteration++) {
    const assignment = Int32Array.from(points, (point) => nearest(centroids, point.unit)[0]);
    const built: Cluster[] = centroids.map((centroid) => ({ sum: new Float32Array(centroid.length), strength: 0, members: [] }));
    points.forEach((point, i) => {
      const cluster = built[assignment[i]!]!;
      for (let j = 0; j < point.unit.length; j++) cluster.sum[j] = cluster.sum[j]! + point.weight * point.unit[j]!;
      cluster.strength += point.weight;
      cluster.members.push(i);
    });
    clusters = built.filter((cluster) => cluster.members.length > 0);
    const stable = previous !== undefined && assignment.every((cluster, i) => cluster === previous![i]);
    if (stable && clusters.length === built.length) break;
    // Dropping an empty cluster renumbers the rest, so assignments are only comparable when none was dropped.
    previous = clusters.length === built.length ? assignment : undefined;
    centroids = clusters.map((cluster) => normalise(cluster.sum));
  }
  return clusters;
}

function mergeClose(clusters: readonly Cluster[], threshold: number): Cluster[] {
  const result = clusters.map((cluster) => ({ ...cluster, sum: Float32Array.from(cluster.sum), members: [...cluster.members] }));
  for (;;) {
    const centroids = result.map((cluster) => normalise(cluster.sum));
    let pair: [number, number] | undefined;
    let best = threshold;
    for (let i = 0; i < result.length; i++) {
      for (let j = i + 1; j < result.length; j++) {
        const similarity = dot(centroids[i]!, centroids[j]!);
        if (similarity >= best) {
          best = similarity;
          pair = [i, j];
        }
      }
    }
    if (!pair) return result;
    const [keep, drop] = pair;
    const into = result[keep]!;
    const from = result[drop]!;
    for (let j = 0; j < into.sum.length; j++) into.sum[j] = into.sum[j]! + from.sum[j]!;
    into.strength += from.strength;
    into.members.push(...from.members);
    result.splice(drop, 1);
  }
}

/** Negative signals grouped greedily, heaviest first, into directions to steer away from. */
function avoidVectors(negatives: readonly Point[], threshold: number, maxAvoid: number): AvoidVector[] {
  const groups: { sum: Float32Array; centroid: Float32Array; strength: number }[] = [];
  for (const negative of [...negatives].sort((a, b) => b.weight - a.weight)) {
    const [best, similarity] = nearest(
      groups.map((group) => group.centroid),
      negative.unit,
    );
    if (best >= 0 && similarity >= threshold) {
      const group = groups[best]!;
      for (let j = 0; j < group.sum.length; j++) group.sum[j] = group.sum[j]! + negative.weight * negative.unit[j]!;
      group.strength += negative.weight;
      group.centroid = normalise(group.sum);
    } else {
      const sum = negative.unit.map((x) => x * negative.weight);
      groups.push({ sum, centroid: normalise(sum), strength: negative.weight });
    }
  }
  return groups
    .sort((a, b) => b.strength - a.strength)
    .slice(0, maxAvoid)
    .map(({ centroid, strength }) => ({ centroid, strength }));
}

function top(weights: ReadonlyMap<string, number>, count: number, total: number): [string, number][] {
  return [...weights]
    .map(([key, weight]): [string, number] => [key, weight / total])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, count);
}

/** Cosine at or above which a recognised interest counts as one the shopper removed. @default 0.8 */
export const SUPPRESSION_SIMILARITY = 0.8;

/**
 * The profile without the interests close to any of `suppressed` (interests the shopper removed:
 * their events still exist, so recognition would bring them back), the rest re-weighted to sum
 * to 1. Avoid vectors are kept as they are.
 */
export function suppressInterests(profile: InterestProfile, suppressed: readonly Vector[], similarity = SUPPRESSION_SIMILARITY): InterestProfile {
  requireRange(similarity, -1, 1, 'similarity');
  if (suppressed.length === 0) return profile;
  const units = suppressed.map((vector) => normalise(vector));
  const kept = profile.interests.filter((interest) => !units.some((unit) => dot(interest.centroid, unit) >= similarity));
  const total = kept.reduce((sum, interest) => sum + interest.weight, 0);
  return { interests: kept.map((interest) => ({ ...interest, weight: total > 0 ? interest.weight / total : 0 })), avoid: profile.avoid };
}
