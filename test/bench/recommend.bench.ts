/**
 * pnpm bench:recommend — what one `recommendations(first: 20)` costs through the gateway as the
 * catalogue grows (BENCH_SIZES, default 10k, 100k and 1M products): p50, p99 and req/s of a closed
 * loop, plus the recommendation process's product index load time and memory at each size. The
 * goal is that the largest catalogue costs at most twice the smallest (p50 ratio).
 *
 * Catalogue: real products first. The Amazon Beauty titles (amazon_beauty_item_titles, with their
 * S3-Rec categories) and the UCI Online Retail stock items (most frequent description) of
 * SERENDIP_DATA_DIR, mapped to products exactly as the demo import does: about 14k. Their vectors
 * come from the real embedding model (in this process, INFERENCE_THREADS=2) on the very text the
 * worker would embed, computed once and kept in .run/bench-recommend/ (git-ignored). A catalogue
 * smaller than the real set takes the shoppers' products and then a fixed shuffle of the rest;
 * a larger one adds copies of real products: title "<title> · variant N", the source's category,
 * brand, price and tags, and as vector the source's plus Gaussian noise, renormalised, with sigma
 * chosen so a copy's cosine to its source is about BENCH_COPY_COSINE (0.9). Products and vectors
 * are written straight into the catalogue's database with its own stores (CatalogueImportStore,
 * ProductEmbeddingStore, under the model name and version the catalogue serves), so the
 * catalogue starts with EMBEDDING_BACKFILL=off and nothing is re-embedded.
 *
 * Shoppers: the first BENCH_SHOPPERS Amazon Beauty purchase sequences with at least four titled
 * items sign up through the gateway and send their newest (up to eight) items as trackEvents
 * (VIEW, then CART for the second newest, PURCHASE for the newest). The worker computes their
 * interest profiles from those events as in production; once every profile is stored it is
 * stopped, so the measurement runs the serving processes only (gateway, user, catalogue,
 * recommendation; feedback idles). The same shoppers and events are used at every size.
 *
 * Each size gets its own throwaway stack (production mode, own ports, databases, queue and pub/sub
 * prefixes, all removed at the end, also on failure or SIGINT). The recommendation subgraph builds
 * its HNSW index from the catalogue's productVectorFeed at start; the bench waits for its line
 * "product index loaded: N products" and records the load time and the process's memory; then
 * snapshot-ready.ts builds an index snapshot of it (`pnpm index:snapshot`) and times a second
 * replica started on that snapshot, from process start to /readyz 200, with its memory, then a
 * second catalogue on it likewise (its semantic index, beside the stack's catalogue's load of the
 * whole feed, from its line "semantic search index loaded"). All
 * stacks stay up, idle, until every size is ready; then a closed loop (BENCH_CONCURRENCY 8
 * callers, BENCH_WARMUP_SECONDS 5 of warm-up per size) runs BENCH_ROUNDS (2) rounds of
 * BENCH_SECONDS (10) per size, alternating the sizes, so other load on the machine falls on every
 * size alike; figures are means over the rounds. Every served slate is logged
 * (recommendation_slate, recommendation_item), which is part of the measured cost. Beside the
 * gateway figure, the same query sent straight to the recommendation subgraph (signed identity,
 * product ids only; BENCH_DIRECT=0 skips it) shows the slate's own share. A size that cannot be
 * prepared (time, memory) is reported as failed and the others are still measured. Then one
 * caller (BENCH_SINGLE_SECONDS 5 per path; 0 skips it), sequence off, sends the full query through
 * the gateway, the subgraph's own query through the gateway and that query straight to the
 * subgraph, BENCH_SINGLE_ROUNDS (3) rounds: without queueing, p50 through the gateway less the
 * subgraph's (the median of the rounds' p50s of each) is the time the gateway adds (goal under
 * 5 ms), by itself and with its call to the catalogue. With BENCH_BASELINE_ROOT=<another
 * checkout, node_modules installed or linked>, that checkout's gateway also runs the subgraph's
 * query over the same subgraphs in each round: the gateway before a change, in the same run.
 * Each run also
 * reads the replica's serendip_slate_step_seconds before and after, so the report breaks a slate's
 * time down by step (SLATE_STEPS: signals, candidate queries, ANN search, fusion, policy, reasons,
 * the logged insert, bandit bookkeeping, mapping): the profile to cut costs from. With
 * BENCH_CPU_PROFILE_DIR set, each size's recommendation and gateway processes also write a V8 CPU
 * profile there when they stop, one file per thread in <process>-<size>/ (the largest is the main
 * thread's; open it in Chrome's DevTools or speedscope).
 *
 * The sequence source, on and off (goal: slate p99 with it within 1.2× of without it at every
 * size). Once a size's profiles are stored and its worker stopped, the bench writes a sequence
 * model version for that catalogue into the stack's own SEQUENCE_MODEL_DIR: every product an item
 * (items.json, catalogue order), 64 dimensions as the trainer's default, item vectors drawn from a
 * seeded Gaussian and scaled to log-normal norms (a trained model's norms differ by item), a card
 * of the trainer's shape that says it was not trained, as sequence.onnx a copy of the cycle-12
 * test fixture, and the item index built and saved beside them as training does before it
 * promotes a version (timed: the trainer's cost, once per version). These vectors were never learned, and the graph is not this model's: the
 * recommendation replica never loads the graph (only the worker does, and it is stopped), and what
 * a slate pays for the source (the HNSW build, the inner-product search, 200 more candidates to
 * fuse) depends mostly on the index's size and dimension, not on how its vectors were learned.
 * Not entirely: Gaussian vectors have none of a trained model's clusters, which makes the graph
 * search a little harder (at 13,447 items, 0.67 ms a search against 0.54 ms over a version
 * trained on the demo data, same machine and hour), and they spread the source's candidates over
 * the whole catalogue where a trained model favours the items shoppers choose; both make this a
 * pessimistic stand-in. The
 * version is promoted with SequenceModelStore as training promotes one; the replica, polling the
 * registry every SEQUENCE_MODEL_POLL_MS (500 ms here), reads that index, and the bench waits for
 * its line "sequence model <version> serving, loaded in N ms" and records that time and the
 * process's memory. Each shopper gets a query in that version's space (see benchQuery) stored in
 * interest_profile. A slate uses the source only when the stored query's version is the serving
 * one, so the bench switches it per run by renaming the version in the shoppers' interest_profile
 * .sequence_queries (to "<version>-off" for off, back for on): same stack, same shoppers, same
 * index in memory. Every round measures both modes of every size, off then on in odd rounds and
 * on then off in even ones, so drift in the machine's load falls on both. Before each run one
 * checked slate per mode must carry the version and a `sequence` item (on) or neither (off), and
 * in "off" runs a served `sequence` item counts as an error, so a mode that is not what it says
 * fails loudly. The existing per-size figures (gateway, recommendation_subgraph) are the "off"
 * runs, as the source did not exist before. Each run also records the CPU time the gateway,
 * catalogue and recommendation processes spent on it per request (/proc): the closed loop keeps
 * the recommendation process busy, so its latency follows its CPU time per slate, and unlike
 * latency that figure moves little with other work on the machine. Beside them: MariaDB's, the
 * bench's own (the callers) and the whole machine's CPU per request, whose inverse times the cores
 * is the most slates a second this machine could give at that cost, whatever the replica does.
 *
 * Progress on stderr; tables, then as its last line one JSON object on stdout.
 */
import { commonEnv, loadConfig } from '@serendip/config';
import { DATABASE_OWNERS, dropDatabase } from '@serendip/db';
import { signIdentity } from '@serendip/federation';
import { dropRedisKeys, metricValue, postGraphQL, testSecrets } from '@serendip/testing';
import { sampleNormal, seededRng } from '@serendip/recsys';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { planBeauty, planRetail, type ProductDraft } from '../../tools/demo-data/src/plan';
import { PROFILE_LIMITS } from '../../tools/demo-data/src/profile';
import { beautySku } from '../../tools/demo-data/src/link';
import { readBeauty } from '../../tools/demo-data/src/sources/amazon-beauty.source';
import { readRetail } from '../../tools/demo-data/src/sources/online-retail.source';
import { loadInferenceConfig, resolveEmbeddingModel } from '../../packages/inference/src';
import { textHash } from '../../packages/jobs/src';
import { MODEL_FILES, sequenceVersionDir, type SequenceModelCard } from '../../packages/sequence/src';
import { InnerProductIndex } from '@serendip/vectors';
import { openCatalogueDataSource } from '../../subgraphs/catalogue/src/data-source';
import { productEmbeddingText, ProductEmbeddingStore } from '../../subgraphs/catalogue/src/embedding/product-embedding.store';
import { normaliseBrand, normaliseTags, normaliseTitle } from '../../subgraphs/catalogue/src/product/product.fields';
import { CatalogueImportStore } from '../../subgraphs/catalogue/src/import/catalogue-import.store';
import { openRecommendationDataSource } from '../../subgraphs/recommendation/src/data-source';
import { InterestStore } from '../../subgraphs/recommendation/src/interest/interest.store';
import { EmbeddingCache, PRODUCT_CHUNK, VECTOR_CHUNK, writeProducts, type CatalogueDataSource as DataSource } from '../../scripts/catalogue-seed';
import { SequenceModelStore } from '../../subgraphs/recommendation/src/sequence/sequence-model.store';
import { SLATE_STEPS, type SlateStep } from '../../subgraphs/recommendation/src/slate/slate-steps';
import { dbSetupConfigSchema, setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, stackEnv, type RunningStack, type StackPorts } from '../../scripts/stack';
import {
  cleanUpOnSignal,
  inParallel,
  type LoadResult,
  type Memory,
  memoryOf,
  percentile,
  printColumns,
  printTable,
  machineCpuSeconds,
  processCpuSeconds,
  runLoad,
  serverPids,
  sleep,
  startExtraGateway,
} from './harness';
import { measureSnapshotReady, printCatalogueSnapshotReady, printSnapshotReady, snapshotFigures, type SnapshotReady } from './snapshot-ready';

