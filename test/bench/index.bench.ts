/**
 * pnpm bench:index — the product index by itself, at catalogue sizes a bench stack cannot reach
 * here. For each of BENCH_SIZES (10000,100000) products: synthetic embeddings of BENCH_DIMENSION
 * (192, the embedding model's) values in BENCH_CLUSTERS (300) clusters, as products fall into
 * categories, unit length, seeded. It measures
 *
 * - build: products a second, upserted in pages of 1,000 as the feed delivers them;
 * - search: µs a query at k = BENCH_K (60) with BENCH_EXCLUDED (20) products excluded by the
 *   filter, as a slate's interest search runs, over BENCH_QUERIES (1000) queries, median of
 *   BENCH_ROUNDS (3) rounds;
 * - recall@k without a filter: the share of the exact float32 top k found, over
 *   BENCH_RECALL_QUERIES (100) queries;
 * - a vector read (`vectorOf`), as slates read hundreds of candidates' vectors;
 * - the snapshot, written as the snapshot builder writes it: its bytes, then a fresh process
 *   (index-load.ts) reads it as a replica does, checksums included: load time; RSS the moment the
 *   load returned (what a replica holds when it reports ready) and at its peak; RSS after a
 *   garbage collection, less the same process's RSS before loading; each against the vectors' own
 *   size (products × dimension × 4 bytes, float32 as the feed carries them).
 *
 * BENCH_BASELINE_ROOT=<another checkout> runs that checkout's ProductIndex on the same vectors
 * and queries, alternating rounds, for ratios in the same run. Progress on stderr; a table, then
 * as its last line one JSON object on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sampleNormal, seededRng } from '@serendip/recsys';
import { DirectorySnapshotStore, writeSnapshot, type ProductIndex } from '@serendip/vectors';
import { median, printColumns } from './harness';

const ROOT = resolve(__dirname, '../..');
const MIB = 1024 * 1024;
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const DIMENSION = Number(process.env.BENCH_DIMENSION ?? 192);
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 300);
const K = Number(process.env.BENCH_K ?? 60);
const EXCLUDED = Number(process.env.BENCH_EXCLUDED ?? 20);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const RECALL_QUERIES = Number(process.env.BENCH_RECALL_QUERIES ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const READS = 100_000;
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;
/** A product's spread around its cluster's centre, per value, against the centre's 1: neighbours are close but not trivial. */
const PRODUCT_SPREAD = 1.2;
/** A query's spread: interests are broader than one product. */
const QUERY_SPREAD = 1.5;

interface Variant {
  name: string;
  root: string;
  ProductIndex: typeof ProductIndex;
}

interface Loaded {
  products: number;
  loadS: number;
  rssBeforeMb: number;
  rssLoadedMb: number;
  peakMb: number;
  rssAfterMb: number;
}

interface Figures {
  size: number;
  variant: string;
  buildPerS: number;
  searchUs: number;
  searchRoundsUs: number[];
  recall: number;
  readUs: number;
  snapshotMb: number;
  saveS: number;
  loaded: Loaded;
}

const progress = (message: string) => console.error(`bench: ${message}`);

/** `count` unit vectors, each its cluster's centre plus `spread` per value of Gaussian noise. */
function clustered(count: number, centres: readonly Float32Array[], spread: number, seed: number): Float32Array {
  const random = seededRng(seed);
  const rows = new Float32Array(count * DIMENSION);
  for (let row = 0; row < count; row += 1) {
    const centre = centres[Math.floor(random() * centres.length)]!;
    const vector = rows.subarray(row * DIMENSION, (row + 1) * DIMENSION);
    let squares = 0;
    for (let i = 0; i < DIMENSION; i += 1) {
      vector[i] = centre[i]! + spread * sampleNormal(random);
      squares += vector[i]! * vector[i]!;
    }
    const norm = Math.sqrt(squares);
    for (let i = 0; i < DIMENSION; i += 1) vector[i]! /= norm;
  }
  return rows;
}

const rowOf = (rows: Float32Array, row: number) => rows.subarray(row * DIMENSION, (row + 1) * DIMENSION);

/** Ids of the exact top k rows by dot product with `query`. */
function exactTop(rows: Float32Array, count: number, query: Float32Array, k: number): Set<string> {
  const scores = new Float32Array(count);
  for (let row = 0; row < count; row += 1) {
    let sum = 0;
    for (let i = 0, at = row * DIMENSION; i < DIMENSION; i += 1, at += 1) sum += query[i]! * rows[at]!;
    scores[row] = sum;
  }
  const order = Array.from({ length: count }, (_, row) => row).sort((a, b) => scores[b]! - scores[a]!);
  return new Set(order.slice(0, k).map(String));
}

