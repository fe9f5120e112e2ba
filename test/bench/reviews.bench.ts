/**
 * pnpm bench:reviews — review analysis of real reviews (BENCH_REVIEWS, default 1000: half Chinese
 * online-shopping reviews, half English clothing reviews, from SERENDIP_DATA_DIR):
 *   (a) in process: the worker's own `analyseReviews` (language, aspect clauses, one sentiment call
 *       for the reviews and their clauses, the embedding, tokens and TextRank keywords) with the
 *       models of packages/inference at the worker's settings (INFERENCE_THREADS, default one
 *       thread and one text per ONNX call on CPU), handed WORKER_BATCH_MAX reviews at a time as the
 *       worker's micro-batcher gathers them: the baseline;
 *   (b) in process: the same batches through the sentiment and embedding models only, so (a) less
 *       (b) is what the text understanding costs (jieba, clause splitting and the clauses' own
 *       sentiment);
 *   (c) analyse-review jobs, one review each as the feedback subgraph sends them, through BullMQ and
 *       the worker pool with 1 and with 2 processes; WORKER_REVIEW_ANALYSES=off, so a job returns
 *       its analysis instead of storing it in MySQL.
 * Pool cases run a closed loop: 2 × processes × WORKER_BATCH_MAX jobs outstanding, so every
 * process has a batch in its inference thread and the next in hand; a new job is added as each
 * completes. Latency is from add to the completion event, as a producer waiting for the result
 * sees it; in process it is one batch's call. Every case runs BENCH_ROUNDS (3) times, the cases
 * taking turns so that other load on the machine falls on all of them, and keeps its fastest round.
 * `ratio` = pool reviews/s (the better process count) / in-process reviews/s; `ratio_1p` the
 * same with one process, which has the baseline's cores; `text_cost` = (b) reviews/s / (a)
 * reviews/s, how many times the bare models' time a full analysis takes.
 * Each pool case has its own queue prefix; its Redis keys are removed when it ends, also on SIGINT.
 * Prints a table, then as its last line one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dropRedisKeys } from '@serendip/testing';
import { chineseReviewText, clothingReviewText } from '../../tools/demo-data/src/link';
import { readChinese } from '../../tools/demo-data/src/sources/chinese-shopping.source';
import { readClothing } from '../../tools/demo-data/src/sources/womens-clothing.source';
import { createEmbedder, createSentimentClassifier, loadInferenceConfig } from '../../packages/inference/src';
import { enqueueAnalyseReview, jobIds, openQueue, openQueueEvents, QueueName, type AnalyseReviewPayload } from '../../packages/jobs/src';
import { aspectClauses, detectLanguage } from '../../packages/text/src';
import { loadWorkerConfig, startWorkerPool, type WorkerPool } from '../../workers/inference/src';
import { analyseReviews } from '../../workers/inference/src/handlers/analyse-review.handler';
import type { Models } from '../../workers/inference/src/handlers/handler';
import { percentile } from './harness';

const DATA_DIR = process.env.SERENDIP_DATA_DIR ?? resolve(__dirname, '../../../shared/data');
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL_WARMUP = Number(process.env.BENCH_POOL_WARMUP ?? 128);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// The worker's own default (32) unless WORKER_BATCH_MAX says otherwise, for both sides alike.
const BATCH_MAX = loadWorkerConfig({ WORKER_BATCH_MAX: process.env.WORKER_BATCH_MAX }).WORKER_BATCH_MAX;
const CORES = availableParallelism();

interface Row {
  name: string;
  processes: number;
  reviews: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function row(name: string, processes: number, reviews: number, seconds: number, latencies: number[]): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, processes, reviews, seconds, perSecond: reviews / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** Half Chinese, half English, alternating, spread evenly over each file so lengths and topics vary. */
async function reviewPayloads(count: number): Promise<AnalyseReviewPayload[]> {
  const chinese = (await readChinese(DATA_DIR)).map((review) => chineseReviewText(review.review)).filter((text): text is string => text !== null);
  const english = (await readClothing(DATA_DIR)).map((review) => clothingReviewText(review.title, review.text)).filter((text): text is string => text !== null);
  const spread = (texts: string[], n: number) => Array.from({ length: n }, (_, index) => texts[Math.floor((index * texts.length) / n)]!);
  const zh = spread(chinese, Math.ceil(count / 2));
  const en = spread(english, Math.floor(count / 2));
  return Array.from({ length: count }, (_, index) => ({ reviewId: String(index + 1), text: index % 2 === 0 ? zh[index / 2]! : en[(index - 1) / 2]! }));
}

