import { addToCentroid, adjustedRandIndex, chooseK, cosine, kMeans, nearestCentroid, norm, normalise, RecsysError, seededRng } from '../src';
import { around, randomUnit } from './helpers';

interface Planted {
  vectors: Float32Array[];
  labels: number[];
  centers: Float32Array[];
}

function planted(seed: number, clusters: number, perCluster: number, dimension = 32, noise = 0.5): Planted {
  const rng = seededRng(seed);
  const centers = Array.from({ length: clusters }, () => randomUnit(rng, dimension));
  const vectors: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < clusters * perCluster; i++) {
    // Interleaved so that no cluster sits in one block of the input.
    const label = i % clusters;
    vectors.push(around(rng, centers[label]!, noise));
    labels.push(label);
  }
  return { vectors, labels, centers };
}

/** Share of points whose cluster's majority label is their own label. */
function purity(assignments: Int32Array, labels: readonly number[], k: number): number {
  const counts = Array.from({ length: k }, () => new Map<number, number>());
  labels.forEach((label, i) => {
    const count = counts[assignments[i]!]!;
    count.set(label, (count.get(label) ?? 0) + 1);
  });
  return counts.reduce((sum, count) => sum + Math.max(0, ...count.values()), 0) / labels.length;
}

/**
 * `count` unit vectors around `clusters` random centres with uniform noise: far cheaper than
 * Gaussian noise, which matters at 5,000 × 384.
 */
function plantedLarge(seed: number, clusters: number, count: number, dimension: number, noise: number): Float32Array[] {
  const rng = seededRng(seed);
  const centers = Array.from({ length: clusters }, () => randomUnit(rng, dimension));
  // Uniform on [−h, h] has standard deviation h / √3; this matches around()'s noise / √d.
  const half = (noise / Math.sqrt(dimension)) * Math.sqrt(3);
  return Array.from({ length: count }, (_, i) => {
    const center = centers[i % clusters]!;
    const vector = new Float32Array(dimension);
    for (let j = 0; j < dimension; j++) vector[j] = center[j]! + half * (2 * rng() - 1);
    return normalise(vector);
  });
}

function batchCentroid(members: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(members[0]!.length);
  for (const member of members) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + member[i]!;
  return normalise(sum);
}

function expectRecsysError(run: () => unknown, field: string): void {
  expect(run).toThrow(RecsysError);
  expect(run).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field }));
}

