/**
 * pnpm bench:inference — sentence embeddings of real review texts (Chinese shopping reviews and
 * English clothing reviews from SERENDIP_DATA_DIR, half each):
 *   (a) raw: the embedder in this process with one ONNX thread, texts handed over in batches of
 *       1, 8, 16, 32 and 64; then with one thread per core at the best of those sizes; then on
 *       the torch backend (fp32, one PyTorch thread) in batches of BENCH_TORCH_BATCH_SIZES
 *       (1 and 32; empty for none), for comparison with ONNX Runtime on the same core;
 *   (b) the same texts as BullMQ embed-products jobs through the worker pool, 1 process (one
 *       thread per core) and 2 processes (one thread each): jobs of BENCH_PRODUCTS_PER_JOB
 *       products, as imports and backfills send them, then one product per job, as a single
 *       product write sends it;
 *   (c) one job at a time (the latency a lone search text sees on an idle pool).
 * The pool runs the device's default ONNX batch size (1 text per call on CPU) and gathers up to
 * WORKER_BATCH_MAX products of concurrent jobs into one message to its inference thread.
 * Pool cases run a closed loop: a fixed number of jobs outstanding, a new one added as each
 * completes; latency is from add to the completion event, as a producer waiting for a result sees
 * it. `ratio` = texts per CPU second of the pool's processes (2 processes, bulk jobs) / texts per
 * CPU second of the raw ONNX cases (this process, all its threads), the raw side taking its best
 * showing; `ratio_one_per_job` the same with one product per job. CPU time, not cores, because on
 * this machine Redis and the producer (this process) share the pool's cores, which a deployment
 * gives to other machines; `ratio_wall_cores` charges them to the pool (texts/s per core it was
 * given, over the raw side's texts/s per thread).
 * Prints a table, then as its last line one JSON object. The whole bench runs on the torch
 * backend with INFERENCE_BACKEND=torch INFERENCE_DTYPE=fp32 (pool cases included).
 */
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { readChinese } from '../../tools/demo-data/src/sources/chinese-shopping.source';
import { readClothing } from '../../tools/demo-data/src/sources/womens-clothing.source';
import { chineseReviewText, clothingReviewText } from '../../tools/demo-data/src/link';
import { createEmbedder, loadInferenceConfig } from '../../packages/inference/src';
import { DEFAULT_PRODUCTS_PER_JOB, JobName, openQueue, openQueueEvents, QueueName } from '../../packages/jobs/src';
import { startWorkerPool } from '../../workers/inference/src';
import { percentile, processCpuSeconds } from './harness';

const DATA_DIR = process.env.SERENDIP_DATA_DIR ?? resolve(__dirname, '../../../shared/data');
const TEXTS = Number(process.env.BENCH_TEXTS ?? 2000);
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? '1,8,16,32,64').split(',').map(Number);
const TORCH_BATCH_SIZES = (process.env.BENCH_TORCH_BATCH_SIZES ?? '1,32').split(',').filter(Boolean).map(Number);
const BATCH_MAX = Number(process.env.BENCH_WORKER_BATCH_MAX ?? 32);
const PRODUCTS_PER_JOB = Number(process.env.BENCH_PRODUCTS_PER_JOB ?? DEFAULT_PRODUCTS_PER_JOB);
const IDLE_JOBS = Number(process.env.BENCH_IDLE_JOBS ?? 200);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CORES = availableParallelism();

interface Row {
  name: string;
  processes: number;
  threads: number;
  batch: string;
  texts: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds the inference processes used over the measured run (the raw case: this process). */
  cpuSeconds: number;
}

function row(name: string, setup: Pick<Row, 'processes' | 'threads' | 'batch'>, texts: number, seconds: number, latencies: number[], cpuSeconds: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, ...setup, texts, seconds, perSecond: texts / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), cpuSeconds };
}

/** Texts per CPU second: what one fully used core gets through. */
const perCpuSecond = (r: Row): number => r.texts / r.cpuSeconds;