/** Runs `analyse` over `payloads` in batches of BATCH_MAX, one after the other, as one inference thread does. */
async function inProcessCase(name: string, payloads: AnalyseReviewPayload[], analyse: (batch: AnalyseReviewPayload[]) => Promise<number>): Promise<Row> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let start = 0; start < payloads.length; start += BATCH_MAX) {
    const batch = payloads.slice(start, start + BATCH_MAX);
    const callStarted = performance.now();
    const answered = await analyse(batch);
    latencies.push(performance.now() - callStarted);
    if (answered !== batch.length) throw new Error(`${name}: ${answered} results for ${batch.length} reviews`);
  }
  return row(name, 1, payloads.length, (performance.now() - started) / 1000, latencies);
}

/** Cleanups of the pool case in progress, run on SIGINT so an interrupted bench leaves no workers or keys. */
const pending = new Set<() => Promise<void>>();

const isAnalysisOf = (value: unknown, reviewId: string): boolean =>
  typeof value === 'object' && value !== null && (value as { reviewId?: unknown }).reviewId === reviewId && 'sentiment' in value && 'embedding' in value;

async function poolCase(processes: number, payloads: AnalyseReviewPayload[]): Promise<Row> {
  const name = `pool, ${processes} process${processes > 1 ? 'es' : ''}, 1 review per job`;
  const prefix = `bench_reviews_${randomBytes(4).toString('hex')}`;
  const connection = { redisUrl: REDIS_URL, prefix };
  const queue = openQueue(QueueName.ReviewAnalysis, connection);
  // From the stream's start: the first completions can land before the first read.
  const events = openQueueEvents(QueueName.ReviewAnalysis, connection, { lastEventId: '0-0' });
  let pool: WorkerPool | null = null;
  const cleanup = async () => {
    await pool?.stop();
    await queue.close();
    await events.close();
    await dropRedisKeys(REDIS_URL, prefix);
  };
  pending.add(cleanup);
  try {
    pool = await startWorkerPool({
      processes,
      env: {
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_QUEUES: QueueName.ReviewAnalysis,
        WORKER_REVIEW_ANALYSES: 'off',
        WORKER_BATCH_MAX: String(BATCH_MAX),
        LOG_LEVEL: 'warn',
      },
    });
    await events.waitUntilReady();
    const outstanding = 2 * processes * BATCH_MAX;
    const run = async (reviews: AnalyseReviewPayload[]) => {
      const inFlight = new Map<string, { reviewId: string; addedAt: number }>();
      const latencies: number[] = [];
      let next = 0;
      let failed = 0;
      const started = performance.now();
      await new Promise<void>((done, fail) => {
        const add = () => {
          const review = reviews[next++]!;
          // Known before the add resolves, since a fast job can complete before that.
          inFlight.set(jobIds.analyseReview(review.reviewId, review.text), { reviewId: review.reviewId, addedAt: performance.now() });
          // One attempt: a failure is counted, not hidden behind a retry's backoff.
          enqueueAnalyseReview(queue, [review], { attempts: 1 }).catch(fail);
        };
        const finish = (jobId: string, ok: boolean) => {
          const job = inFlight.get(jobId);
          if (!job) return;
          inFlight.delete(jobId);
          latencies.push(performance.now() - job.addedAt);
          if (!ok) failed += 1;
          if (next < reviews.length) add();
          else if (latencies.length === reviews.length) done();
        };
        events.on('completed', ({ jobId, returnvalue }) => finish(jobId, isAnalysisOf(returnvalue, inFlight.get(jobId)?.reviewId ?? '')));
        events.on('failed', ({ jobId }) => finish(jobId, false));
        for (let i = 0; i < Math.min(outstanding, reviews.length); i += 1) add();
      });
      events.removeAllListeners('completed');
      events.removeAllListeners('failed');
      if (failed > 0) throw new Error(`${name}: ${failed} jobs failed or returned no analysis`);
      return { seconds: (performance.now() - started) / 1000, latencies };
    };
    // Warm-up under other review ids (no job id repeats): fresh ONNX sessions and jieba's dictionary are slow at first.
    await run(payloads.slice(0, POOL_WARMUP).map((payload) => ({ ...payload, reviewId: `9${payload.reviewId.padStart(9, '0')}` })));
    const { seconds, latencies } = await run(payloads);
    return row(name, processes, payloads.length, seconds, latencies);
  } finally {
    pending.delete(cleanup);
    await cleanup();
  }
}

