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
 * "product index loaded: N products" and records the load time and the process's memory. All
 * stacks stay up, idle, until every size is ready; then a closed loop (BENCH_CONCURRENCY 8
 * callers, BENCH_WARMUP_SECONDS 5 of warm-up per size) runs BENCH_ROUNDS (2) rounds of
 * BENCH_SECONDS (10) per size, alternating the sizes, so other load on the machine falls on every
 * size alike; figures are means over the rounds. Every served slate is logged
 * (recommendation_slate, recommendation_item), which is part of the measured cost. Beside the
 * gateway figure, the same query sent straight to the recommendation subgraph (signed identity,
 * product ids only; BENCH_DIRECT=0 skips it) shows the slate's own share. A size that cannot be
 * prepared (time, memory) is reported as failed and the others are still measured.
 * Progress on stderr; a table, then as its last line one JSON object on stdout.
 */
import { commonEnv, loadConfig, z } from '@serendip/config';
import { dropDatabase, databaseName } from '@serendip/db';
import { signIdentity } from '@serendip/federation';
import { dropRedisKeys, postGraphQL } from '@serendip/testing';
import { sampleNormal, seededRng } from '@serendip/recsys';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { planBeauty, planRetail, type ProductDraft } from '../../tools/demo-data/src/plan';
import { PROFILE_LIMITS } from '../../tools/demo-data/src/profile';
import { beautySku } from '../../tools/demo-data/src/link';
import { readBeauty } from '../../tools/demo-data/src/sources/amazon-beauty.source';
import { readRetail } from '../../tools/demo-data/src/sources/online-retail.source';
import { loadInferenceConfig, resolveEmbeddingModel } from '../../packages/inference/src';
import { textHash } from '../../packages/jobs/src';
import { openCatalogueDataSource } from '../../subgraphs/catalogue/src/data-source';
import { productEmbeddingText, ProductEmbeddingStore } from '../../subgraphs/catalogue/src/embedding/product-embedding.store';
import { normaliseBrand, normaliseTags, normaliseTitle } from '../../subgraphs/catalogue/src/product/product.fields';
import { CatalogueImportStore } from '../../subgraphs/catalogue/src/import/catalogue-import.store';
import { openRecommendationDataSource } from '../../subgraphs/recommendation/src/data-source';
import { InterestStore } from '../../subgraphs/recommendation/src/interest/interest.store';
import { EmbeddingCache, PRODUCT_CHUNK, VECTOR_CHUNK, writeProducts, type CatalogueDataSource as DataSource } from '../../scripts/catalogue-seed';
import { startStack, stackEnv, type RunningStack, type StackPorts } from '../../scripts/stack';
import { inParallel, printTable, runLoad, type LoadResult } from './harness';

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
/** Also run the query straight against the recommendation subgraph (0 turns it off). */
const DIRECT = process.env.BENCH_DIRECT !== '0';
const COPY_COSINE = Number(process.env.BENCH_COPY_COSINE ?? 0.9);
const INDEX_TIMEOUT_MS = Number(process.env.BENCH_INDEX_TIMEOUT_MS ?? 30 * 60_000);
const PROFILE_TIMEOUT_MS = 180_000;
const SEED = 20260101;
const FIRST = 20;
const HISTORY = 8;
const MIN_HISTORY = 4;
const CORES = availableParallelism();

const QUERY = `query { recommendations(first: ${FIRST}) { recommendationId items { score source reason product { id title price } } } }`;
const DIRECT_QUERY = `query { recommendations(first: ${FIRST}) { recommendationId items { score source reason product { id } } } }`;
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';

type Slate = { recommendations: { recommendationId: string; items: { source: string; product: { id: string } }[] } };