describe('kMeans', () => {
  const three = planted(11, 3, 60);
  const five = planted(12, 5, 40);

  it.each([
    ['three', three, 3],
    ['five', five, 5],
  ])('recovers %s planted clusters with unit centroids near the planted centres', (_, data, k) => {
    const result = kMeans(data.vectors, k, { seed: 1 });
    expect(purity(result.assignments, data.labels, k)).toBeGreaterThanOrEqual(0.95);
    expect(result.centroids).toHaveLength(k);
    for (const centroid of result.centroids) expect(norm(centroid)).toBeCloseTo(1, 5);
    for (const center of data.centers) expect(Math.max(...result.centroids.map((centroid) => cosine(centroid, center)))).toBeGreaterThan(0.95);
    expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(data.vectors.length);
    expect(result.sizes).toEqual(result.centroids.map((_, c) => result.assignments.filter((cluster) => cluster === c).length));
    const inertia = data.vectors.reduce((sum, vector, i) => sum + 1 - cosine(vector, result.centroids[result.assignments[i]!]!), 0);
    expect(result.inertia).toBeCloseTo(inertia, 3);
    expect(result.iterations).toBeGreaterThanOrEqual(1);
    expect(result.iterations).toBeLessThan(50);
  });

  it('gives the same result for the same seed', () => {
    expect(kMeans(five.vectors, 5, { seed: 7 })).toEqual(kMeans(five.vectors, 5, { seed: 7 }));
  });

  it('still recovers the clusters from other seeds, which start elsewhere', () => {
    const results = [1, 2, 3, 4, 5].map((seed) => kMeans(five.vectors, 5, { seed }));
    for (const result of results) expect(purity(result.assignments, five.labels, 5)).toBeGreaterThanOrEqual(0.95);
    // The seed picks the first centre, so the clusters come out numbered differently.
    expect(new Set(results.map((result) => result.assignments.join(','))).size).toBeGreaterThan(1);
  });

  it('keeps the best of its restarts', () => {
    // The first restart replays restarts: 1 from the same seed, so more restarts can only lower the inertia.
    const pairs = Array.from({ length: 20 }, (_, seed) => [kMeans(five.vectors, 5, { seed, restarts: 1 }).inertia, kMeans(five.vectors, 5, { seed }).inertia]);
    for (const [single, best] of pairs) expect(best).toBeLessThanOrEqual(single!);
    expect(pairs.some(([single, best]) => best! < single! - 1)).toBe(true);
  });

  it('with k = 1 puts everything in one cluster around the normalised mean', () => {
    const result = kMeans(three.vectors, 1);
    expect(result.sizes).toEqual([three.vectors.length]);
    Array.from(batchCentroid(three.vectors)).forEach((x, i) => expect(result.centroids[0]![i]).toBeCloseTo(x, 5));
  });

  it('has a lower inertia for planted k than for too few clusters', () => {
    expect(kMeans(five.vectors, 5).inertia).toBeLessThan(kMeans(five.vectors, 2).inertia / 2);
  });

  it('refills empty clusters when k exceeds the distinct points', () => {
    const rng = seededRng(3);
    const distinct = [randomUnit(rng, 16), randomUnit(rng, 16), randomUnit(rng, 16)];
    const vectors = [0, 1, 2, 3].flatMap(() => distinct);
    const result = kMeans(vectors, 5, { seed: 2 });
    expect(result.centroids).toHaveLength(5);
    for (const centroid of result.centroids) {
      expect(centroid.every(Number.isFinite)).toBe(true);
      expect(norm(centroid)).toBeCloseTo(1, 5);
    }
    expect(result.sizes.every((size) => size >= 1)).toBe(true);
    expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(12);
    expect(result.inertia).toBeCloseTo(0, 5);
    // Every distinct point has a centroid of its own.
    for (const point of distinct) expect(nearestCentroid(point, result.centroids).similarity).toBeCloseTo(1, 5);
  });

  it('splits identical points into k non-empty clusters', () => {
    const point = randomUnit(seededRng(4), 8);
    const result = kMeans([point, point, point, point, point, point], 3);
    expect(result.sizes.every((size) => size >= 1)).toBe(true);
    expect(Number.isNaN(result.inertia)).toBe(false);
    for (const centroid of result.centroids) expect(cosine(centroid, point)).toBeCloseTo(1, 5);
  });

  it('weighs vectors that are not unit length by direction', () => {
    const scaled = three.vectors.map((vector, i) => Float32Array.from(vector, (x) => x * (1 + (i % 4))));
    const result = kMeans(scaled, 3, { seed: 1 });
    expect(purity(result.assignments, three.labels, 3)).toBeGreaterThanOrEqual(0.95);
    for (const centroid of result.centroids) expect(norm(centroid)).toBeCloseTo(1, 5);
  });

  it('stops after maxIterations', () => {
    expect(kMeans(five.vectors, 5, { maxIterations: 1 }).iterations).toBe(1);
  });

  it('refuses bad input, naming the field', () => {
    expectRecsysError(() => kMeans(three.vectors, 0), 'k');
    expectRecsysError(() => kMeans(three.vectors, 2.5), 'k');
    expectRecsysError(() => kMeans(three.vectors.slice(0, 4), 5), 'k');
    expectRecsysError(() => kMeans([], 1), 'vectors');
    expectRecsysError(() => kMeans([new Float32Array(4), new Float32Array(5)], 1), 'vectors');
    expectRecsysError(() => kMeans([Float32Array.from([1, Number.NaN])], 1), 'vectors');
    expectRecsysError(() => kMeans(three.vectors, 3, { maxIterations: 0 }), 'maxIterations');
    expectRecsysError(() => kMeans(three.vectors, 3, { tolerance: -1 }), 'tolerance');
    expectRecsysError(() => kMeans(three.vectors, 3, { restarts: 0 }), 'restarts');
  });
});