/** CPU seconds this process has used (all its threads, ONNX Runtime's included). */
const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Half Chinese, half English, spread evenly over each file so lengths and topics vary. */
async function reviewTexts(count: number): Promise<string[]> {
  const chinese = (await readChinese(DATA_DIR)).map((review) => chineseReviewText(review.review)).filter((text): text is string => text !== null);
  const english = (await readClothing(DATA_DIR)).map((review) => clothingReviewText(review.title, review.text)).filter((text): text is string => text !== null);
  const spread = (texts: string[], n: number) => Array.from({ length: n }, (_, index) => texts[Math.floor((index * texts.length) / n)]!);
  const zh = spread(chinese, Math.ceil(count / 2));
  const en = spread(english, Math.floor(count / 2));
  return Array.from({ length: count }, (_, index) => (index % 2 === 0 ? zh[index / 2]! : en[(index - 1) / 2]!));
}

/** The torch backend's settings, for its raw rows. */
const TORCH = { INFERENCE_BACKEND: 'torch', INFERENCE_DTYPE: 'fp32' };

async function rawCases(texts: string[], threads: number, sizes: number[], backend: Partial<typeof TORCH> = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const label = backend.INFERENCE_BACKEND ? `raw ${backend.INFERENCE_BACKEND} ${backend.INFERENCE_DTYPE}` : 'raw';
  for (const size of sizes) {
    // The batch size is the embedder's own: each call hands the model `size` texts at once.
    const embedder = await createEmbedder(
      loadInferenceConfig({ ...process.env, ...backend, INFERENCE_THREADS: String(threads), INFERENCE_BATCH_SIZE: String(size) }),
    );
    try {
      await embedder.embed(texts.slice(0, 64));
      const latencies: number[] = [];
      const cpuBefore = ownCpuSeconds();
      const started = performance.now();
      for (let start = 0; start < texts.length; start += size) {
        const callStarted = performance.now();
        await embedder.embed(texts.slice(start, start + size));
        latencies.push(performance.now() - callStarted);
      }
      const seconds = (performance.now() - started) / 1000;
      rows.push(
        row(
          `${label}, ${threads} thread${threads > 1 ? 's' : ''}, batch ${size}`,
          { processes: 1, threads, batch: String(size) },
          texts.length,
          seconds,
          latencies,
          // The torch backend's model runs in a child process this process cannot count: no figure rather than a flattering one.
          backend.INFERENCE_BACKEND === 'torch' ? Number.NaN : ownCpuSeconds() - cpuBefore,
        ),
      );
      console.error(`bench: ${label}, ${threads} threads, batch ${size}: ${(texts.length / seconds).toFixed(1)} texts/s`);
    } finally {
      await embedder.dispose();
    }
  }
  return rows;
}

interface PoolCase {
  name: string;
  processes: number;
  batchMax: number;
  productsPerJob: number;
  /** Jobs kept outstanding. */
  outstanding: number;
  texts: string[];
}