interface ShopperPlan {
  /** Newest last. */
  skus: string[];
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
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

/** Resident and peak resident memory of a process, in MiB (Linux /proc). */
async function memoryOf(pid: number | undefined): Promise<{ rssMb: number; peakMb: number }> {
  if (pid === undefined) return { rssMb: Number.NaN, peakMb: Number.NaN };
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: round(kib('VmRSS') / 1024, 0), peakMb: round(kib('VmHWM') / 1024, 0) };
}

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

  const copies = size - products.length;
  if (copies <= 0) return { realProducts: products.length, copies: 0, copyCosineMean: Number.NaN, ids };
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
  return { realProducts: products.length, copies, copyCosineMean: cosineSum / copies, ids };
}

interface RunSetup {
  runId: string;
  secrets: { GATEWAY_SECRET: string; JWT_SECRET: string };
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
  afterLoad: { rssMb: number; peakMb: number };
  shoppersWithInterestItems: number;
  viaGateway: () => Promise<boolean>;
  viaSubgraph: () => Promise<boolean>;
  /** Served items by source and slates shorter than asked, counted by `viaGateway`. */
  served: { sources: Record<string, number>; items: number; shortSlates: number };
  memory: () => Promise<{ rssMb: number; peakMb: number }>;
  logged: () => Promise<{ slates: number; items: number }>;
  stackErrors: () => string[];
}