const ROOT = resolve(__dirname, '../..');
const DATA_DIR = process.env.SERENDIP_DATA_DIR ?? resolve(ROOT, '../shared/data');
const CACHE_FILE = resolve(ROOT, '.run/bench-recommend/embeddings.jsonl');
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map((size) => Number(size.trim()));
const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Measured seconds per size and round; rounds alternate between the sizes. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
/** Seconds of each one-caller run (the gateway's own time per slate, without queueing); 0 skips them. */
const SINGLE_SECONDS = Number(process.env.BENCH_SINGLE_SECONDS ?? 5);
/** One-caller rounds: each runs every path once, in turn. */
const SINGLE_ROUNDS = Number(process.env.BENCH_SINGLE_ROUNDS ?? 3);
/** Another checkout (with node_modules) whose gateway also runs the one-caller rounds over each size's subgraphs: a baseline in the same run. */
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;
/** Also run the query straight against the recommendation subgraph (0 turns it off). */
const DIRECT = process.env.BENCH_DIRECT !== '0';
const COPY_COSINE = Number(process.env.BENCH_COPY_COSINE ?? 0.9);
const INDEX_TIMEOUT_MS = Number(process.env.BENCH_INDEX_TIMEOUT_MS ?? 30 * 60_000);
/** A directory for a CPU profile of each size's PROFILED processes (.cpuprofile, written when they stop); unset: none. */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
const PROFILE_TIMEOUT_MS = 180_000;
/** The processes a slate's CPU time mostly goes to, profiled with BENCH_CPU_PROFILE_DIR. */
const PROFILED = ['recommendation', 'gateway'] as const;
const SEED = 20260101;
const FIRST = 20;
const HISTORY = 8;
const MIN_HISTORY = 4;
const CORES = availableParallelism();
/** The benchmark sequence model's shape: the trainer's defaults (models/training/sequence_model.py). */
const SEQUENCE_SHAPE = { dim: 64, layers: 2, heads: 1, maxLen: 50, dropout: 0.5 } as const;
/**
 * σ of the item vectors' log norms. A trained model's norms differ by item (in inner-product
 * scoring the norm carries how often an item is chosen next); 0.25 is wider than the 0.09 of a
 * 64-dimension version trained on the demo data (kept epoch 3 of 5), so the index is not handed
 * the nearly equal norms under which inner product is just cosine.
 */
const SEQUENCE_NORM_SIGMA = 0.25;
/**
 * A trained query is the model's last LayerNorm output, of norm about sqrt(dim) (7.9–8.0 for that
 * demo-data version). Only the scores' scale depends on it: neither the search's order nor the
 * fused order (min-max per source) does.
 */
const SEQUENCE_QUERY_NORM = Math.sqrt(SEQUENCE_SHAPE.dim);
/** The replica's registry poll while the bench waits for its version: short, and the same for both modes. */
const SEQUENCE_POLL_MS = 500;
/** Any graph that exists will do: the recommendation replica never loads it. */
const SEQUENCE_GRAPH = resolve(ROOT, 'packages/sequence/test/fixtures/cycle-12/sequence.onnx');
const MODES = ['off', 'on'] as const;
type SequenceMode = (typeof MODES)[number];

const QUERY = `query { recommendations(first: ${FIRST}) { recommendationId items { score source reason product { id title price } } } }`;
const DIRECT_QUERY = `query { recommendations(first: ${FIRST}) { recommendationId items { score source reason product { id } } } }`;
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';

/** Whether the slate used the sequence source: the version it logged, and each item's source. */
const CHECK_QUERY = `query { recommendations(first: ${FIRST}) { sequenceModelVersion items { source } } }`;

type Slate = { recommendations: { recommendationId: string; items: { source: string; product: { id: string } }[] } };
type CheckedSlate = { recommendations: { sequenceModelVersion: string | null; items: { source: string }[] } };