function build(variant: Variant, rows: Float32Array, size: number): { index: ProductIndex; seconds: number } {
  const index = new variant.ProductIndex();
  const createdAt = new Date(0);
  const started = performance.now();
  for (let start = 0; start < size; start += 1000) {
    const end = Math.min(size, start + 1000);
    index.upsert(Array.from({ length: end - start }, (_, i) => ({ productId: String(start + i), categoryId: 'c', createdAt, vector: rowOf(rows, start + i) })));
    if (end % Math.max(1000, Math.round(size / 10 / 1000) * 1000) === 0 || end === size) {
      progress(`${variant.name}: ${end}/${size} built, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  return { index, seconds: (performance.now() - started) / 1000 };
}

async function loadInChild(variant: Variant, dir: string): Promise<Loaded> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', resolve(__dirname, 'index-load.ts'), variant.root, dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`index-load.ts exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop()!) as Loaded;
}

async function measureSize(size: number, variants: readonly Variant[]): Promise<Figures[]> {
  const centres = Array.from({ length: CLUSTERS }, (_, c) => {
    const random = seededRng(1000 + c);
    return Float32Array.from({ length: DIMENSION }, () => sampleNormal(random));
  });
  progress(`${size} products: generating vectors`);
  const rows = clustered(size, centres, PRODUCT_SPREAD, size);
  const queries = clustered(QUERIES, centres, QUERY_SPREAD, size + 1);
  const random = seededRng(size + 2);
  const exclusions = Array.from({ length: QUERIES }, () => new Set(Array.from({ length: EXCLUDED }, () => String(Math.floor(random() * size)))));
  progress(`${size} products: exact top ${K} of ${RECALL_QUERIES} queries`);
  const exact = Array.from({ length: Math.min(RECALL_QUERIES, QUERIES) }, (_, q) => exactTop(rows, size, rowOf(queries, q), K));

  const built = variants.map((variant) => ({ variant, ...build(variant, rows, size) }));
  const searchUs = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { variant, index } of built) {
      const started = performance.now();
      let found = 0;
      for (let q = 0; q < QUERIES; q += 1) {
        const excluded = exclusions[q]!;
        found += index.search(rowOf(queries, q), K, (productId) => !excluded.has(productId)).length;
      }
      if (found === 0) throw new Error(`${variant.name} found nothing`);
      searchUs.get(variant.name)!.push(((performance.now() - started) * 1000) / QUERIES);
    }
  }

  const figures: Figures[] = [];
  for (const { variant, index, seconds } of built) {
    let hits = 0;
    exact.forEach((top, q) => (hits += index.search(rowOf(queries, q), K).filter((hit) => top.has(hit.productId)).length));
    let sink = 0;
    const readStarted = performance.now();
    for (let i = 0; i < READS; i += 1) sink += index.vectorOf(String((i * 7919) % size))![0]!;
    const readUs = ((performance.now() - readStarted) * 1000) / READS;
    if (Number.isNaN(sink)) throw new Error('unreachable: keeps the reads from being optimised away');
    const dir = await mkdtemp(join(tmpdir(), 'serendip-bench-index-'));
    try {
      const saveStarted = performance.now();
      const manifest = await writeSnapshot(new DirectorySnapshotStore(dir), { index, cursor: null, embeddingModel: 'bench@1' });
      const saveS = (performance.now() - saveStarted) / 1000;
      progress(`${variant.name}: loading its ${size}-product snapshot in a fresh process`);
      figures.push({
        size,
        variant: variant.name,
        buildPerS: size / seconds,
        searchUs: median(searchUs.get(variant.name)!),
        searchRoundsUs: searchUs.get(variant.name)!,
        recall: hits / (exact.length * K),
        readUs,
        snapshotMb: Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0) / MIB,
        saveS,
        loaded: await loadInChild(variant, dir),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

async function main(): Promise<void> {
  const own = (await import('@serendip/vectors')) as { ProductIndex: typeof ProductIndex };
  const variants: Variant[] = [{ name: 'this checkout', root: ROOT, ProductIndex: own.ProductIndex }];
  if (BASELINE_ROOT) {
    const baseline = (await import(resolve(BASELINE_ROOT, 'packages/vectors/src/index.ts'))) as { ProductIndex: typeof ProductIndex };
    variants.push({ name: 'baseline', root: resolve(BASELINE_ROOT), ProductIndex: baseline.ProductIndex });
  }
  const loadAtStart = loadavg()[0]!;
  progress(`load ${loadAtStart.toFixed(2)}; sizes ${SIZES.join(', ')}; ${variants.map((variant) => variant.name).join(', ')}`);
  const figures: Figures[] = [];
  for (const size of SIZES) figures.push(...(await measureSize(size, variants)));

  const vectorsMb = (size: number) => (size * DIMENSION * 4) / MIB;
  const indexMb = (figure: Figures) => figure.loaded.rssAfterMb - figure.loaded.rssBeforeMb;
  printColumns(
    [
      'products',
      'index',
      'build /s',
      `search µs (k ${K}, ${EXCLUDED} excluded)`,
      `recall@${K}`,
      'vectorOf µs',
      'snapshot MiB',
      'load s',
      'RSS loaded / peak MiB',
      'settled RSS MiB',
      'index MiB (B/product)',
      'vectors MiB',
      'RSS / vectors (loaded, peak, settled)',
      'index / vectors',
    ],
    figures.map((figure) => [
      String(figure.size),
      figure.variant,
      figure.buildPerS.toFixed(0),
      `${figure.searchUs.toFixed(0)} (${figure.searchRoundsUs.map((us) => us.toFixed(0)).join(' ')})`,
      figure.recall.toFixed(4),
      figure.readUs.toFixed(2),
      figure.snapshotMb.toFixed(1),
      figure.loaded.loadS.toFixed(2),
      `${figure.loaded.rssLoadedMb.toFixed(0)} / ${figure.loaded.peakMb.toFixed(0)}`,
      figure.loaded.rssAfterMb.toFixed(0),
      `${indexMb(figure).toFixed(0)} (${((indexMb(figure) * MIB) / figure.size).toFixed(0)})`,
      vectorsMb(figure.size).toFixed(0),
      [figure.loaded.rssLoadedMb, figure.loaded.peakMb, figure.loaded.rssAfterMb].map((mb) => `${(mb / vectorsMb(figure.size)).toFixed(2)}×`).join(' '),
      `${(indexMb(figure) / vectorsMb(figure.size)).toFixed(2)}×`,
    ]),
  );
  const ratios = BASELINE_ROOT
    ? SIZES.map((size) => {
        const [mine, base] = ['this checkout', 'baseline'].map((name) => figures.find((figure) => figure.size === size && figure.variant === name)!);
        return {
          size,
          build_per_s: mine!.buildPerS / base!.buildPerS,
          search_us: median(mine!.searchRoundsUs.map((us, round) => us / base!.searchRoundsUs[round]!)),
          snapshot_mb: mine!.snapshotMb / base!.snapshotMb,
          load_s: mine!.loaded.loadS / base!.loaded.loadS,
          rss_loaded_mb: mine!.loaded.rssLoadedMb / base!.loaded.rssLoadedMb,
          peak_mb: mine!.loaded.peakMb / base!.loaded.peakMb,
          index_mb: indexMb(mine!) / indexMb(base!),
        };
      })
    : null;
  if (ratios) {
    console.log('\nThis checkout over the baseline (search: median of per-round ratios):');
    printColumns(
      ['products', 'build /s', 'search µs', 'snapshot', 'load s', 'RSS loaded', 'peak RSS', 'index memory'],
      ratios.map((ratio) => [
        String(ratio.size),
        ...[ratio.build_per_s, ratio.search_us, ratio.snapshot_mb, ratio.load_s, ratio.rss_loaded_mb, ratio.peak_mb, ratio.index_mb].map(
          (value) => `${value.toFixed(2)}×`,
        ),
      ]),
    );
  }
  const round3 = (value: number) => Number(value.toFixed(3));
  console.log(
    JSON.stringify({
      bench: 'index',
      dimension: DIMENSION,
      clusters: CLUSTERS,
      k: K,
      excluded: EXCLUDED,
      queries: QUERIES,
      rounds: ROUNDS,
      loadavg_1m: { start: round3(loadAtStart), end: round3(loadavg()[0]!) },
      results: figures.map((figure) => ({
        products: figure.size,
        index: figure.variant,
        build_per_s: Math.round(figure.buildPerS),
        search_us: round3(figure.searchUs),
        search_rounds_us: figure.searchRoundsUs.map(round3),
        recall_at_k: round3(figure.recall),
        vector_of_us: round3(figure.readUs),
        snapshot_mb: round3(figure.snapshotMb),
        save_s: round3(figure.saveS),
        load_s: round3(figure.loaded.loadS),
        rss_loaded_mb: round3(figure.loaded.rssLoadedMb),
        peak_rss_mb: round3(figure.loaded.peakMb),
        process_rss_mb: round3(figure.loaded.rssAfterMb),
        index_mb: round3(indexMb(figure)),
        vectors_mb: round3(vectorsMb(figure.size)),
        rss_over_vectors: round3(figure.loaded.rssAfterMb / vectorsMb(figure.size)),
        rss_loaded_over_vectors: round3(figure.loaded.rssLoadedMb / vectorsMb(figure.size)),
        peak_rss_over_vectors: round3(figure.loaded.peakMb / vectorsMb(figure.size)),
        index_over_vectors: round3(indexMb(figure) / vectorsMb(figure.size)),
      })),
      over_baseline: ratios?.map((ratio) => Object.fromEntries(Object.entries(ratio).map(([key, value]) => [key, round3(value)]))) ?? null,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
