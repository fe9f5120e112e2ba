import { sampleNormal, seededRng } from '@serendip/recsys';
import { ProductIndex, type ProductIndexItem } from '../src';

/** Uniform on the unit sphere: normalised Gaussians (Box-Muller). */
function unitVectors(count: number, dimension: number, seed: number): Float32Array[] {
  const next = seededRng(seed);
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: dimension }, () => sampleNormal(next));
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

function exactTop(vectors: Float32Array[], query: Float32Array, k: number): string[] {
  return vectors
    .map((vector, i) => ({ id: String(i + 1), score: dot(vector, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((hit) => hit.id);
}

/** vectorOf's values are 8-bit: within half a step (the largest value / 254) of the stored unit vector's. */
const expectNear = (actual: Float32Array | null, expected: ArrayLike<number>) => {
  expect(actual).toHaveLength(expected.length);
  actual!.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(1 / 254));
};

const item = (productId: string, vector: Float32Array, createdAt = new Date(0), categoryId = 'c1'): ProductIndexItem => ({
  productId,
  categoryId,
  createdAt,
  vector,
});

describe('ProductIndex', () => {
  it('finds at least 95% of the exact 10 nearest neighbours among 5,000 random unit vectors', () => {
    const vectors = unitVectors(5000, 64, 1);
    // Small pages and a small start capacity, so the index resizes several times while it fills.
    const index = new ProductIndex({ initialCapacity: 100 });
    for (let start = 0; start < vectors.length; start += 700) {
      index.upsert(vectors.slice(start, start + 700).map((vector, i) => item(String(start + i + 1), vector)));
    }
    expect(index.size).toBe(5000);

    const queries = unitVectors(200, 64, 2);
    let found = 0;
    for (const query of queries) {
      const hits = index.search(query, 10);
      expect(hits).toHaveLength(10);
      const exact = new Set(exactTop(vectors, query, 10));
      found += hits.filter((hit) => exact.has(hit.productId)).length;
      // Similarity is the cosine to the stored 8-bit vector, within 2·10⁻³ of the cosine to the given one at 64 values; best first.
      const best = Number(hits[0]!.productId);
      expect(hits[0]!.similarity).toBeCloseTo(dot(index.vectorOf(String(best))!, query), 5);
      expect(Math.abs(hits[0]!.similarity - dot(vectors[best - 1]!, query))).toBeLessThan(2e-3);
      expect(hits.map((hit) => hit.similarity)).toEqual([...hits.map((hit) => hit.similarity)].sort((a, b) => b - a));
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it('replaces the vector, category and creation time of a product upserted again', () => {
    const axis = (i: number) => Float32Array.from({ length: 4 }, (_, j) => (i === j ? 1 : 0));
    const index = new ProductIndex();
    index.upsert([item('10', axis(0), new Date(1000), 'shoes'), item('20', axis(1), new Date(2000), 'books')]);
    const query = [0, 0.6, 0.8, 0];
    expect(index.search(query, 1)).toEqual([{ productId: '20', similarity: expect.closeTo(0.6, 5) }]);
    expect(index.newest(1)).toEqual(['20']);

    index.upsert([item('10', axis(2), new Date(3000), 'garden')]);
    expect(index.size).toBe(2);
    expect(index.search(query, 2)).toEqual([
      { productId: '10', similarity: expect.closeTo(0.8, 5) },
      { productId: '20', similarity: expect.closeTo(0.6, 5) },
    ]);
    expectNear(index.vectorOf('10'), axis(2));
    expect(index.categoryOf('10')).toBe('garden');
    expect(index.newest(1)).toEqual(['10']);
    // Nothing is left of the old vector.
    expect(index.search(axis(0), 1)[0]!.similarity).toBeCloseTo(0, 5);
  });

  it("gives each product's vector to 8 bits, cosine to the stored vector above 0.9999", () => {
    const vectors = unitVectors(300, 192, 6);
    const index = new ProductIndex();
    index.upsert(vectors.map((vector, i) => item(String(i + 1), vector)));
    vectors.forEach((vector, i) => {
      const read = index.vectorOf(String(i + 1))!;
      expect(read).toHaveLength(192);
      expect(dot(read, vector) / Math.hypot(...read)).toBeGreaterThan(0.9999);
    });
  });

  it('keeps excluded products out of search results without losing places', () => {
    const vectors = unitVectors(500, 32, 4);
    const index = new ProductIndex();
    index.upsert(vectors.map((vector, i) => item(String(i + 1), vector)));
    const query = vectors[0]!;
    // Ranked by the stored vectors, which is what the index searches.
    const stored = vectors.map((_, i) => index.vectorOf(String(i + 1))!);
    const excluded = new Set(exactTop(stored, query, 5));
    const hits = index.search(query, 10, (productId) => !excluded.has(productId));
    expect(hits).toHaveLength(10);
    expect(hits.some((hit) => excluded.has(hit.productId))).toBe(false);
    expect(hits.map((hit) => hit.productId)).toEqual(exactTop(stored, query, 15).slice(5));
  });

  it('lists the newest products first, filtered', () => {
    const vectors = unitVectors(5, 8, 5);
    const index = new ProductIndex();
    // Out of order on purpose: the feed delivers by embedding time, not creation time.
    index.upsert([item('3', vectors[2]!, new Date(300)), item('1', vectors[0]!, new Date(100)), item('5', vectors[4]!, new Date(500))]);
    index.upsert([item('2', vectors[1]!, new Date(200)), item('4', vectors[3]!, new Date(400))]);
    expect(index.newest(3)).toEqual(['5', '4', '3']);
    expect(index.newest(10, (productId) => productId !== '4')).toEqual(['5', '3', '2', '1']);
  });

  it('answers for products it does not hold, and with an empty index', () => {
    const index = new ProductIndex({ dimension: 4 });
    expect(index.search([1, 0, 0, 0], 5)).toEqual([]);
    expect(index.newest(5)).toEqual([]);
    expect(index.vectorOf('1')).toBeNull();
    expect(index.categoryOf('1')).toBeNull();
    index.upsert([item('1', Float32Array.from([3, 4, 0, 0]))]);
    // Stored as a unit vector (to 8 bits: 0.6 is 95/127 of 0.8); more neighbours asked for than held is fine.
    expectNear(index.vectorOf('1'), [0.6, 0.8, 0, 0]);
    expect(index.search([0, 2, 0, 0], 5)).toEqual([{ productId: '1', similarity: expect.closeTo(127 / Math.hypot(95, 127), 6) }]);
  });

  it('gives each state of each index its own version: a new one per upsert, none for a refused batch or a search', () => {
    const [a, b] = unitVectors(2, 3, 9);
    const first = new ProductIndex({ dimension: 3 });
    const second = new ProductIndex({ dimension: 3 });
    const seen = new Set([first.version, second.version]);
    expect(seen.size).toBe(2);
    first.upsert([item('1', a!)]);
    expect(seen.has(first.version)).toBe(false);
    seen.add(first.version);
    const afterUpsert = first.version;
    first.search(a!, 1);
    first.vectorOf('1');
    expect(first.version).toBe(afterUpsert);
    expect(() => first.upsert([item('2', Float32Array.from([0, 0, 0]))])).toThrow(/product 2/);
    expect(first.version).toBe(afterUpsert);
    first.upsert([item('1', b!)]);
    expect(seen.has(first.version)).toBe(false);
  });

  it('refuses a batch with a vector of the wrong size or no direction, whole', () => {
    const index = new ProductIndex({ dimension: 3 });
    expect(() => index.upsert([item('1', Float32Array.from([1, 0, 0])), item('2', Float32Array.from([1, 0]))])).toThrow(/product 2/);
    expect(() => index.upsert([item('3', Float32Array.from([0, 0, 0]))])).toThrow(/product 3/);
    expect(index.size).toBe(0);
    expect(() => index.search([1, 0], 1)).toThrow(/expected 3/);
  });
});