interface ShopperPlan {
  /** Newest last. */
  skus: string[];
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const progress = (message: string) => console.error(`bench: ${message}`);

/**
 * For unit v and noise n ~ N(0, σ²I) in d dimensions, cos(v, v + n) ≈ 1 / sqrt(1 + dσ²), so this
 * σ gives copies at about `cosine` to their source.
 */
const noiseSigma = (cosine: number, dimension: number) => Math.sqrt((1 / (cosine * cosine) - 1) / dimension);

function noisyCopy(source: Float32Array, sigma: number, random: () => number): { vector: Float32Array; cosine: number } {
  const vector = new Float32Array(source.length);
  let norm = 0;
  for (let i = 0; i < source.length; i += 1) {
    vector[i] = source[i]! + sigma * sampleNormal(random);
    norm += vector[i]! * vector[i]!;
  }
  norm = Math.sqrt(norm);
  let cosine = 0;
  for (let i = 0; i < vector.length; i += 1) {
    vector[i]! /= norm;
    cosine += vector[i]! * source[i]!;
  }
  return { vector, cosine };
}

/** "<title> · variant N", the title shortened (never the suffix) to the catalogue's 500 characters. */
function variantTitle(title: string, variant: number): string {
  const suffix = ` · variant ${variant}`;
  const chars = [...title];
  if (chars.length + suffix.length <= 500) return title + suffix;
  return `${chars
    .slice(0, 500 - suffix.length - 1)
    .join('')
    .trimEnd()}…${suffix}`;
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : round((100 * part) / whole, 1);
}

/** The stack's processes a slate passes through whose CPU time is counted per request. */
const STACK_COUNTED = ['gateway', 'catalogue', 'recommendation'] as const;
/**
 * Counted per request too: the database server (shared with the other sizes' idle stacks), this
 * process (the callers) and the whole machine, all cores and everything on it. The machine's
 * figure bounds the rate: no change to one process can take the machine past cores × 1000 / it.
 */
const COUNTED = [...STACK_COUNTED, 'mariadb', 'bench', 'machine'] as const;
type Counted = (typeof COUNTED)[number];
/** CPU seconds a stack process has used so far; NaN where it cannot be read, so a missing figure shows as one. */
const cpuSecondsOf = (pid: number | undefined): number => (pid === undefined ? Number.NaN : (processCpuSeconds(pid) ?? Number.NaN));

/**
 * A load run and the CPU time each counted process spent on it, per request: it moves far less
 * than latency with other load on the machine, so it shows what a change costs the process itself.
 */
interface MeasuredRun extends LoadResult {
  cpuMsPerRequest: Record<Counted, number>;
  /** Mean milliseconds of each slate step over the run's slates (the replica's serendip_slate_step_seconds). */
  stepMs: Record<SlateStep, number>;
}

/** Each step's total seconds and count so far, from the replica's /metrics. */
type StepTotals = Record<SlateStep, { sum: number; count: number }>;

/**
 * The real products in catalogue order (the shoppers' products first, then the rest in a fixed
 * shuffle) and the shoppers' histories.
 */
async function realCatalogue(): Promise<{ products: ProductDraft[]; shoppers: ShopperPlan[] }> {
  const beauty = await readBeauty(DATA_DIR);
  const beautyProducts = planBeauty(beauty, PROFILE_LIMITS.full).products;
  const retailProducts = planRetail(await readRetail(DATA_DIR), PROFILE_LIMITS.full).products;
  const bySku = new Map([...beautyProducts, ...retailProducts].map((product) => [product.sku, product]));
  const skuOfItem = new Map(beauty.items.map((item) => [item.itemId, beautySku(item.asin)]));

  const shoppers: ShopperPlan[] = [];
  for (const sequence of beauty.sequences) {
    if (shoppers.length >= SHOPPERS) break;
    const skus = [...new Set(sequence.itemIds.map((itemId) => skuOfItem.get(itemId)).filter((sku): sku is string => sku !== undefined && bySku.has(sku)))];
    if (skus.length >= MIN_HISTORY) shoppers.push({ skus: skus.slice(-HISTORY) });
  }
  if (shoppers.length < SHOPPERS) throw new Error(`only ${shoppers.length} Beauty sequences have ${MIN_HISTORY} titled items`);

  const first = [...new Set(shoppers.flatMap((shopper) => shopper.skus))];
  const taken = new Set(first);
  const rest = [...bySku.keys()].filter((sku) => !taken.has(sku));
  const random = seededRng(SEED);
  for (let i = rest.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  return { products: [...first, ...rest].map((sku) => bySku.get(sku)!), shoppers };
}

interface Seeded {
  realProducts: number;
  copies: number;
  copyCosineMean: number;
  /** Real products' ids by sku. */
  ids: Map<string, string>;
  /** Every product's id, real products first, then the copies in the order written. */
  productIds: string[];
}

/** Writes `size` products and their vectors into the catalogue's database with its own stores. */
async function seedCatalogue(
  catalogue: DataSource,
  size: number,
  real: ProductDraft[],
  cache: EmbeddingCache,
  model: { name: string; version: string },
): Promise<Seeded> {
  const store = new CatalogueImportStore(catalogue);
  const embeddings = new ProductEmbeddingStore(catalogue);
  const products = real.slice(0, size);
  const { ids, categoryIds, vectors: vectorOfId } = await writeProducts(catalogue, products, cache, model);
  /** A copy of a real product as the store takes it, in its source's category. */
  const copyRow = ({ categoryPath, ...fields }: ProductDraft, copy: { sku: string; title: string }) => ({
    ...fields,
    ...copy,
    categoryId: categoryIds.get(JSON.stringify(categoryPath))!,
    imageUrl: null,
  });
  progress(`wrote ${products.length} real products with their vectors`);
  const productIds = [...ids.values()];

  const copies = size - products.length;
  if (copies <= 0) return { realProducts: products.length, copies: 0, copyCosineMean: Number.NaN, ids, productIds };
  const sourceVector = products.map((product) => vectorOfId.get(ids.get(product.sku)!)!);
  const categoryNames = new Map(
    (await catalogue.query<{ id: string; name: string }[]>('SELECT id, name FROM category')).map((row) => [String(row.id), row.name]),
  );
  const sigma = noiseSigma(COPY_COSINE, sourceVector[0]!.length);
  const random = seededRng(SEED + size);
  let cosineSum = 0;
  let checked = false;
  const started = performance.now();
  for (let start = 0; start < copies; start += PRODUCT_CHUNK) {
    const chunk = Array.from({ length: Math.min(PRODUCT_CHUNK, copies - start) }, (_, offset) => {
      const copy = start + offset;
      const source = products[copy % products.length]!;
      const variant = Math.floor(copy / products.length) + 1;
      const row = copyRow(source, { sku: `${source.sku}~v${variant}`, title: variantTitle(source.title, variant) });
      const text = productEmbeddingText({
        title: normaliseTitle(row.title),
        brand: normaliseBrand(row.brand),
        categoryName: categoryNames.get(row.categoryId)!,
        tags: normaliseTags(row.tags),
      });
      const noisy = noisyCopy(sourceVector[copy % products.length]!, sigma, random);
      cosineSum += noisy.cosine;
      return { row, text, vector: noisy.vector };
    });
    const written = await store.upsertProducts(chunk.map((copy) => copy.row));
    const copyRows = chunk.map((copy) => ({ productId: written.get(copy.row.sku)!, textHash: textHash(copy.text), vector: copy.vector }));
    productIds.push(...copyRows.map((row) => row.productId));
    if (!checked) {
      // The hash must be the one the catalogue computes, or a backfill would re-embed every copy.
      const stored = await embeddings.texts(copyRows.slice(0, 50).map((row) => row.productId));
      const expected = new Map(copyRows.map((row) => [row.productId, row.textHash]));
      if (stored.some((text) => expected.get(text.productId) !== text.textHash)) throw new Error('copy text hashes differ from the catalogue’s');
      checked = true;
    }
    for (let at = 0; at < copyRows.length; at += VECTOR_CHUNK) await embeddings.upsert(model.name, model.version, copyRows.slice(at, at + VECTOR_CHUNK));
    const done = start + chunk.length;
    if (done % 100_000 === 0 || done === copies) {
      const seconds = (performance.now() - started) / 1000;
      progress(`wrote ${done}/${copies} copies (${(done / seconds).toFixed(0)}/s)`);
    }
  }
  return { realProducts: products.length, copies, copyCosineMean: cosineSum / copies, ids, productIds };
}

/** A benchmark sequence model version as written: its item vectors ([items + 1, dim], row 0 padding) and each product's item. */
interface BenchSequenceModel {
  version: string;
  card: SequenceModelCard;
  vectors: Float32Array;
  itemOf: Map<string, number>;
  /** The item index's build and save, as training does them before promoting. */
  indexBuildMs: number;
}

/**
 * Writes version `version` into `modelDir` with every product of `productIds` as an item (item
 * i + 1 is productIds[i]): seeded Gaussian directions scaled to log-normal norms, the files
 * readSequenceVectors checks, the fixture graph (see the header: never loaded by the replica), and
 * the item index as the trainer saves it.
 */
async function writeSequenceModel(modelDir: string, version: string, productIds: readonly string[], seed: number): Promise<BenchSequenceModel> {
  const { dim, layers, heads, maxLen, dropout } = SEQUENCE_SHAPE;
  const items = productIds.length;
  const random = seededRng(seed);
  const vectors = new Float32Array((items + 1) * dim);
  for (let item = 1; item <= items; item += 1) {
    const row = vectors.subarray(item * dim, (item + 1) * dim);
    let norm = 0;
    for (let d = 0; d < dim; d += 1) {
      row[d] = sampleNormal(random);
      norm += row[d]! * row[d]!;
    }
    const scale = Math.exp(SEQUENCE_NORM_SIGMA * sampleNormal(random)) / Math.sqrt(norm);
    for (let d = 0; d < dim; d += 1) row[d]! *= scale;
  }
  const card = {
    model: 'serendip-sequence',
    architecture: 'SASRec (causal self-attention, pre-norm, learned positions), full-softmax cross-entropy',
    items,
    dim,
    layers,
    heads,
    maxLen,
    dropout,
    holdout: 1,
    // As the trainer counts them: item and position tables, 12·dim² + 13·dim per block, the last LayerNorm.
    parameters: (items + 1 + maxLen) * dim + layers * (12 * dim * dim + 13 * dim) + 2 * dim,
    bestEpoch: 1,
    trainingSeconds: 0,
    validation: { hr10: 0, ndcg10: 0, users: 0 },
    sequences: 'none: pnpm bench:recommend drew these item vectors from a seeded Gaussian (serving cost only, never trained)',
  } satisfies SequenceModelCard & Record<string, unknown>;
  const dir = sequenceVersionDir(modelDir, version);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MODEL_FILES.card), `${JSON.stringify(card, null, 2)}\n`);
  // Float32Array bytes are the machine's order, little-endian on every machine this runs on, as the format wants.
  await writeFile(join(dir, MODEL_FILES.vectors), new Uint8Array(vectors.buffer));
  await writeFile(join(dir, MODEL_FILES.items), JSON.stringify(productIds));
  await copyFile(SEQUENCE_GRAPH, join(dir, MODEL_FILES.graph));
  const indexStarted = performance.now();
  await (await InnerProductIndex.build(productIds, vectors, dim, dim)).save(dir);
  const indexBuildMs = performance.now() - indexStarted;
  return { version, card, vectors, itemOf: new Map(productIds.map((id, index) => [id, index + 1])), indexBuildMs };
}

/**
 * A shopper's query in the benchmark model's space: the mean of their products' item vectors,
 * scaled to SEQUENCE_QUERY_NORM. A trained query predicts the next item rather than averaging the
 * past ones, but with Gaussian item vectors no direction is special, so the search costs about the same
 * whichever way it points.
 */
function benchQuery(model: BenchSequenceModel, productIds: readonly string[]): Float32Array {
  const { dim } = model.card;
  const query = new Float32Array(dim);
  for (const productId of productIds) {
    const offset = model.itemOf.get(productId)! * dim;
    for (let d = 0; d < dim; d += 1) query[d]! += model.vectors[offset + d]!;
  }
  const norm = Math.hypot(...query);
  for (let d = 0; d < dim; d += 1) query[d]! *= SEQUENCE_QUERY_NORM / norm;
  return query;
}

interface RunSetup {
  runId: string;
  secrets: ReturnType<typeof testSecrets>;
  real: ProductDraft[];
  shoppers: ShopperPlan[];
  cache: EmbeddingCache;
  model: { name: string; version: string };
}