async function main(): Promise<void> {
  if (SIZES.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`BENCH_SIZES must be positive integers, got ${process.env.BENCH_SIZES}`);
  const runId = randomBytes(4).toString('hex');
  const secrets = { GATEWAY_SECRET: randomBytes(24).toString('hex'), JWT_SECRET: randomBytes(24).toString('hex') };
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
  const interrupted = (signal: NodeJS.Signals) => {
    progress(`${signal}, stopping the stacks and dropping their data…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

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
      progress(`warm-up ${WARMUP_SECONDS} s, ${size.size} products`);
      await runLoad('warm-up', size.viaGateway, { ...options, seconds: WARMUP_SECONDS });
      if (DIRECT) await runLoad('warm-up', size.viaSubgraph, { ...options, seconds: WARMUP_SECONDS });
      size.served.sources = {};
      size.served.items = 0;
      size.served.shortSlates = 0;
    }
    const rounds = new Map<number, { gateway: LoadResult[]; direct: LoadResult[]; loadavg: number[] }>(
      prepared.map((size) => [size.size, { gateway: [], direct: [], loadavg: [] }]),
    );
    for (let pass = 1; pass <= ROUNDS; pass += 1) {
      for (const size of prepared) {
        progress(`round ${pass}/${ROUNDS}: ${size.size} products, ${CONCURRENCY} callers × ${SECONDS} s`);
        const own = rounds.get(size.size)!;
        own.loadavg.push(loadavg()[0]!);
        own.gateway.push(await runLoad(`${size.size} products, gateway (round ${pass})`, size.viaGateway, options));
        if (DIRECT) own.direct.push(await runLoad(`${size.size} products, recommendation subgraph (round ${pass})`, size.viaSubgraph, options));
      }
    }

    const results = [];
    for (const size of prepared) {
      const own = rounds.get(size.size)!;
      const logged = await size.logged();
      const errors = size.stackErrors();
      if (errors.length > 0) progress(`the ${size.size}-product stack logged ${errors.length} error lines, the last ones:\n${errors.slice(-5).join('\n')}`);
      results.push({ size, gateway: own.gateway, direct: own.direct, loadavg: own.loadavg, memory: await size.memory(), logged });
    }
    report(results, failures);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}

/**
 * Writes the catalogue, starts a stack on it, waits for the recommendation index to hold it all,
 * signs the shoppers up and waits for the worker to store their profiles, then stops the worker.
 * Pushes the size's cleanup onto `cleanups` first, so a failure anywhere leaves nothing behind.
 */
async function prepareSize(size: number, position: number, run: RunSetup, cleanups: (() => Promise<void>)[]): Promise<PreparedSize> {
  const base = 24000 + (process.pid % 100) * 50 + position * 10;
  const ports: StackPorts = { gateway: base, user: base + 1, catalogue: base + 2, recommendation: base + 3, feedback: base + 4 };
  const prefix = `bench_${run.runId}_${position}`;
  const env = stackEnv(ports, {
    NODE_ENV: 'production',
    MYSQL_DATABASE_PREFIX: prefix,
    QUEUE_PREFIX: prefix,
    PUBSUB_PREFIX: prefix,
    // The vectors are written with their text hashes; nothing is left for the worker to embed.
    EMBEDDING_BACKFILL: 'off',
    LOG_LEVEL: 'warn',
    ...run.secrets,
  });
  const settings = loadConfig('bench', z.object(commonEnv), env);

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
        for (const owner of ['user', 'catalogue', 'recommendation', 'feedback'] as const) await dropDatabase(settings, databaseName(settings, owner));
        await dropRedisKeys(settings.REDIS_URL, prefix);
      })()),
  );

  try {
    const seedStarted = performance.now();
    held.catalogue = (await openCatalogueDataSource(settings)).dataSource;
    const seeded = await seedCatalogue(held.catalogue, size, run.real, run.cache, run.model);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await held.catalogue.destroy();
    held.catalogue = null;
    progress(`catalogue of ${size} written in ${seedSeconds.toFixed(1)} s; starting its stack (prefix ${prefix})…`);

    const index: { loaded: { products: number; ms: number; at: number } | null } = { loaded: null };
    const stackStarted = performance.now();
    held.stack = await startStack({
      env,
      ports,
      startTimeoutMs: 120_000,
      onOutput: (name, line) => {
        log.push(`[${name}] ${line}`);
        if (log.length > 500) log.shift();
        if (name !== 'recommendation') return;
        const done = /product index loaded: (\d+) products in (\d+) ms/.exec(line);
        if (done) index.loaded = { products: Number(done[1]), ms: Number(done[2]), at: performance.now() };
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

    const served = { sources: {} as Record<string, number>, items: 0, shortSlates: 0 };
    let next = 0;
    const subgraph = `http://127.0.0.1:${ports.recommendation}/graphql`;
    const count = async (query: string) => Number((await recommendation.query<{ count: string }[]>(query))[0]?.count ?? 0);
    return {
      size,
      seeded,
      seedSeconds,
      index: { products: loaded.products, ms: loaded.ms, wallMs: loaded.at - stackStarted },
      afterLoad,
      shoppersWithInterestItems,
      served,
      viaGateway: async () => {
        const account = accounts[next++ % accounts.length]!;
        const response = await postGraphQL<Slate>(gateway, QUERY, {}, { authorization: `Bearer ${account.token}` });
        const slate = response.data?.recommendations;
        if (response.errors || response.status !== 200 || !slate || slate.items.length === 0) return false;
        if (slate.items.length < FIRST) served.shortSlates += 1;
        for (const item of slate.items) served.sources[item.source] = (served.sources[item.source] ?? 0) + 1;
        served.items += slate.items.length;
        return true;
      },
      viaSubgraph: async () => {
        const account = accounts[next++ % accounts.length]!;
        const headers = { 'x-serendip-identity': signIdentity(run.secrets.GATEWAY_SECRET, { userId: account.userId, roles: ['shopper'] }) };
        const response = await postGraphQL<Slate>(subgraph, DIRECT_QUERY, {}, headers);
        return !response.errors && response.status === 200 && (response.data?.recommendations.items.length ?? 0) > 0;
      },
      memory: () => memoryOf(recommendationPid),
      logged: async () => ({
        slates: await count('SELECT COUNT(*) AS count FROM recommendation_slate'),
        items: await count('SELECT COUNT(*) AS count FROM recommendation_item'),
      }),
      stackErrors: () => log.filter((line) => /error|fail/i.test(line)),
    };
  } catch (error) {
    console.error(log.slice(-40).join('\n'));
    throw error;
  }
}

interface SizeReport {
  size: PreparedSize;
  gateway: LoadResult[];
  direct: LoadResult[];
  loadavg: number[];
  memory: { rssMb: number; peakMb: number };
  logged: { slates: number; items: number };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Mean over the rounds, as the gateway bench reports its rounds. */
function summary(results: LoadResult[]) {
  if (results.length === 0) return null;
  return {
    req_per_s: round(mean(results.map((r) => r.perSecond))),
    p50_ms: round(mean(results.map((r) => r.p50Ms)), 2),
    p99_ms: round(mean(results.map((r) => r.p99Ms)), 2),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    rounds_p50_ms: results.map((r) => round(r.p50Ms, 2)),
  };
}

function report(results: SizeReport[], failures: { products: number; error: string }[]): void {
  printTable(results.flatMap((result) => [...result.gateway, ...result.direct]));
  console.log('');
  const header = [
    'products',
    'real',
    'copies',
    'copy cos',
    'seed s',
    'index load s',
    'rec RSS MiB loaded/after/peak',
    'gw p50 ms',
    'gw p99 ms',
    'gw req/s',
    'interest items %',
    'short slates',
  ];
  const lines = results.map(({ size, gateway, memory }) => [
    String(size.size),
    String(size.seeded.realProducts),
    String(size.seeded.copies),
    Number.isNaN(size.seeded.copyCosineMean) ? '-' : size.seeded.copyCosineMean.toFixed(3),
    size.seedSeconds.toFixed(0),
    (size.index.ms / 1000).toFixed(1),
    `${size.afterLoad.rssMb}/${memory.rssMb}/${memory.peakMb}`,
    mean(gateway.map((r) => r.p50Ms)).toFixed(1),
    mean(gateway.map((r) => r.p99Ms)).toFixed(1),
    mean(gateway.map((r) => r.perSecond)).toFixed(1),
    String(percentOf(size.served.sources.interest ?? 0, size.served.items)),
    String(size.served.shortSlates),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
  for (const failure of failures) console.log(`${failure.products} products: FAILED (${failure.error})`);

  const smallest = results[0]!;
  const largest = results[results.length - 1]!;
  const p50 = (r: LoadResult[]) => mean(r.map((x) => x.p50Ms));
  const ratio = p50(largest.gateway) / p50(smallest.gateway);
  const directRatio = DIRECT ? p50(largest.direct) / p50(smallest.direct) : null;
  console.log(
    `\n${largest.size.size} products cost ${ratio.toFixed(2)}× the p50 of ${smallest.size.size} through the gateway` +
      `${directRatio === null ? '' : ` (${directRatio.toFixed(2)}× at the recommendation subgraph)`}; goal ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}` +
      `${failures.length > 0 ? `; failed: ${failures.map((failure) => failure.products).join(', ')}` : ''}`,
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
      sizes: results.map(({ size, gateway, direct, loadavg: loads, memory, logged }) => ({
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
        loadavg_1m_per_round: loads.map((value) => round(value, 2)),
        gateway: summary(gateway),
        recommendation_subgraph: summary(direct),
        short_slates: size.served.shortSlates,
        source_share_pct: Object.fromEntries(Object.entries(size.served.sources).map(([source, n]) => [source, percentOf(n, size.served.items)])),
        shoppers_with_interest_items: size.shoppersWithInterestItems,
        slates_logged: logged.slates,
        items_logged: logged.items,
      })),
      failed: failures,
      ratio_p50: round(ratio, 3),
      ratio_p99: round(mean(largest.gateway.map((r) => r.p99Ms)) / mean(smallest.gateway.map((r) => r.p99Ms)), 3),
      ratio_p50_subgraph: directRatio === null ? null : round(directRatio, 3),
      goal_met: ratio <= 2 && failures.length === 0,
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
