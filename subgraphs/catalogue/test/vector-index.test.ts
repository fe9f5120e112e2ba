import { bufferToVector, vectorToBuffer, VectorIndex } from '../src/embedding/vector-index';

const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values.map((value) => value / norm));
};

describe('VectorIndex', () => {
  const rows = [
    { id: 'a', vector: unit([1, 0, 0]) },
    { id: 'b', vector: unit([0.9, 0.1, 0]) },
    { id: 'c', vector: unit([0, 1, 0]) },
    { id: 'd', vector: unit([0, 0, 1]) },
    { id: 'e', vector: unit([0.5, 0.5, 0]) },
  ];
  const index = VectorIndex.fromRows(rows, 3);

  it('returns the k nearest by cosine, best first', () => {
    expect(index.search(unit([1, 0, 0]), 3).map((hit) => hit.id)).toEqual(['a', 'b', 'e']);
    expect(index.search(unit([0, 1, 0]), 2).map((hit) => hit.id)).toEqual(['c', 'e']);
    expect(index.search(unit([1, 0, 0]), 1)[0]!.score).toBeCloseTo(1, 6);
  });

  it('agrees with a full sort on random data', () => {
    const random = Array.from({ length: 500 }, (_, i) => ({
      id: String(i),
      vector: unit([Math.sin(i), Math.cos(i * 1.7), Math.sin(i * 0.3) + 0.1, Math.cos(i) * 0.5]),
    }));
    const big = VectorIndex.fromRows(random, 4);
    const query = unit([0.3, -0.2, 0.9, 0.1]);
    const expected = random
      .map((row) => ({ id: row.id, score: row.vector.reduce((sum, value, i) => sum + value * query[i]!, 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10)
      .map((hit) => hit.id);
    expect(big.search(query, 10).map((hit) => hit.id)).toEqual(expected);
  });

  it('returns everything when k exceeds the size, and refuses a wrong dimension', () => {
    expect(index.search(unit([1, 1, 1]), 50)).toHaveLength(5);
    expect(() => index.search(Float32Array.from([1, 0]), 2)).toThrow(/expected 3/);
    expect(() => VectorIndex.fromRows([{ id: 'x', vector: Float32Array.from([1]) }], 3)).toThrow(/expected 3/);
  });

  it('stores vectors as float32 bytes without loss', () => {
    const vector = Float32Array.from([0.125, -3.5, 1e-7, 42]);
    expect(bufferToVector(vectorToBuffer(vector))).toEqual(vector);
  });
});