/** One size's stack, up, with its shoppers signed up and their profiles stored. */
interface PreparedSize {
  size: number;
  seeded: Seeded;
  seedSeconds: number;
  index: { products: number; ms: number; wallMs: number };
  afterLoad: Memory;
  /** The stack's catalogue's semantic index read from its whole feed, ms (null when its log line was not seen). */
  catalogueIndexMs: number | null;
  /** A snapshot of the loaded catalogue, and a second replica and a second catalogue started on it (snapshot-ready.ts). */
  snapshot: SnapshotReady;
  shoppersWithInterestItems: number;
  /** Shoppers whose slate held `sequence` items when the source was first on. */
  shoppersWithSequenceItems: number;
  /** The benchmark sequence model the replica serves: its index's load time, and the replica's memory just before and once it served. */
  sequence: { version: string; items: number; dim: number; buildMs: number; loadMs: number; before: Memory; after: Memory };
  /** Sets the shoppers' queries to the serving version (on) or to none (off), then checks that a slate says so. */
  useSequence: (mode: SequenceMode) => Promise<void>;
  viaGateway: () => Promise<boolean>;
  /** The subgraph's query (product ids only) through the gateway: a plan that never leaves the recommendation subgraph. */
  viaGatewayIdsAt: (url: string) => () => Promise<boolean>;
  /** The stack's gateway, /graphql. */
  gatewayUrl: string;
  /** One more gateway over the size's subgraphs, from the checkout in `root`. */
  startGateway: (name: string, root: string) => Promise<{ url: string; pid: number; stop: () => Promise<void> }>;
  viaSubgraph: () => Promise<boolean>;
  /** Served items by source and slates shorter than asked, per mode, counted by `viaGateway`. */
  served: Record<SequenceMode, Served>;
  memory: () => Promise<Memory>;
  /** CPU seconds used so far by each counted process. */
  cpu: () => Promise<Record<Counted, number>>;
  steps: () => Promise<StepTotals>;
  logged: () => Promise<{ slates: number; items: number; slatesWithSequence: number }>;
  stackErrors: () => string[];
}

interface Served {
  sources: Record<string, number>;
  items: number;
  shortSlates: number;
}

const noneServed = (): Served => ({ sources: {}, items: 0, shortSlates: 0 });

async function main(): Promise<void> {
  if (SIZES.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`BENCH_SIZES must be positive integers, got ${process.env.BENCH_SIZES}`);
  const runId = randomBytes(4).toString('hex');
  const secrets = testSecrets();
  const model = resolveEmbeddingModel(loadInferenceConfig(process.env));
  const modelKey = `${model.name}@${model.version}`;

  const cleanups: (() => Promise<void>)[] = [];
  let cache: EmbeddingCache | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const clean of cleanups) await clean().catch((error: unknown) => console.error('bench: cleanup failed:', error));
      await cache?.close();
    })());
  const stopHandlingSignals = cleanUpOnSignal(cleanup, 'the stacks and dropping their data');

  try {
    const { products: real, shoppers } = await realCatalogue();
    const shopperProducts = new Set(shoppers.flatMap((shopper) => shopper.skus)).size;
    if (Math.min(...SIZES) < shopperProducts) throw new Error(`the smallest catalogue must hold the shoppers' ${shopperProducts} products`);
    progress(
      `${real.length} real products (Amazon Beauty + UCI Online Retail), ${shoppers.length} shoppers over ${shopperProducts} of them; model ${modelKey}`,
    );
    cache = await EmbeddingCache.open(CACHE_FILE, modelKey, progress);
    progress(`${cache.size} real vectors cached in ${CACHE_FILE}`);
    const setup: RunSetup = { runId, secrets, real, shoppers, cache, model };

    // Every size's stack stays up, idle, until all are measured: rounds then alternate between
    // them, so load from other users of the machine falls on every size alike.
    const prepared: PreparedSize[] = [];
    const failures: { products: number; error: string }[] = [];
    for (const [position, size] of SIZES.entries()) {
      progress(`— catalogue of ${size} products —`);
      try {
        prepared.push(await prepareSize(size, position, setup, cleanups));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        progress(`catalogue of ${size} products FAILED: ${message}`);
        failures.push({ products: size, error: message });
        // Its stack and data go now, so what is left runs as it would without it.
        await cleanups.pop()?.();
      }
    }
    if (prepared.length === 0) throw new Error('no catalogue size could be prepared');

    const options = { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 0 };
    for (const size of prepared) {
      for (const mode of MODES) {
        progress(`warm-up ${WARMUP_SECONDS} s, ${size.size} products, sequence ${mode}`);
        await size.useSequence(mode);
        await runLoad('warm-up', size.viaGateway, { ...options, seconds: WARMUP_SECONDS });
        if (DIRECT) await runLoad('warm-up', size.viaSubgraph, { ...options, seconds: WARMUP_SECONDS });
        size.served[mode] = noneServed();
      }
    }
    const runs = new Map(prepared.map((size) => [size.size, { off: noRuns(), on: noRuns() }]));
    for (let pass = 1; pass <= ROUNDS; pass += 1) {
      // Off first in odd rounds, on first in even ones: a trend in the machine's load favours neither.
      const modes = pass % 2 === 1 ? MODES : [...MODES].reverse();
      for (const size of prepared) {
        for (const mode of modes) {
          progress(`round ${pass}/${ROUNDS}: ${size.size} products, sequence ${mode}, ${CONCURRENCY} callers × ${SECONDS} s`);
          await size.useSequence(mode);
          const own = runs.get(size.size)![mode];
          own.loadavg.push(loadavg()[0]!);
          own.gateway.push(await measure(size, `${size.size} products, sequence ${mode}, gateway (round ${pass})`, size.viaGateway, options));
          if (DIRECT)
            own.direct.push(await measure(size, `${size.size} products, sequence ${mode}, recommendation subgraph (round ${pass})`, size.viaSubgraph, options));
        }
      }
    }

    // One caller, sequence off: latency without queueing, so the gateway's p50 less the
    // subgraph's is the time the gateway itself adds to a slate.
    const single = new Map<number, SingleCaller>();
    if (SINGLE_SECONDS > 0) {
      const one = { concurrency: 1, seconds: SINGLE_SECONDS, warmupSeconds: 1 };
      for (const size of prepared) {
        await size.useSequence('off');
        const baseline = BASELINE_ROOT ? await size.startGateway('baseline gateway', BASELINE_ROOT) : null;
        // Warmed as the stack's gateway was by the closed loop, so neither is measured while its code is still being compiled.
        if (baseline) await runLoad('warm-up', size.viaGatewayIdsAt(baseline.url), { ...options, seconds: WARMUP_SECONDS });
        const own: SingleCaller = { gateway: [], gatewayIds: [], subgraph: [], baselineIds: baseline ? [] : null };
        try {
          for (let pass = 1; pass <= SINGLE_ROUNDS; pass += 1) {
            progress(`one caller × ${SINGLE_SECONDS} s per path, ${size.size} products, sequence off, round ${pass}/${SINGLE_ROUNDS}`);
            own.gateway.push(await measure(size, `${size.size} products, one caller, gateway`, size.viaGateway, one));
            own.gatewayIds.push(
              await measure(size, `${size.size} products, one caller, gateway, product ids only`, size.viaGatewayIdsAt(size.gatewayUrl), one),
            );
            if (baseline) {
              const before = cpuSecondsOf(baseline.pid);
              const result = await runLoad(`${size.size} products, one caller, baseline gateway, product ids only`, size.viaGatewayIdsAt(baseline.url), one);
              own.baselineIds!.push({ ...result, gatewayCpuMs: (1000 * (cpuSecondsOf(baseline.pid) - before)) / Math.max(1, result.requests) });
            }
            own.subgraph.push(await measure(size, `${size.size} products, one caller, recommendation subgraph`, size.viaSubgraph, one));
          }
        } finally {
          await baseline?.stop();
        }
        single.set(size.size, own);
      }
    }

    const results: SizeReport[] = [];
    for (const size of prepared) {
      const logged = await size.logged();
      const errors = size.stackErrors();
      if (errors.length > 0) progress(`the ${size.size}-product stack logged ${errors.length} error lines, the last ones:\n${errors.slice(-5).join('\n')}`);
      results.push({ size, runs: runs.get(size.size)!, single: single.get(size.size) ?? null, memory: await size.memory(), logged });
    }
    report(results, failures);
  } finally {
    stopHandlingSignals();
    await cleanup();
  }
}

/** One load run, with the CPU time each counted process of the size's stack spent on it. */
async function measure(size: PreparedSize, name: string, task: () => Promise<boolean>, options: Parameters<typeof runLoad>[2]): Promise<MeasuredRun> {
  const [before, stepsBefore] = [await size.cpu(), await size.steps()];
  const result = await runLoad(name, task, options);
  const [after, stepsAfter] = [await size.cpu(), await size.steps()];
  const perRequest = (counted: Counted) => (1000 * (after[counted] - before[counted])) / Math.max(1, result.requests);
  const stepMean = (step: SlateStep) => (1000 * (stepsAfter[step].sum - stepsBefore[step].sum)) / Math.max(1, stepsAfter[step].count - stepsBefore[step].count);
  return {
    ...result,
    cpuMsPerRequest: Object.fromEntries(COUNTED.map((counted) => [counted, perRequest(counted)])) as Record<Counted, number>,
    stepMs: Object.fromEntries(SLATE_STEPS.map((step) => [step, stepMean(step)])) as Record<SlateStep, number>,
  };
}

/**
 * Writes the catalogue, starts a stack on it, waits for the recommendation index to hold it all,
 * signs the shoppers up and waits for the worker to store their profiles, then stops the worker;
 * then serves a benchmark sequence model version and gives each shopper a query for it.
 * Pushes the size's cleanup onto `cleanups` first, so a failure anywhere leaves nothing behind.
 */
