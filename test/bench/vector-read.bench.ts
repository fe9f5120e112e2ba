/**
 * pnpm bench:vector-read — what reading one product's vector costs, as slates do for every
 * candidate (interest affinity, MMR diversity, bandit context): ProductIndex.vectorOf (8-bit codes
 * decoded into a Float32Array) against the two ways of keeping one full-precision copy, in the same
 * run: a Float32Array slice (the store ProductIndex kept beside the graph before, a second copy of
 * every vector) and hnswlib's getPoint (the graph's own copy, handed over as a JS array). Also the
 * cosine of each decoded vector to the original. BENCH_PRODUCTS (20000) random unit vectors of
 * BENCH_DIMENSION (192, the embedding model's) values, BENCH_READS (200000) reads per way, rounds
 * alternating the ways (BENCH_ROUNDS, 3). Table, then one JSON line.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { HierarchicalNSW } from 'hnswlib-node';
import { sampleNormal, seededRng } from '@serendip/recsys';
import { ProductIndex } from '@serendip/vectors';
import { printColumns } from './harness';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 20_000);
const DIMENSION = Number(process.env.BENCH_DIMENSION ?? 192);
const READS = Number(process.env.BENCH_READS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function main(): void {
  const random = seededRng(11);
  const vectors = new Float32Array(PRODUCTS * DIMENSION);
  for (let row = 0; row < PRODUCTS; row += 1) {
    const vector = vectors.subarray(row * DIMENSION, (row + 1) * DIMENSION);
    for (let i = 0; i < DIMENSION; i += 1) vector[i] = sampleNormal(random);
    const norm = Math.hypot(...vector);
    for (let i = 0; i < DIMENSION; i += 1) vector[i]! /= norm;
  }
  console.error(`bench: indexing ${PRODUCTS} vectors of ${DIMENSION}…`);
  const index = new ProductIndex({ initialCapacity: PRODUCTS });
  const createdAt = new Date(0);
  for (let start = 0; start < PRODUCTS; start += 1000) {
    index.upsert(
      Array.from({ length: Math.min(1000, PRODUCTS - start) }, (_, offset) => ({
        productId: String(start + offset),
        categoryId: 'c',
        createdAt,
        vector: vectors.subarray((start + offset) * DIMENSION, (start + offset + 1) * DIMENSION),
      })),
    );
  }
  // getPoint's own graph, filled the same way, so the comparison is of reads alone.
  const graph = new HierarchicalNSW('ip', DIMENSION);
  graph.initIndex({ maxElements: PRODUCTS, m: 16, efConstruction: 100 });
  for (let row = 0; row < PRODUCTS; row += 1) graph.addPoint(Array.from(vectors.subarray(row * DIMENSION, (row + 1) * DIMENSION)), row);

  const ids = Array.from({ length: PRODUCTS }, (_, row) => String(row));
  // The other ways look the product's label up as vectorOf does, so only the read itself differs.
  const labels = new Map(ids.map((id, row) => [id, row]));
  const ways: Record<string, (row: number) => ArrayLike<number>> = {
    'vectorOf (8-bit codes)': (row) => index.vectorOf(ids[row]!)!,
    'Float32Array slice (second copy)': (row) => {
      const label = labels.get(ids[row]!)!;
      return vectors.slice(label * DIMENSION, (label + 1) * DIMENSION);
    },
    'hnswlib getPoint (graph copy)': (row) => Float32Array.from(graph.getPoint(labels.get(ids[row]!)!)),
  };
  const micros: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((way) => [way, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [way, read] of Object.entries(ways)) {
      let sink = 0;
      const started = performance.now();
      for (let i = 0; i < READS; i += 1) sink += read((i * 7919) % PRODUCTS)[0]!;
      micros[way]!.push(((performance.now() - started) * 1000) / READS);
      if (Number.isNaN(sink)) throw new Error('unreachable: keeps the reads from being optimised away');
    }
  }
  let worstCosine = 1;
  for (let row = 0; row < PRODUCTS; row += 1) {
    const decoded = index.vectorOf(ids[row]!)!;
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < DIMENSION; i += 1) {
      dot += decoded[i]! * vectors[row * DIMENSION + i]!;
      norm += decoded[i]! * decoded[i]!;
    }
    worstCosine = Math.min(worstCosine, dot / Math.sqrt(norm));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const baseline = median(micros['Float32Array slice (second copy)']!);
  printColumns(
    ['way', 'µs per vector (median of rounds)', 'rounds', '× the slice'],
    Object.entries(micros).map(([way, values]) => [
      way,
      median(values).toFixed(2),
      values.map((value) => value.toFixed(2)).join(' '),
      `${(median(values) / baseline).toFixed(2)}×`,
    ]),
  );
  console.log(`worst cosine of a decoded vector to its original: ${worstCosine.toFixed(6)}`);
  console.log(
    JSON.stringify({
      bench: 'vector-read',
      products: PRODUCTS,
      dimension: DIMENSION,
      reads: READS,
      rounds: ROUNDS,
      loadavg_1m: Number(loadavg()[0]!.toFixed(2)),
      us_per_vector: Object.fromEntries(Object.entries(micros).map(([way, values]) => [way, Number(median(values).toFixed(3))])),
      vector_of_over_slice: Number((median(micros['vectorOf (8-bit codes)']!) / baseline).toFixed(2)),
      get_point_over_slice: Number((median(micros['hnswlib getPoint (graph copy)']!) / baseline).toFixed(2)),
      worst_cosine: Number(worstCosine.toFixed(6)),
    }),
  );
}

main();
