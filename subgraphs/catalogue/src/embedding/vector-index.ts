/**
 * Exact nearest neighbours by inner product over L2-normalised vectors (so inner product is cosine
 * similarity). A flat scan of n×d floats: for the catalogue sizes served here (tens of thousands)
 * it costs milliseconds; an ANN index takes over when catalogues grow (recommendation issue).
 */
export class VectorIndex {
  private constructor(
    readonly ids: readonly string[],
    private readonly matrix: Float32Array,
    readonly dimension: number,
  ) {}

  static fromRows(rows: { id: string; vector: Float32Array }[], dimension: number): VectorIndex {
    const matrix = new Float32Array(rows.length * dimension);
    rows.forEach((row, index) => {
      if (row.vector.length !== dimension) throw new Error(`vector of ${row.id} has ${row.vector.length} values, expected ${dimension}`);
      matrix.set(row.vector, index * dimension);
    });
    return new VectorIndex(
      rows.map((row) => row.id),
      matrix,
      dimension,
    );
  }

  get size(): number {
    return this.ids.length;
  }

  /** The `k` most similar entries, best first; ties keep index order so results are stable. */
  search(query: Float32Array, k: number): { id: string; score: number }[] {
    if (query.length !== this.dimension) throw new Error(`query has ${query.length} values, expected ${this.dimension}`);
    const top: { index: number; score: number }[] = [];
    const d = this.dimension;
    for (let row = 0; row < this.ids.length; row += 1) {
      let score = 0;
      const offset = row * d;
      for (let i = 0; i < d; i += 1) score += this.matrix[offset + i]! * query[i]!;
      if (top.length < k) {
        top.push({ index: row, score });
        if (top.length === k) top.sort((a, b) => a.score - b.score);
      } else if (score > top[0]!.score) {
        // Keep `top` sorted ascending; k is small (a page), so insertion beats a heap here.
        top[0] = { index: row, score };
        for (let i = 0; i + 1 < top.length && top[i]!.score > top[i + 1]!.score; i += 1) {
          [top[i], top[i + 1]] = [top[i + 1]!, top[i]!];
        }
      }
    }
    return top.sort((a, b) => b.score - a.score || a.index - b.index).map(({ index, score }) => ({ id: this.ids[index]!, score }));
  }
}

/** float32 little-endian bytes, the storage format of `product_embedding.vector`. */
export function vectorToBuffer(vector: Float32Array): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer;
}

export function bufferToVector(buffer: Buffer): Float32Array {
  const vector = new Float32Array(buffer.length / 4);
  for (let index = 0; index < vector.length; index += 1) vector[index] = buffer.readFloatLE(index * 4);
  return vector;
}