async function poolCase(spec: PoolCase): Promise<Row> {
  const threads = Math.max(1, Math.floor(CORES / spec.processes));
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const connection = { redisUrl: REDIS_URL, prefix };
  const pool = await startWorkerPool({
    processes: spec.processes,
    env: {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WORKER_PRODUCT_EMBEDDINGS: 'off',
      LOG_LEVEL: 'warn',
      WORKER_QUEUES: QueueName.ProductEmbedding,
      WORKER_BATCH_MAX: String(spec.batchMax),
      INFERENCE_THREADS: String(threads),
    },
  });
  // The worker processes' own CPU time: on this machine Redis and this producer take their share
  // of the same cores, which a deployment gives to other machines.
  const poolCpuSeconds = () => pool.processes.reduce((sum, child) => sum + (processCpuSeconds(child.pid!) ?? Number.NaN), 0);
  const queue = openQueue(QueueName.ProductEmbedding, connection);
  // From the stream's start: the first completions can land before the first read.
  const events = openQueueEvents(QueueName.ProductEmbedding, connection, { lastEventId: '0-0' });
  try {
    await events.waitUntilReady();
    const run = async (texts: string[], idBase: number) => {
      const addedAt = new Map<string, number>();
      const latencies: number[] = [];
      let next = 0;
      let failed = 0;
      const cpuBefore = poolCpuSeconds();
      const started = performance.now();
      await new Promise<void>((done, fail) => {
        const add = () => {
          const first = next;
          next = Math.min(texts.length, next + spec.productsPerJob);
          const products = texts.slice(first, next).map((text, offset) => ({ productId: String(idBase + first + offset), text }));
          // Fresh product ids, so no job id repeats and nothing is deduplicated away.
          const jobId = `bench/${idBase + first}`;
          addedAt.set(jobId, performance.now());
          queue.add(JobName.EmbedProducts, { products }, { jobId }).catch(fail);
        };
        const finish = (jobId: string) => {
          const at = addedAt.get(jobId);
          if (at === undefined) return;
          addedAt.delete(jobId);
          latencies.push(performance.now() - at);
          if (next < texts.length) add();
          else if (addedAt.size === 0) done();
        };
        events.on('completed', ({ jobId }) => finish(jobId));
        events.on('failed', ({ jobId }) => {
          failed += 1;
          finish(jobId);
        });
        for (let i = 0; i < Math.min(spec.outstanding, texts.length); i += 1) add();
      });
      events.removeAllListeners('completed');
      events.removeAllListeners('failed');
      if (failed > 0) throw new Error(`${spec.name}: ${failed} jobs failed`);
      return { seconds: (performance.now() - started) / 1000, latencies, cpuSeconds: poolCpuSeconds() - cpuBefore };
    };
    // Warm-up: the first calls of a fresh ONNX session are slow, and the real run should not pay for them.
    await run(spec.texts.slice(0, Math.min(spec.texts.length, 128)), 1_000_000);
    const { seconds, latencies, cpuSeconds } = await run(spec.texts, 1);
    const result = row(
      spec.name,
      { processes: spec.processes, threads, batch: `${spec.productsPerJob}/job` },
      spec.texts.length,
      seconds,
      latencies,
      cpuSeconds,
    );
    console.error(`bench: ${spec.name}: ${result.perSecond.toFixed(1)} texts/s, p50 ${result.p50Ms.toFixed(1)} ms`);
    return result;
  } finally {
    await pool.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await events.close();
  }
}