describe('chooseK', () => {
  it('does not split identical points: float32 crumbs of distance are no separation', () => {
    const axes = [0, 1, 2].map((axis) => Float32Array.from({ length: 16 }, (_, i) => (i === axis ? 0.8 : 0.15)));
    const vectors = axes.flatMap((axis) => Array.from({ length: 12 }, () => Float32Array.from(axis)));
    const { k, scores } = chooseK(vectors, { candidates: [2, 3, 4, 5] });
    expect(k).toBe(3);
    for (const score of scores) expect(score.silhouette).toBeLessThanOrEqual(1);
  });

  it.each([3, 5])('picks the planted k = %i by silhouette', (planted_k) => {
    const data = planted(20 + planted_k, planted_k, 40);
    const { k, scores } = chooseK(data.vectors, { seed: 1 });
    expect(k).toBe(planted_k);
    expect(scores.map((score) => score.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const best = scores.find((score) => score.k === planted_k)!.silhouette;
    for (const score of scores) {
      expect(score.silhouette).toBeGreaterThanOrEqual(-1);
      expect(score.silhouette).toBeLessThanOrEqual(best);
    }
  });

  it('scores clean clusters near 1 and a wrong k lower', () => {
    const data = planted(30, 3, 30, 32, 0.1);
    const { scores } = chooseK(data.vectors, { candidates: [2, 3] });
    expect(scores[1]!.silhouette).toBeGreaterThan(0.9);
    expect(scores[0]!.silhouette).toBeLessThan(scores[1]!.silhouette - 0.2);
  });

  it('finds the planted k from a sample of a larger set', () => {
    const data = planted(31, 4, 300);
    expect(chooseK(data.vectors, { sampleSize: 200, seed: 3 }).k).toBe(4);
  });

  it('skips candidates above n − 1 and answers 1 for fewer than 3 vectors', () => {
    const data = planted(32, 2, 2);
    expect(chooseK(data.vectors).scores.map((score) => score.k)).toEqual([2, 3]);
    expect(chooseK(data.vectors.slice(0, 2))).toEqual({ k: 1, scores: [] });
    expect(chooseK(data.vectors, { candidates: [6, 7] })).toEqual({ k: 1, scores: [] });
  });

  it('is deterministic for a seed', () => {
    const data = planted(33, 4, 100);
    expect(chooseK(data.vectors, { sampleSize: 150, seed: 9 })).toEqual(chooseK(data.vectors, { sampleSize: 150, seed: 9 }));
  });

  it('picks the planted k from a sample of 5,000 vectors of dimension 384', () => {
    // Timing of this size is measured by `pnpm bench:feedback`, not asserted here.
    expect(chooseK(plantedLarge(34, 6, 5000, 384, 1)).k).toBe(6);
  });

  it('measures stability by bootstrap refits and keeps the best silhouette among the stable k', () => {
    const data = planted(36, 3, 60, 32, 0.3);
    const { k, scores } = chooseK(data.vectors, { resamples: 5, seed: 2 });
    expect(k).toBe(3);
    expect(scores.every((score) => score.agreement !== undefined && score.agreement >= -1 && score.agreement <= 1)).toBe(true);
    expect(scores.find((score) => score.k === 3)!.agreement).toBeGreaterThan(0.95);
    expect(chooseK(data.vectors, { seed: 2 }).scores.every((score) => score.agreement === undefined)).toBe(true);
  });

  it('takes the most stable k when none reaches the agreement asked for', () => {
    const rng = seededRng(37);
    const noise = Array.from({ length: 120 }, () => randomUnit(rng, 16));
    const { k, scores } = chooseK(noise, { resamples: 4, minAgreement: 1, candidates: [2, 3, 4, 5] });
    const mostStable = scores.reduce((top, score) => (score.agreement! > top.agreement! ? score : top));
    expect(mostStable.agreement).toBeLessThan(1);
    expect(k).toBe(mostStable.k);
  });

  it('refuses bad options, naming the field', () => {
    const { vectors } = planted(35, 2, 5);
    expectRecsysError(() => chooseK(vectors, { resamples: -1 }), 'resamples');
    expectRecsysError(() => chooseK(vectors, { resamples: 2, minAgreement: 2 }), 'minAgreement');
    expectRecsysError(() => chooseK([]), 'vectors');
    expectRecsysError(() => chooseK(vectors, { candidates: [] }), 'candidates');
    expectRecsysError(() => chooseK(vectors, { candidates: [1, 2] }), 'candidates');
    expectRecsysError(() => chooseK(vectors, { sampleSize: 2 }), 'sampleSize');
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same grouping under other numbers, and matches a worked example', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    // {0,0,1,1} against {0,0,1,2}: index 1, expected 2 · 1 / 6 = 1/3, maximum (2 + 1) / 2, so (1 − 1/3) / (3/2 − 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex([0, 0, 0], [1, 1, 1])).toBe(1);
  });

  it('is about 0 for unrelated groupings', () => {
    const rng = seededRng(38);
    const a = Array.from({ length: 4000 }, () => Math.floor(rng() * 4));
    const b = Array.from({ length: 4000 }, () => Math.floor(rng() * 5));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('refuses labellings of different lengths', () => {
    expectRecsysError(() => adjustedRandIndex([0, 1], [0]), 'labels');
  });
});

describe('nearestCentroid', () => {
  it('returns the most similar centroid and its cosine', () => {
    const centroids = [Float32Array.from([1, 0, 0]), Float32Array.from([0, 1, 0]), Float32Array.from([0, 0, 1])];
    const { index, similarity } = nearestCentroid(Float32Array.from([0.2, 0.1, 0.9]), centroids);
    expect(index).toBe(2);
    expect(similarity).toBeCloseTo(0.9 / Math.hypot(0.2, 0.1, 0.9), 6);
  });

  it('refuses no centroids or another dimension', () => {
    expectRecsysError(() => nearestCentroid(Float32Array.from([1, 0]), []), 'centroids');
    expectRecsysError(() => nearestCentroid(Float32Array.from([1, 0]), [Float32Array.from([1, 0, 0])]), 'vector');
  });
});

describe('addToCentroid', () => {
  const rng = seededRng(40);
  const center = randomUnit(rng, 24);
  const members = Array.from({ length: 30 }, () => around(rng, center, 0.3));

  it('is the normalised mean of size copies of the centroid and the new member', () => {
    const centroid = batchCentroid(members.slice(0, 10));
    const copies = [...Array.from({ length: 10 }, () => centroid), members[10]!];
    const updated = addToCentroid(centroid, 10, members[10]!);
    expect(norm(updated)).toBeCloseTo(1, 6);
    Array.from(batchCentroid(copies)).forEach((x, i) => expect(updated[i]).toBeCloseTo(x, 6));
  });

  it('equals the batch centroid exactly for the first two members', () => {
    const first = addToCentroid(new Float32Array(24), 0, members[0]!);
    Array.from(members[0]!).forEach((x, i) => expect(first[i]).toBeCloseTo(x, 6));
    const second = addToCentroid(first, 1, members[1]!);
    Array.from(batchCentroid(members.slice(0, 2))).forEach((x, i) => expect(second[i]).toBeCloseTo(x, 6));
  });

  it('tracks the batch centroid of a tight cluster member by member', () => {
    let centroid: Float32Array = new Float32Array(24);
    members.forEach((member, size) => {
      centroid = addToCentroid(centroid, size, member);
    });
    expect(cosine(centroid, batchCentroid(members))).toBeGreaterThan(0.999);
  });

  it('leaves its inputs alone', () => {
    const centroid = batchCentroid(members.slice(0, 5));
    const before = Float32Array.from(centroid);
    const member = Float32Array.from(members[5]!);
    const updated = addToCentroid(centroid, 5, member);
    expect(updated).not.toBe(centroid);
    expect(centroid).toEqual(before);
    expect(member).toEqual(members[5]);
  });

  it('keeps the old direction when the mean has none', () => {
    const centroid = Float32Array.from([1, 0]);
    expect(Array.from(addToCentroid(centroid, 1, Float32Array.from([-1, 0])))).toEqual([1, 0]);
  });

  it('refuses a bad size or another dimension', () => {
    const centroid = members[0]!;
    expectRecsysError(() => addToCentroid(centroid, -1, members[1]!), 'size');
    expectRecsysError(() => addToCentroid(centroid, 1.5, members[1]!), 'size');
    expectRecsysError(() => addToCentroid(centroid, 1, new Float32Array(3)), 'vector');
  });
});
