import { sampleNormal, seededRng } from '@serendip/recsys';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWhole, type FileSource } from '../src/file-source';
import { Hnsw } from '../src/hnsw';
import { Int8Rows } from '../src/int8-rows';

const folder = mkdtempSync(join(tmpdir(), 'hnsw-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

/** What `read` makes of `bytes` once they are a file, read as an index load reads its files. */
function fromFile<T>(bytes: Uint8Array, read: (source: FileSource) => Promise<T>): Promise<T> {
  const path = join(folder, `file-${(files += 1)}`);
  writeFileSync(path, bytes);
  return readWhole(path, read);
}

function gaussianRows(count: number, dimension: number, seed: number): Float32Array[] {
  const next = seededRng(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dimension }, () => sampleNormal(next)));
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
};

/** Labels of the `k` rows with the highest dot product with `query`, exactly. */
const exactTop = (rows: Int8Rows, count: number, query: Float32Array, k: number) =>
  Array.from({ length: count }, (_, label) => ({ label, score: dot(rows.read(label), query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((hit) => hit.label);

function recall(graph: Hnsw, queries: Float32Array[], k: number): number {
  let found = 0;
  for (const query of queries) {
    const exact = new Set(exactTop(graph.rows, graph.size, query, k));
    found += graph.search(query, k, 64).filter((hit) => exact.has(hit.label)).length;
  }
  return found / (queries.length * k);
}

describe('Int8Rows', () => {
  it.each([1, 15, 16, 17, 100, 192])('scores two rows and a query in SIMD exactly as the decoded values give, at %i values', (dimension) => {
    const vectors = gaussianRows(40, dimension, dimension);
    const rows = new Int8Rows(dimension, 4);
    // Growing past the first capacity, and past a 64 KiB page at the larger sizes, moves nothing.
    rows.grow(2000);
    vectors.forEach((vector, row) => rows.write(row, vector));
    const decoded = vectors.map((_, row) => rows.read(row));
    rows.setQuery(vectors[3]!);
    for (let row = 0; row < vectors.length; row += 1) {
      expect(rows.rowDot(row, 7)).toBeCloseTo(dot(decoded[row]!, decoded[7]!), 4);
      // The query to 8 bits is the same codes as row 3.
      expect(rows.queryDot(row)).toBeCloseTo(dot(decoded[row]!, decoded[3]!), 4);
      expect(rows.exactDot(vectors[3]!, row)).toBeCloseTo(dot(decoded[row]!, vectors[3]!), 4);
      // Each value within half a step of the vector's own, the step being its largest value / 127.
      const step = Math.max(...vectors[row]!.map(Math.abs)) / 127;
      decoded[row]!.forEach((value, i) => expect(Math.abs(value - vectors[row]![i]!)).toBeLessThanOrEqual(step / 2 + 1e-6));
    }
  });

  it('makes unit rows of norm 1 and keeps the direction to a cosine above 0.9999', () => {
    const vectors = gaussianRows(50, 192, 3);
    const rows = new Int8Rows(192, 50, true);
    vectors.forEach((vector, row) => rows.write(row, vector));
    vectors.forEach((vector, row) => {
      const read = rows.read(row);
      expect(Math.hypot(...read)).toBeCloseTo(1, 6);
      expect(dot(read, vector) / Math.hypot(...vector)).toBeGreaterThan(0.9999);
    });
  });

  it.each([
    ['padded in memory (20 values in rows of 32 bytes)', 20],
    ['unpadded (32 values)', 32],
  ])('reads back what it serialised, %s, and refuses bytes of the wrong length', async (_case, dimension) => {
    // More rows than a read block, so blocks and their ends are crossed.
    const count = 5000;
    const vectors = gaussianRows(count, dimension, 4);
    const rows = new Int8Rows(dimension, count);
    vectors.forEach((vector, row) => rows.write(row, vector));
    const bytes = rows.serialise(count);
    expect(bytes).toHaveLength(count * (4 + dimension));
    const copy = await fromFile(bytes, (source) => Int8Rows.read(source, dimension, count, count));
    for (let row = 0; row < count; row += 1) expect(copy.read(row)).toEqual(rows.read(row));
    await expect(fromFile(bytes.subarray(0, 100), (source) => Int8Rows.read(source, dimension, count, count))).rejects.toThrow(
      `100 bytes of codes, ${count} rows need ${bytes.length}`,
    );
  });
});

describe('Hnsw', () => {
  const dimension = 48;
  const build = (vectors: Float32Array[]) => {
    const graph = new Hnsw(new Int8Rows(dimension, 16, true), { m: 12, efConstruction: 80 });
    vectors.forEach((vector, label) => graph.set(label, vector));
    return graph;
  };

  it('finds at least 95% of the exact 10 best among 4,000 vectors, and within 3 points of that after a quarter of them change', () => {
    const vectors = gaussianRows(4000, dimension, 11);
    const graph = build(vectors);
    expect(graph.size).toBe(4000);
    const queries = gaussianRows(100, dimension, 12);
    const before = recall(graph, queries, 10);
    expect(before).toBeGreaterThanOrEqual(0.95);

    // Re-linked in place: the size stays, the moved vectors are found at their new places.
    const moved = gaussianRows(1000, dimension, 13);
    moved.forEach((vector, i) => graph.set(i * 4, vector));
    expect(graph.size).toBe(4000);
    expect(recall(graph, queries, 10)).toBeGreaterThanOrEqual(before - 0.03);
    const found = moved.filter((vector, i) => graph.search(vector, 1, 64)[0]?.label === i * 4).length;
    expect(found / moved.length).toBeGreaterThanOrEqual(0.99);
  });

  it('leaves what `allowed` refuses out of the hits without losing places', () => {
    const vectors = gaussianRows(800, dimension, 21);
    const graph = build(vectors);
    const query = vectors[5]!;
    const best = exactTop(graph.rows, graph.size, query, 20);
    const refused = new Set(best.slice(0, 10));
    const hits = graph.search(query, 10, 64, (label) => !refused.has(label));
    expect(hits.map((hit) => hit.label)).toEqual(best.slice(10));
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });

  it('reads back a serialised graph that answers every search the same, and refuses damaged bytes', async () => {
    const vectors = gaussianRows(1500, dimension, 31);
    const graph = build(vectors);
    const rows = await fromFile(graph.rows.serialise(graph.size), (source) => Int8Rows.read(source, dimension, graph.size, graph.size, true));
    const bytes = graph.serialise();
    const readGraph = (graphBytes: Uint8Array, over = rows) => fromFile(graphBytes, (source) => Hnsw.read(source, over));
    const copy = await readGraph(bytes);
    expect(copy.size).toBe(1500);
    expect([copy.m, copy.efConstruction]).toEqual([12, 80]);
    for (const query of gaussianRows(30, dimension, 32)) expect(copy.search(query, 10, 64)).toEqual(graph.search(query, 10, 64));
    // It grows and links new nodes as the original would.
    copy.set(1500, vectors[0]!);
    expect(
      copy
        .search(vectors[0]!, 2, 64)
        .map((hit) => hit.label)
        .sort(),
    ).toEqual([0, 1500]);

    await expect(readGraph(bytes.subarray(0, bytes.length - 4))).rejects.toThrow('not a graph: upper links cut short');
    await expect(readGraph(bytes.subarray(0, 30 * 4))).rejects.toThrow('not a graph: levels cut short');
    await expect(readGraph(bytes.subarray(0, 1000 * 4))).rejects.toThrow('not a graph: level-0 links cut short');
    await expect(readGraph(Buffer.concat([bytes, Buffer.alloc(4)]))).rejects.toThrow('not a graph: bytes left over');
    const wrongMagic = Buffer.from(bytes);
    wrongMagic[0] = wrongMagic[0]! ^ 1;
    await expect(readGraph(wrongMagic)).rejects.toThrow('not a graph: wrong magic number');
    await expect(readGraph(bytes, new Int8Rows(dimension, 10))).rejects.toThrow('the graph has 1500 nodes, the rows only 10');
    // The header's entry point (its fifth word) turned into a node that does not exist.
    const badEntry = Buffer.from(bytes);
    badEntry.writeInt32LE(1500, 4 * 4);
    await expect(readGraph(badEntry)).rejects.toThrow('not a graph: its entry point is not a top-level node');
    // Node 0's first link (after the header's 6 words and 1,500 level bytes) turned into a node that does not exist.
    const badLink = Buffer.from(bytes);
    badLink.writeInt32LE(99_999, (6 + 375 + 1) * 4);
    await expect(readGraph(badLink)).rejects.toThrow('not a graph: node 0 links to 99999');
  });

  it('answers an empty graph, one node, and a label that skips ahead', () => {
    const graph = new Hnsw(new Int8Rows(3, 1, true));
    expect(graph.search([1, 0, 0], 5, 10)).toEqual([]);
    graph.set(0, [0, 3, 4]);
    expect(graph.search([0, 1, 0], 5, 10)).toEqual([{ label: 0, score: expect.closeTo(0.6, 2) }]);
    graph.set(0, [1, 0, 0]);
    expect(graph.search([1, 0, 0], 5, 10)).toEqual([{ label: 0, score: expect.closeTo(1, 6) }]);
    expect(() => graph.set(2, [1, 0, 0])).toThrow('label 2 skips past the next, 1');
  });
});