function printTable(rows: Row[]): void {
  const header = ['case', 'procs', 'threads', 'batch', 'texts', 'texts/s', 'texts/CPU s', 'p50 ms', 'p99 ms'];
  const lines = rows.map((r) => [
    r.name,
    String(r.processes),
    String(r.threads),
    r.batch,
    String(r.texts),
    r.perSecond.toFixed(1),
    Number.isNaN(r.cpuSeconds) ? '-' : perCpuSecond(r).toFixed(1),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

const fastest = (rows: Row[]): Row => rows.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

async function main(): Promise<void> {
  // Other work on the machine skews every number; the summary says how busy it was.
  const loadAtStart = loadavg()[0]!;
  const texts = await reviewTexts(TEXTS);
  const inference = loadInferenceConfig();
  console.error(
    `bench: ${texts.length} review texts, ${CORES} cores, model ${inference.EMBEDDING_MODEL} (${inference.INFERENCE_BACKEND} ${inference.INFERENCE_DTYPE})`,
  );

  // One ONNX thread (one core) at every batch size, then the whole machine at the best of them.
  const rawOneCore = await rawCases(texts, 1, BATCH_SIZES);
  const bestOneCore = fastest(rawOneCore);
  const [rawAllCores] = CORES > 1 ? await rawCases(texts, CORES, [Number(bestOneCore.batch)]) : [bestOneCore];
  const raw = fastest([bestOneCore, rawAllCores!]);
  const rawTorch = await rawCases(texts, 1, TORCH_BATCH_SIZES, TORCH);
  // Outstanding jobs: enough that every process has a batch in its thread and the next in hand.
  const bulk = (processes: number) => Math.max(2, Math.ceil((2 * processes * BATCH_MAX) / PRODUCTS_PER_JOB));
  const pool1 = await poolCase({
    name: `pool, 1 process, ${PRODUCTS_PER_JOB} per job`,
    processes: 1,
    batchMax: BATCH_MAX,
    productsPerJob: PRODUCTS_PER_JOB,
    outstanding: bulk(1),
    texts,
  });
  const pool2 = await poolCase({
    name: `pool, 2 processes, ${PRODUCTS_PER_JOB} per job`,
    processes: 2,
    batchMax: BATCH_MAX,
    productsPerJob: PRODUCTS_PER_JOB,
    outstanding: bulk(2),
    texts,
  });
  const single = await poolCase({
    name: 'pool, 2 processes, 1 per job',
    processes: 2,
    batchMax: BATCH_MAX,
    productsPerJob: 1,
    outstanding: 2 * 2 * BATCH_MAX,
    texts,
  });
  const idle = await poolCase({
    name: 'pool, 2 processes, one job at a time',
    processes: 2,
    batchMax: BATCH_MAX,
    productsPerJob: 1,
    outstanding: 1,
    texts: texts.slice(0, IDLE_JOBS),
  });

  const rows = [...rawOneCore, ...(CORES > 1 ? [rawAllCores!] : []), ...rawTorch, pool1, pool2, single, idle];
  printTable(rows);
  const coresOf = (r: Row) => Math.min(CORES, r.processes * r.threads);
  // Per core, the raw side takes its best showing (one thread is often more efficient than all).
  const rawPerCore = Math.max(bestOneCore.perSecond, rawAllCores!.perSecond / coresOf(rawAllCores!));
  const rawPerCpuSecond = Math.max(...[...rawOneCore, rawAllCores!].map(perCpuSecond));
  const summary = {
    bench: 'inference',
    model: inference.EMBEDDING_MODEL,
    backend: inference.INFERENCE_BACKEND,
    dtype: inference.INFERENCE_DTYPE,
    cores: CORES,
    loadavg_1m_at_start: round(loadAtStart),
    texts: texts.length,
    raw_per_s: round(raw.perSecond),
    raw_threads: raw.threads,
    raw_batch: Number(raw.batch),
    raw_1core_per_s: round(bestOneCore.perSecond),
    raw_1core_batch_1_per_s: round(rawOneCore.find((r) => r.batch === '1')?.perSecond ?? Number.NaN),
    raw_all_cores_per_s: round(rawAllCores!.perSecond),
    torch_1core_per_s: rawTorch.length > 0 ? round(fastest(rawTorch).perSecond) : null,
    torch_1core_batch: rawTorch.length > 0 ? Number(fastest(rawTorch).batch) : null,
    pool_per_s: round(pool2.perSecond),
    pool_p50_ms: round(pool2.p50Ms),
    pool_p99_ms: round(pool2.p99Ms),
    pool_1p_per_s: round(pool1.perSecond),
    pool_1p_p50_ms: round(pool1.p50Ms),
    pool_1p_p99_ms: round(pool1.p99Ms),
    pool_one_per_job_per_s: round(single.perSecond),
    pool_one_per_job_p50_ms: round(single.p50Ms),
    pool_one_per_job_p99_ms: round(single.p99Ms),
    idle_job_p50_ms: round(idle.p50Ms),
    idle_job_p99_ms: round(idle.p99Ms),
    worker_batch_max: BATCH_MAX,
    products_per_job: PRODUCTS_PER_JOB,
    raw_per_cpu_s: round(rawPerCpuSecond),
    pool_per_cpu_s: round(perCpuSecond(pool2)),
    pool_one_per_job_per_cpu_s: round(perCpuSecond(single)),
    ratio: round(perCpuSecond(pool2) / rawPerCpuSecond, 3),
    ratio_one_per_job: round(perCpuSecond(single) / rawPerCpuSecond, 3),
    ratio_wall_cores: round(pool2.perSecond / coresOf(pool2) / rawPerCore, 3),
    ratio_wall_cores_one_per_job: round(single.perSecond / coresOf(single) / rawPerCore, 3),
  };
  console.log(JSON.stringify(summary));
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