function printTable(rows: Row[]): void {
  const header = ['case', 'procs', 'reviews', 'reviews/s', 'p50 ms', 'p99 ms'];
  const lines = rows.map((r) => [r.name, String(r.processes), String(r.reviews), r.perSecond.toFixed(1), r.p50Ms.toFixed(1), r.p99Ms.toFixed(1)]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

const fastest = (rows: Row[]): Row => rows.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  // Other work on the machine skews every number; the summary says how busy it was.
  const loadAtStart = loadavg()[0]!;
  const payloads = await reviewPayloads(REVIEWS);
  const clauses = payloads.reduce((sum, payload) => sum + aspectClauses(payload.text, detectLanguage(payload.text)).length, 0);
  const inference = loadInferenceConfig();
  console.error(
    `bench: ${payloads.length} reviews (${clauses} aspect clauses), ${CORES} cores, ${inference.EMBEDDING_MODEL} + ${inference.SENTIMENT_MODEL} (${inference.INFERENCE_DTYPE}, ${inference.INFERENCE_THREADS} thread), batches of ${BATCH_MAX}`,
  );

  const models: Models = { embedder: await createEmbedder(inference), sentiment: await createSentimentClassifier(inference) };
  const full = (batch: AnalyseReviewPayload[]) => analyseReviews(batch, models).then((results) => results.length);
  // Sentiment, then embedding, as `analyseReviews` calls them.
  const modelsOnly = async (batch: AnalyseReviewPayload[]) => {
    const texts = batch.map((payload) => payload.text);
    const sentiments = await models.sentiment.classify(texts);
    const vectors = await models.embedder.embed(texts);
    return Math.min(sentiments.length, vectors.length);
  };
  const rounds: { analysis: Row[]; modelsOnly: Row[]; pool1: Row[]; pool2: Row[] } = { analysis: [], modelsOnly: [], pool1: [], pool2: [] };
  try {
    // The first calls of a fresh ONNX session, and jieba's dictionary load, should not be counted.
    await full(payloads.slice(0, BATCH_MAX));
    for (let r = 1; r <= ROUNDS; r += 1) {
      const note = (result: Row) =>
        console.error(`bench: round ${r}, ${result.name}: ${result.perSecond.toFixed(1)} reviews/s, p50 ${result.p50Ms.toFixed(1)} ms`);
      const take = (list: Row[], result: Row) => {
        note(result);
        list.push(result);
      };
      take(rounds.analysis, await inProcessCase(`in process, analyseReviews, batch ${BATCH_MAX}`, payloads, full));
      take(rounds.modelsOnly, await inProcessCase(`in process, sentiment + embedding only, batch ${BATCH_MAX}`, payloads, modelsOnly));
      take(rounds.pool1, await poolCase(1, payloads));
      take(rounds.pool2, await poolCase(2, payloads));
    }
  } finally {
    await models.embedder.dispose();
    await models.sentiment.dispose();
  }

  const analysis = fastest(rounds.analysis);
  const bare = fastest(rounds.modelsOnly);
  const pool1 = fastest(rounds.pool1);
  const pool2 = fastest(rounds.pool2);
  const pool = fastest([pool1, pool2]);
  printTable([analysis, bare, pool1, pool2]);
  const summary = {
    bench: 'reviews',
    embedding_model: inference.EMBEDDING_MODEL,
    sentiment_model: inference.SENTIMENT_MODEL,
    dtype: inference.INFERENCE_DTYPE,
    threads_per_process: inference.INFERENCE_THREADS,
    cores: CORES,
    loadavg_1m_at_start: round(loadAtStart),
    reviews: payloads.length,
    aspect_clauses_per_review: round(clauses / payloads.length, 2),
    worker_batch_max: BATCH_MAX,
    rounds: ROUNDS,
    in_process_per_s: round(analysis.perSecond),
    in_process_batch_p50_ms: round(analysis.p50Ms),
    models_only_per_s: round(bare.perSecond),
    pool_1p_per_s: round(pool1.perSecond),
    pool_1p_p50_ms: round(pool1.p50Ms),
    pool_1p_p99_ms: round(pool1.p99Ms),
    pool_2p_per_s: round(pool2.perSecond),
    pool_2p_p50_ms: round(pool2.p50Ms),
    pool_2p_p99_ms: round(pool2.p99Ms),
    pool_best_processes: pool.processes,
    ratio: round(pool.perSecond / analysis.perSecond, 3),
    ratio_1p: round(pool1.perSecond / analysis.perSecond, 3),
    text_cost: round(bare.perSecond / analysis.perSecond, 3),
  };
  console.log(JSON.stringify(summary));
}

process.once('SIGINT', () => {
  void Promise.allSettled([...pending].map((cleanup) => cleanup())).finally(() => process.exit(130));
});

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