async function prepareSize(size: number, position: number, run: RunSetup, cleanups: (() => Promise<void>)[]): Promise<PreparedSize> {
  const base = 24000 + (process.pid % 100) * 50 + position * 10;
  const ports: StackPorts = { gateway: base, user: base + 1, catalogue: base + 2, recommendation: base + 3, feedback: base + 4, worker: base + 5 };
  const prefix = `bench_${run.runId}_${position}`;
  const sequenceModelDir = resolve(ROOT, '.run/bench-recommend', `${prefix}-sequence-models`);
  const extra = {
    ...LOOPBACK_CLIENT_LIMITS,
    NODE_ENV: 'production',
    // The bench's clients send operation text, as the Sandbox does; trusted documents are not what it measures.
    ARBITRARY_OPERATIONS: 'allow',
    MYSQL_DATABASE_PREFIX: prefix,
    QUEUE_PREFIX: prefix,
    PUBSUB_PREFIX: prefix,
    // The vectors are written with their text hashes; nothing is left for the worker to embed.
    EMBEDDING_BACKFILL: 'off',
    SEQUENCE_MODEL_DIR: sequenceModelDir,
    SEQUENCE_MODEL_POLL_MS: String(SEQUENCE_POLL_MS),
    // The worker's first retrain would run while the shoppers sign up; the bench serves its own version.
    SEQUENCE_RETRAIN_EVERY_MS: '0',
    // The bench waits for the replica's info lines "product index loaded" and "sequence model … serving".
    LOG_LEVEL: 'info',
    ...run.secrets,
  };
  const env = stackEnv(ports, extra);
  const settings = loadConfig('bench', dbSetupConfigSchema.extend({ REDIS_URL: commonEnv.REDIS_URL }), { ...process.env, ...extra });

  const held: { stack: RunningStack | null; catalogue: DataSource | null; recommendation: DataSource | null } = {
    stack: null,
    catalogue: null,
    recommendation: null,
  };
  const log: string[] = [];
  let cleaning: Promise<void> | null = null;
  cleanups.push(
    () =>
      (cleaning ??= (async () => {
        await held.catalogue?.destroy().catch(() => undefined);
        await held.recommendation?.destroy().catch(() => undefined);
        await held.stack?.stop();
        for (const owner of DATABASE_OWNERS) await dropDatabase(settings, owner);
        await dropRedisKeys(settings.REDIS_URL, prefix);
        await rm(sequenceModelDir, { recursive: true, force: true });
      })()),
  );

  try {
    const seedStarted = performance.now();
    await setUpDatabases(settings);
    held.catalogue = (await openCatalogueDataSource(settings)).dataSource;
    const seeded = await seedCatalogue(held.catalogue, size, run.real, run.cache, run.model);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await held.catalogue.destroy();
    held.catalogue = null;
    progress(`catalogue of ${size} written in ${seedSeconds.toFixed(1)} s; starting its stack (prefix ${prefix})…`);

    const index: { loaded: { products: number; ms: number; at: number } | null } = { loaded: null };
    const catalogueIndex: { loadMs: number | null } = { loadMs: null };
    const sequenceLine: { served: { version: string; ms: number } | null; refused: string | null } = { served: null, refused: null };
    const stackStarted = performance.now();
    held.stack = await startStack({
      env,
      ports,
      // The catalogue is ready once its own semantic index holds every vector: minutes from 100k products on a busy machine.
      startTimeoutMs: INDEX_TIMEOUT_MS,
      ...(CPU_PROFILE_DIR
        ? { nodeFlags: Object.fromEntries(PROFILED.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILE_DIR, `${name}-${size}`)}`]])) }
        : {}),
      onOutput: (name, line) => {
        log.push(`[${name}] ${line}`);
        if (log.length > 500) log.shift();
        const semantic = name === 'catalogue' && /semantic search index loaded: \d+ products in (\d+) ms/.exec(line);
        if (semantic) catalogueIndex.loadMs = Number(semantic[1]);
        if (name !== 'recommendation') return;
        const done = /product index loaded: (\d+) products in (\d+) ms/.exec(line);
        if (done) index.loaded = { products: Number(done[1]), ms: Number(done[2]), at: performance.now() };
        const serving = /sequence model (\S+) serving, loaded in (\d+) ms/.exec(line);
        if (serving) sequenceLine.served = { version: serving[1]!, ms: Number(serving[2]) };
        if (/sequence model \S+ refused/.test(line)) sequenceLine.refused = line;
        const step = /product index: (\d+) vectors/.exec(line);
        if (step && Number(step[1]) % 50_000 === 0)
          progress(`recommendation index: ${step[1]} vectors, ${((performance.now() - stackStarted) / 1000).toFixed(0)} s after the stack started`);
      },
    });
    const stack = held.stack;
    const gateway = `http://127.0.0.1:${ports.gateway}/graphql`;
    const recommendationPid = stack.children.get('recommendation')?.pid;
    while (!index.loaded) {
      if (performance.now() - stackStarted > INDEX_TIMEOUT_MS)
        throw new Error(`the recommendation index did not load ${size} products within ${INDEX_TIMEOUT_MS} ms`);
      const child = stack.children.get('recommendation');
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(`the recommendation subgraph ended (${child.signalCode ?? `code ${child.exitCode}`}) while loading its index`);
      }
      await sleep(250);
    }
    const loaded = index.loaded;
    const afterLoad = await memoryOf(recommendationPid);
    progress(
      `index loaded: ${loaded.products} products in ${loaded.ms} ms (${((loaded.at - stackStarted) / 1000).toFixed(1)} s after the stack started), recommendation RSS ${afterLoad.rssMb} MiB`,
    );
    if (loaded.products !== size) progress(`WARNING: the index holds ${loaded.products} of ${size} products`);
    const snapshot = await measureSnapshotReady({
      env,
      port: base + 6,
      cataloguePort: base + 7,
      dir: resolve(ROOT, '.run/bench-recommend', `${prefix}-index-snapshots`),
      timeoutMs: INDEX_TIMEOUT_MS,
      progress,
    });

    progress(`signing up ${run.shoppers.length} shoppers and sending their events…`);
    const accounts: { userId: string; token: string }[] = [];
    await inParallel(run.shoppers, 4, async (shopper, index) => {
      const signUp = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
        gateway,
        'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
        { input: { email: `shopper${index}@bench.serendip.test`, password: 'bench-password', displayName: `Bench shopper ${index}` } },
      );
      if (!signUp.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(signUp.errors)}`);
      const account = { userId: signUp.data.signUp.user.id, token: signUp.data.signUp.token };
      accounts[index] = account;
      const events = shopper.skus.map((sku, position) => ({
        type: position === shopper.skus.length - 1 ? 'PURCHASE' : position === shopper.skus.length - 2 ? 'CART' : 'VIEW',
        productId: seeded.ids.get(sku)!,
        sessionId: `bench-${index}`,
        clientEventId: `bench-${index}-${position}`,
      }));
      const tracked = await postGraphQL<{ trackEvents: { accepted: number } }>(gateway, TRACK, { events }, { authorization: `Bearer ${account.token}` });
      if (tracked.errors || tracked.data?.trackEvents.accepted !== events.length)
        throw new Error(`trackEvents failed: ${JSON.stringify(tracked.errors ?? tracked.data)}`);
    });

    held.recommendation = (await openRecommendationDataSource(settings)).dataSource;
    const recommendation = held.recommendation;
    const interests = new InterestStore(recommendation);
    const userIds = accounts.map((account) => account.userId);
    const profilesStarted = performance.now();
    for (;;) {
      const profiles = await interests.load(userIds);
      if (profiles.size === userIds.length) break;
      if (performance.now() - profilesStarted > PROFILE_TIMEOUT_MS)
        throw new Error(`the worker stored ${profiles.size} of ${userIds.length} interest profiles in ${PROFILE_TIMEOUT_MS} ms`);
      await sleep(500);
    }
    progress(`${userIds.length} interest profiles stored by the worker; stopping it`);
    const worker = stack.children.get('worker');
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      await new Promise<void>((done) => {
        worker.once('exit', () => done());
        worker.kill('SIGTERM');
      });
    }

    // Readiness of the whole path: each shopper's slate should hold neighbours from the index.
    let shoppersWithInterestItems = 0;
    for (const account of accounts) {
      const slate = await postGraphQL<Slate>(gateway, QUERY, {}, { authorization: `Bearer ${account.token}` });
      if (!slate.data) throw new Error(`recommendations failed before measuring: ${JSON.stringify(slate.errors)}`);
      if (slate.data.recommendations.items.some((item) => item.source === 'interest')) shoppersWithInterestItems += 1;
    }
    if (shoppersWithInterestItems === 0) throw new Error('no slate holds interest candidates: the index or the profiles are not in use');

    // The sequence model: written, promoted as training promotes a version, and indexed by the replica.
    const version = `bench-${run.runId}-${size}`;
    const writeStarted = performance.now();
    const sequenceModel = await writeSequenceModel(sequenceModelDir, version, seeded.productIds, SEED - size);
    const { items: sequenceItems, dim } = sequenceModel.card;
    progress(
      `sequence model ${version} written: ${sequenceItems} items × ${dim} in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s (its item index ${(sequenceModel.indexBuildMs / 1000).toFixed(1)} s, as training builds it); promoting it…`,
    );
    const beforeSequence = await memoryOf(recommendationPid);
    const promotedAt = performance.now();
    await new SequenceModelStore(recommendation).promote(
      {
        version,
        createdAt: new Date(),
        validationHr10: 0,
        validationNdcg10: 0,
        baselineVersion: null,
        baselineHr10: null,
        shoppers: 0,
        events: 0,
        items: sequenceItems,
        trainingSeconds: 0,
        note: 'pnpm bench:recommend: seeded Gaussian item vectors, never trained',
      },
      new Date(),
    );
    while (sequenceLine.served?.version !== version) {
      if (sequenceLine.refused) throw new Error(`the recommendation subgraph refused the benchmark sequence model: ${sequenceLine.refused}`);
      if (performance.now() - promotedAt > INDEX_TIMEOUT_MS)
        throw new Error(`the recommendation subgraph did not serve ${version} within ${INDEX_TIMEOUT_MS} ms`);
      const child = stack.children.get('recommendation');
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(`the recommendation subgraph ended (${child.signalCode ?? `code ${child.exitCode}`}) while indexing the sequence model`);
      }
      await sleep(100);
    }
    const sequenceLoadMs = sequenceLine.served.ms;
    const afterSequence = await memoryOf(recommendationPid);
    progress(
      `sequence index: ${sequenceItems} items in ${sequenceLoadMs} ms (${((performance.now() - promotedAt) / 1000).toFixed(1)} s after promotion), recommendation RSS ${beforeSequence.rssMb} → ${afterSequence.rssMb} MiB`,
    );

    // Each shopper's query for that version, saved beside their profile as the worker saves one.
    const profiles = await interests.load(userIds);
    for (const [position, account] of accounts.entries()) {
      const productIds = run.shoppers[position]!.skus.map((sku) => seeded.ids.get(sku)!);
      await interests.save({ ...profiles.get(account.userId)!, sequenceQueries: [{ version, query: benchQuery(sequenceModel, productIds) }] });
    }
    const checked = async (account: { token: string }) => {
      const response = await postGraphQL<CheckedSlate>(gateway, CHECK_QUERY, {}, { authorization: `Bearer ${account.token}` });
      if (!response.data) throw new Error(`recommendations failed while checking the sequence source: ${JSON.stringify(response.errors)}`);
      const slate = response.data.recommendations;
      return { version: slate.sequenceModelVersion, sequenceItems: slate.items.filter((item) => item.source === 'sequence').length };
    };
    const withSequence: typeof accounts = [];
    for (const account of accounts) {
      const slate = await checked(account);
      if (slate.version !== version) throw new Error(`a slate logged sequence model ${slate.version} with every query made for ${version}`);
      if (slate.sequenceItems > 0) withSequence.push(account);
    }
    if (withSequence.length === 0) throw new Error(`no slate holds sequence candidates although ${version} serves every shopper's query`);
    progress(`${withSequence.length} of ${accounts.length} shoppers' slates hold sequence items`);

    const served: Record<SequenceMode, Served> = { off: noneServed(), on: noneServed() };
    let mode: SequenceMode = 'on';
    let next = 0;
    const subgraph = `http://127.0.0.1:${ports.recommendation}/graphql`;
    const count = async (query: string) => Number((await recommendation.query<{ count: string }[]>(query))[0]?.count ?? 0);
    const shopperList = userIds.map(() => '?').join(', ');
    /** Whether the slate is what the mode says: with the source off, one sequence item is an error. */
    const fitsMode = (items: readonly { source: string }[]) => mode === 'on' || items.every((item) => item.source !== 'sequence');
    return {
      size,
      seeded,
      seedSeconds,
      index: { products: loaded.products, ms: loaded.ms, wallMs: loaded.at - stackStarted },
      afterLoad,
      catalogueIndexMs: catalogueIndex.loadMs,
      snapshot,
      shoppersWithInterestItems,
      shoppersWithSequenceItems: withSequence.length,
      sequence: {
        version,
        items: sequenceItems,
        dim,
        buildMs: sequenceModel.indexBuildMs,
        loadMs: sequenceLoadMs,
        before: beforeSequence,
        after: afterSequence,
      },
      useSequence: async (wanted) => {
        const [from, to] = wanted === 'on' ? [`"${version}-off":`, `"${version}":`] : [`"${version}":`, `"${version}-off":`];
        await recommendation.query(`UPDATE interest_profile SET sequence_queries = REPLACE(sequence_queries, ?, ?) WHERE user_id IN (${shopperList})`, [
          from,
          to,
          ...userIds,
        ]);
        mode = wanted;
        const slate = await checked(withSequence[0]!);
        const fits = wanted === 'on' ? slate.version === version && slate.sequenceItems > 0 : slate.version === null && slate.sequenceItems === 0;
        if (!fits) throw new Error(`sequence ${wanted}, but a checked slate logged version ${slate.version} and holds ${slate.sequenceItems} sequence items`);
      },
      served,
      viaGateway: async () => {
        const account = accounts[next++ % accounts.length]!;
        const response = await postGraphQL<Slate>(gateway, QUERY, {}, { authorization: `Bearer ${account.token}` });
        const slate = response.data?.recommendations;
        if (response.errors || response.status !== 200 || !slate || slate.items.length === 0 || !fitsMode(slate.items)) return false;
        const own = served[mode];
        if (slate.items.length < FIRST) own.shortSlates += 1;
        for (const item of slate.items) own.sources[item.source] = (own.sources[item.source] ?? 0) + 1;
        own.items += slate.items.length;
        return true;
      },
      viaGatewayIdsAt: (url) => async () => {
        const account = accounts[next++ % accounts.length]!;
        const response = await postGraphQL<Slate>(url, DIRECT_QUERY, {}, { authorization: `Bearer ${account.token}` });
        const items = response.data?.recommendations.items ?? [];
        return !response.errors && response.status === 200 && items.length > 0 && fitsMode(items);
      },
      gatewayUrl: gateway,
      startGateway: async (name, root) => {
        // The size's block of ten ports has four to spare after the stack's six.
        const port = ports.worker + 1;
        const child = await startExtraGateway(name, root, env, port, {}, CPU_PROFILE_DIR && join(CPU_PROFILE_DIR, `${name.replace(/\W+/g, '-')}-${size}`));
        return {
          url: `http://127.0.0.1:${port}/graphql`,
          pid: child.pid!,
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((done) => child.once('exit', done));
            child.kill('SIGTERM');
            await exited;
          },
        };
      },
      viaSubgraph: async () => {
        const account = accounts[next++ % accounts.length]!;
        const headers = { 'x-serendip-identity': signIdentity(run.secrets.GATEWAY_SECRET, { userId: account.userId, roles: ['shopper'] }, 'recommendation') };
        const response = await postGraphQL<Slate>(subgraph, DIRECT_QUERY, {}, headers);
        const items = response.data?.recommendations.items ?? [];
        return !response.errors && response.status === 200 && items.length > 0 && fitsMode(items);
      },
      memory: () => memoryOf(recommendationPid),
      cpu: async () => {
        const { user, system } = process.cpuUsage();
        return {
          ...(Object.fromEntries(STACK_COUNTED.map((name) => [name, cpuSecondsOf(stack.children.get(name)?.pid)])) as Record<
            (typeof STACK_COUNTED)[number],
            number
          >),
          mariadb: cpuSecondsOf(serverPids().find(([name]) => name === 'mariadb' || name === 'mysql')?.[1]),
          bench: (user + system) / 1e6,
          machine: machineCpuSeconds(),
        };
      },
      logged: async () => ({
        slates: await count('SELECT COUNT(*) AS count FROM recommendation_slate'),
        items: await count('SELECT COUNT(*) AS count FROM recommendation_item'),
        slatesWithSequence: await count('SELECT COUNT(*) AS count FROM recommendation_slate WHERE sequence_model_version IS NOT NULL'),
      }),
      steps: async () => {
        const text = await (await fetch(`http://127.0.0.1:${ports.recommendation}/metrics`)).text();
        const read = (series: string, step: SlateStep) => metricValue(text, series, { step }) || 0;
        return Object.fromEntries(
          SLATE_STEPS.map((step) => [step, { sum: read('serendip_slate_step_seconds_sum', step), count: read('serendip_slate_step_seconds_count', step) }]),
        ) as StepTotals;
      },
      stackErrors: () => log.filter((line) => /error|fail/i.test(line)),
    };
  } catch (error) {
    console.error(log.slice(-40).join('\n'));
    throw error;
  }
}

/** One mode's measured runs of one size, one per round. */
interface Runs {
  gateway: MeasuredRun[];
  direct: MeasuredRun[];
  loadavg: number[];
}

const noRuns = (): Runs => ({ gateway: [], direct: [], loadavg: [] });

/** One caller's runs of a size (sequence off): the full query through the gateway, the subgraph's query through it, and straight to the subgraph. */
interface SingleCaller {
  gateway: MeasuredRun[];
  gatewayIds: MeasuredRun[];
  subgraph: MeasuredRun[];
  /** The subgraph's query through BENCH_BASELINE_ROOT's gateway, with that gateway's CPU ms per request; null without one. */
  baselineIds: (LoadResult & { gatewayCpuMs: number })[] | null;
}

/** The goal: the gateway adds under this many ms to a slate's p50. */
const GATEWAY_ADDED_GOAL_MS = 5;

interface SizeReport {
  size: PreparedSize;
  runs: Record<SequenceMode, Runs>;
  single: SingleCaller | null;
  memory: Memory;
  logged: { slates: number; items: number; slatesWithSequence: number };
}

/** The goal: slate p99 with the sequence source on at most this times the p99 without it, at every size. */
const SEQUENCE_GOAL = 1.2;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const meanOf = (results: LoadResult[], field: 'p50Ms' | 'p99Ms' | 'perSecond') => mean(results.map((r) => r[field]));
const cpuOf = (results: MeasuredRun[], name: Counted) => mean(results.map((r) => r.cpuMsPerRequest[name]));

/** Each slate step's mean ms over a mode's measured runs, gateway and direct alike (both are slates of the replica). */
function stepMeans(runs: { gateway: MeasuredRun[]; direct: MeasuredRun[] }): Record<SlateStep, number> {
  const all = [...runs.gateway, ...runs.direct];
  return Object.fromEntries(SLATE_STEPS.map((step) => [step, all.reduce((sum, run) => sum + run.stepMs[step], 0) / Math.max(1, all.length)])) as Record<
    SlateStep,
    number
  >;
}

const roundSteps = (means: Record<SlateStep, number>) => Object.fromEntries(SLATE_STEPS.map((step) => [step, round(means[step], 3)]));

/** Mean over the rounds, as the gateway bench reports its rounds. */
function summary(results: MeasuredRun[]) {
  if (results.length === 0) return null;
  return {
    req_per_s: round(meanOf(results, 'perSecond')),
    p50_ms: round(meanOf(results, 'p50Ms'), 2),
    p99_ms: round(meanOf(results, 'p99Ms'), 2),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    rounds_p50_ms: results.map((r) => round(r.p50Ms, 2)),
    cpu_ms_per_request: Object.fromEntries(COUNTED.map((name) => [name, round(cpuOf(results, name), 2)])),
  };
}

/** The mode's served items by source, in percent of all it served. */
const sourceShares = (served: Served) => Object.fromEntries(Object.entries(served.sources).map(([source, n]) => [source, percentOf(n, served.items)]));

/** On over off of a figure of the rounds; null where the path was not measured. */
function onOff(runs: Record<SequenceMode, Runs>, path: 'gateway' | 'direct', figure: 'p50Ms' | 'p99Ms' | Counted): number | null {
  if (runs.on[path].length === 0) return null;
  const of = (results: MeasuredRun[]) => (figure === 'p50Ms' || figure === 'p99Ms' ? meanOf(results, figure) : cpuOf(results, figure));
  return of(runs.on[path]) / of(runs.off[path]);
}

/** The full-scan replica's index figures, beside which the snapshot's are reported. */
const fullScanOf = (size: PreparedSize) => ({
  products: size.index.products,
  loadMs: size.index.ms,
  rssMb: size.afterLoad.rssMb,
  catalogueLoadMs: size.catalogueIndexMs,
});

/**
 * One caller's p50 through the gateway less the subgraph's: with the subgraph's own query (the
 * gateway's work alone) and with the full one (also its call to the catalogue for titles and prices).
 */
const singleAdded = (single: SingleCaller) => {
  const subgraph = medianP50(single.subgraph);
  return {
    ids: medianP50(single.gatewayIds) - subgraph,
    full: medianP50(single.gateway) - subgraph,
    baselineIds: single.baselineIds ? medianP50(single.baselineIds) - subgraph : null,
  };
};

/** The median of the rounds' p50s: one round that met a bandit flush or a collection does not move it. */
const medianP50 = (results: readonly LoadResult[]) =>
  percentile(
    [...results.map((result) => result.p50Ms)].sort((a, b) => a - b),
    50,
  );

const ratioText = (ratio: number | null) => (ratio === null ? '-' : `${ratio.toFixed(2)}×`);

function report(results: SizeReport[], failures: { products: number; error: string }[]): void {
  printTable(results.flatMap(({ runs }) => MODES.flatMap((mode) => [...runs[mode].gateway, ...runs[mode].direct])));
  console.log('');
  printColumns(
    [
      'products',
      'real',
      'copies',
      'copy cos',
      'seed s',
      'index load s',
      'rec RSS MiB loaded/after/peak',
      'seq items × dim',
      'seq index built (training) / loaded (replica) s',
      'rec RSS MiB before/after seq',
      'shoppers with seq items',
    ],
    results.map(({ size, memory }) => [
      String(size.size),
      String(size.seeded.realProducts),
      String(size.seeded.copies),
      Number.isNaN(size.seeded.copyCosineMean) ? '-' : size.seeded.copyCosineMean.toFixed(3),
      size.seedSeconds.toFixed(0),
      (size.index.ms / 1000).toFixed(1),
      `${size.afterLoad.rssMb}/${memory.rssMb}/${memory.peakMb}`,
      `${size.sequence.items} × ${size.sequence.dim}`,
      `${(size.sequence.buildMs / 1000).toFixed(1)} / ${(size.sequence.loadMs / 1000).toFixed(1)}`,
      `${size.sequence.before.rssMb}/${size.sequence.after.rssMb}`,
      `${size.shoppersWithSequenceItems}/${SHOPPERS}`,
    ]),
  );
  console.log('');
  printColumns(
    [
      'products',
      'sequence',
      'gw p50 ms',
      'gw p99 ms',
      'gw req/s',
      'sub p50 ms',
      'sub p99 ms',
      'sub req/s',
      'CPU ms/req gw: gateway/catalogue/rec',
      'CPU ms/req sub: rec',
      'CPU ms/req sub: mariadb/bench/machine',
      'sub req/s the cores allow',
      'interest items %',
      'sequence items %',
      'short slates',
      'load 1m',
    ],
    results.flatMap(({ size, runs }) =>
      MODES.map((mode) => {
        const { gateway, direct, loadavg: loads } = runs[mode];
        const served = size.served[mode];
        const figure = (results: LoadResult[], field: 'p50Ms' | 'p99Ms' | 'perSecond') => (results.length === 0 ? '-' : meanOf(results, field).toFixed(1));
        return [
          String(size.size),
          mode,
          figure(gateway, 'p50Ms'),
          figure(gateway, 'p99Ms'),
          figure(gateway, 'perSecond'),
          figure(direct, 'p50Ms'),
          figure(direct, 'p99Ms'),
          figure(direct, 'perSecond'),
          STACK_COUNTED.map((name) => cpuOf(gateway, name).toFixed(1)).join('/'),
          direct.length === 0 ? '-' : cpuOf(direct, 'recommendation').toFixed(1),
          direct.length === 0 ? '-' : (['mariadb', 'bench', 'machine'] as const).map((name) => cpuOf(direct, name).toFixed(1)).join('/'),
          direct.length === 0 ? '-' : ((CORES * 1000) / cpuOf(direct, 'machine')).toFixed(0),
          String(percentOf(served.sources.interest ?? 0, served.items)),
          String(percentOf(served.sources.sequence ?? 0, served.items)),
          String(served.shortSlates),
          loads.map((value) => value.toFixed(1)).join(' '),
        ];
      }),
    ),
  );
  console.log('');
  printColumns(
    ['products', 'on/off gw p50', 'on/off gw p99', 'on/off sub p50', 'on/off sub p99', 'on/off rec CPU gw/sub', `gw p99 goal ≤ ${SEQUENCE_GOAL}×`],
    results.map(({ size, runs }) => {
      const gatewayP99 = onOff(runs, 'gateway', 'p99Ms')!;
      return [
        String(size.size),
        ratioText(onOff(runs, 'gateway', 'p50Ms')),
        ratioText(gatewayP99),
        ratioText(onOff(runs, 'direct', 'p50Ms')),
        ratioText(onOff(runs, 'direct', 'p99Ms')),
        `${ratioText(onOff(runs, 'gateway', 'recommendation'))}/${ratioText(onOff(runs, 'direct', 'recommendation'))}`,
        gatewayP99 <= SEQUENCE_GOAL ? 'met' : 'NOT met',
      ];
    }),
  );
  for (const failure of failures) console.log(`${failure.products} products: FAILED (${failure.error})`);
  console.log('\nReplica start from an index snapshot, beside the full scan:');
  printSnapshotReady(results.map(({ size }) => ({ fullScan: fullScanOf(size), snapshot: size.snapshot })));
  console.log('\nCatalogue start from the same snapshot, beside its semantic index read from the whole feed:');
  printCatalogueSnapshotReady(results.map(({ size }) => ({ fullScan: fullScanOf(size), snapshot: size.snapshot })));

  // Where a slate's time goes: each step's mean over every measured slate (gateway and direct runs), and its share of their sum.
  console.log('\nSlate steps at the recommendation replica, mean ms per slate (share of the steps):');
  printColumns(
    ['step', ...results.flatMap(({ size }) => MODES.map((mode) => `${size.size} ${mode}`))],
    SLATE_STEPS.map((step) => [
      step,
      ...results.flatMap(({ runs }) =>
        MODES.map((mode) => {
          const means = stepMeans(runs[mode]);
          const total = SLATE_STEPS.reduce((sum, each) => sum + means[each], 0);
          return `${means[step].toFixed(2)} (${percentOf(means[step], total)}%)`;
        }),
      ),
    ]),
  );

  const withSingle = results.filter((result): result is SizeReport & { single: SingleCaller } => result.single !== null);
  if (withSingle.length > 0) {
    console.log(
      `\nOne caller, sequence off, median p50 of ${SINGLE_ROUNDS} rounds: what the gateway adds to a slate without queueing (goal < ${GATEWAY_ADDED_GOAL_MS} ms at p50):`,
    );
    printColumns(
      [
        'products',
        'sub p50 ms',
        'gw ids p50 ms',
        'gw full p50 ms',
        'gw adds, ids ms',
        'gw adds, full ms',
        'gateway CPU ms ids/full',
        'catalogue CPU ms full',
        'baseline gw adds, ids ms',
        'baseline gateway CPU ms ids',
        'goal',
      ],
      withSingle.map(({ size, single }) => {
        const added = singleAdded(single);
        const baseline = single.baselineIds;
        return [
          String(size.size),
          medianP50(single.subgraph).toFixed(1),
          medianP50(single.gatewayIds).toFixed(1),
          medianP50(single.gateway).toFixed(1),
          added.ids.toFixed(1),
          added.full.toFixed(1),
          `${cpuOf(single.gatewayIds, 'gateway').toFixed(1)}/${cpuOf(single.gateway, 'gateway').toFixed(1)}`,
          cpuOf(single.gateway, 'catalogue').toFixed(1),
          added.baselineIds === null ? '-' : added.baselineIds.toFixed(1),
          baseline ? mean(baseline.map((run) => run.gatewayCpuMs)).toFixed(1) : '-',
          added.ids < GATEWAY_ADDED_GOAL_MS ? 'met' : 'NOT met',
        ];
      }),
    );
  }

  // The catalogue-size comparison is of the "off" runs: slates as they were before the sequence source.
  const smallest = results[0]!.runs.off;
  const largest = results[results.length - 1]!.runs.off;
  const ratio = meanOf(largest.gateway, 'p50Ms') / meanOf(smallest.gateway, 'p50Ms');
  const directRatio = DIRECT ? meanOf(largest.direct, 'p50Ms') / meanOf(smallest.direct, 'p50Ms') : null;
  const sequenceGoalMet = failures.length === 0 && results.every(({ runs }) => onOff(runs, 'gateway', 'p99Ms')! <= SEQUENCE_GOAL);
  console.log(
    `\n${results[results.length - 1]!.size.size} products cost ${ratio.toFixed(2)}× the p50 of ${results[0]!.size.size} through the gateway, sequence off` +
      `${directRatio === null ? '' : ` (${directRatio.toFixed(2)}× at the recommendation subgraph)`}; goal ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}` +
      `${failures.length > 0 ? `; failed: ${failures.map((failure) => failure.products).join(', ')}` : ''}`,
  );
  console.log(
    `sequence on costs ${results.map(({ size, runs }) => `${ratioText(onOff(runs, 'gateway', 'p99Ms'))} (${size.size})`).join(', ')} the gateway p99 of off; ` +
      `goal ≤ ${SEQUENCE_GOAL}× at every size: ${sequenceGoalMet ? 'met' : 'NOT met'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'recommend',
      cores: CORES,
      query: QUERY,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      seconds_per_round: SECONDS,
      warmup_seconds: WARMUP_SECONDS,
      shoppers: SHOPPERS,
      copy_cosine_target: COPY_COSINE,
      sequence_model: { dim: SEQUENCE_SHAPE.dim, norm_log_sigma: SEQUENCE_NORM_SIGMA, query_norm: round(SEQUENCE_QUERY_NORM, 2), poll_ms: SEQUENCE_POLL_MS },
      sizes: results.map(({ size, runs, single, memory, logged }) => ({
        products: size.size,
        real_products: size.seeded.realProducts,
        copies: size.seeded.copies,
        copy_cosine_mean: Number.isNaN(size.seeded.copyCosineMean) ? null : round(size.seeded.copyCosineMean, 3),
        seed_s: round(size.seedSeconds),
        index_products: size.index.products,
        index_load_s: round(size.index.ms / 1000),
        index_ready_after_start_s: round(size.index.wallMs / 1000),
        recommendation_rss_mb_loaded: size.afterLoad.rssMb,
        recommendation_rss_mb_after_bench: memory.rssMb,
        recommendation_rss_mb_peak: memory.peakMb,
        // These and the figures up to items_logged are of the "off" runs.
        loadavg_1m_per_round: runs.off.loadavg.map((value) => round(value, 2)),
        gateway: summary(runs.off.gateway),
        recommendation_subgraph: summary(runs.off.direct),
        slate_steps_ms: roundSteps(stepMeans(runs.off)),
        one_caller: single && {
          rounds: SINGLE_ROUNDS,
          gateway: summary(single.gateway),
          gateway_product_ids: summary(single.gatewayIds),
          recommendation_subgraph: summary(single.subgraph),
          gateway_added_p50_ms: { ids: round(singleAdded(single).ids, 2), full: round(singleAdded(single).full, 2) },
          baseline: single.baselineIds && {
            root: BASELINE_ROOT,
            gateway_product_ids_p50_ms: round(medianP50(single.baselineIds), 2),
            rounds_p50_ms: single.baselineIds.map((run) => round(run.p50Ms, 2)),
            gateway_cpu_ms_per_request: round(mean(single.baselineIds.map((run) => run.gatewayCpuMs)), 2),
            gateway_added_p50_ms_ids: round(singleAdded(single).baselineIds!, 2),
            ratio_p50_ids: round(medianP50(single.gatewayIds) / medianP50(single.baselineIds), 3),
            ratio_gateway_cpu_ids: round(cpuOf(single.gatewayIds, 'gateway') / mean(single.baselineIds.map((run) => run.gatewayCpuMs)), 3),
          },
          goal_added_p50_ms: GATEWAY_ADDED_GOAL_MS,
        },
        short_slates: size.served.off.shortSlates,
        source_share_pct: sourceShares(size.served.off),
        shoppers_with_interest_items: size.shoppersWithInterestItems,
        slates_logged: logged.slates,
        items_logged: logged.items,
        sequence_model_version: size.sequence.version,
        sequence_index_items: size.sequence.items,
        sequence_index_dim: size.sequence.dim,
        sequence_index_build_s: round(size.sequence.buildMs / 1000),
        sequence_index_load_s: round(size.sequence.loadMs / 1000),
        recommendation_rss_mb_before_sequence: size.sequence.before.rssMb,
        recommendation_rss_mb_sequence_loaded: size.sequence.after.rssMb,
        shoppers_with_sequence_items: size.shoppersWithSequenceItems,
        index_snapshot: snapshotFigures(fullScanOf(size), size.snapshot),
        slates_logged_with_sequence: logged.slatesWithSequence,
        sequence_on: {
          loadavg_1m_per_round: runs.on.loadavg.map((value) => round(value, 2)),
          gateway: summary(runs.on.gateway),
          recommendation_subgraph: summary(runs.on.direct),
          slate_steps_ms: roundSteps(stepMeans(runs.on)),
          short_slates: size.served.on.shortSlates,
          source_share_pct: sourceShares(size.served.on),
        },
        sequence_on_off: {
          gateway_p50: round(onOff(runs, 'gateway', 'p50Ms')!, 3),
          gateway_p99: round(onOff(runs, 'gateway', 'p99Ms')!, 3),
          subgraph_p50: DIRECT ? round(onOff(runs, 'direct', 'p50Ms')!, 3) : null,
          subgraph_p99: DIRECT ? round(onOff(runs, 'direct', 'p99Ms')!, 3) : null,
          recommendation_cpu_per_request_gateway: round(onOff(runs, 'gateway', 'recommendation')!, 3),
          recommendation_cpu_per_request_subgraph: DIRECT ? round(onOff(runs, 'direct', 'recommendation')!, 3) : null,
          gateway_p99_per_round: runs.on.gateway.map((on, index) => round(on.p99Ms / runs.off.gateway[index]!.p99Ms, 3)),
        },
      })),
      failed: failures,
      ratio_p50: round(ratio, 3),
      ratio_p99: round(meanOf(largest.gateway, 'p99Ms') / meanOf(smallest.gateway, 'p99Ms'), 3),
      ratio_p50_subgraph: directRatio === null ? null : round(directRatio, 3),
      goal_met: ratio <= 2 && failures.length === 0,
      sequence_goal_p99_ratio: SEQUENCE_GOAL,
      sequence_goal_met: sequenceGoalMet,
    }),
  );
}

main().then(
  // Keep-alive sockets of fetch must not keep the process up.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
