import { createHash } from 'node:crypto';
import { type JobsOptions } from 'bullmq';
import { JobName, queueOfJob } from './names';
import { tracedEnqueue, withTrace } from './tracing';
import { type AnalyseReviewPayload, type JobPayloads, MAX_PRODUCTS_PER_JOB, type ProductText, validatePayload, validateProductText } from './payloads';
import { type JobQueue, type QueueJob } from './queues';

/** A producer was handed a payload the worker would refuse; nothing was enqueued. */
export class JobPayloadError extends Error {
  constructor(
    readonly job: JobName,
    readonly problems: string[],
  ) {
    super(`invalid ${job} payload: ${problems.join('; ')}`);
    this.name = 'JobPayloadError';
  }
}

/**
 * Content key of a text. Job ids carry it so that re-enqueueing unchanged text is a no-op while
 * an edited title or review gets a job of its own.
 */
export const textKey = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);

/**
 * Deterministic job ids. BullMQ refuses `:` in custom ids (it reserves that shape for repeatable
 * jobs), so segments are joined with `/`. The embedding model version is part of the id because
 * vectors of two versions live in different spaces: an upgraded model must re-embed everything.
 */
export const jobIds = {
  /** Keyed by content: the same products with the same texts make the same id. */
  embedProducts: (products: readonly ProductText[], modelVersion: string): string =>
    `${JobName.EmbedProducts}/${modelVersion}/${products.length}/${textKey(products.map((product) => `${product.productId}:${textKey(product.text)}`).join('\n'))}`,
  embedText: (text: string, modelVersion: string): string => `${JobName.EmbedText}/${modelVersion}/${textKey(text)}`,
  analyseReview: (reviewId: string, text: string): string => `${JobName.AnalyseReview}/${reviewId}/${textKey(text)}`,
};

export interface EmbeddingJobOptions {
  /** Version of the embedding model the vectors must come from (part of the job id). */
  modelVersion: string;
  /** Overrides of `defaultJobOptions` (attempts, backoff, priority …). */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
}

/** addBulk sends one pipeline per call; chunks keep a catalogue-sized fan-out from building one huge command. */
const BULK_CHUNK = 1000;

function checked<J extends JobName>(name: J, payloads: readonly unknown[]): JobPayloads[J][] {
  const problems = payloads.flatMap((payload, index) => {
    const result = validatePayload(name, payload);
    return result.ok ? [] : result.problems.map((problem) => (payloads.length > 1 ? `[${index}] ${problem}` : problem));
  });
  if (problems.length > 0) throw new JobPayloadError(name, problems);
  return payloads as JobPayloads[J][];
}

function assertQueue(queue: { name: string }, job: JobName): void {
  if (queue.name !== queueOfJob[job]) throw new Error(`${job} jobs belong on the ${queueOfJob[job]} queue, not ${queue.name}`);
}

async function inChunks<T, R>(items: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const done: R[] = [];
  for (let start = 0; start < items.length; start += BULK_CHUNK) done.push(...(await run(items.slice(start, start + BULK_CHUNK))));
  return done;
}

/** Products per embed-products job unless a producer says otherwise. */
export const DEFAULT_PRODUCTS_PER_JOB = 32;

export interface EmbedProductsOptions extends EmbeddingJobOptions {
  /** @default DEFAULT_PRODUCTS_PER_JOB, at most MAX_PRODUCTS_PER_JOB */
  productsPerJob?: number;
}

/**
 * Queues embeddings for products in jobs of `productsPerJob`. Every product is checked first: one
 * bad product enqueues nothing. A product named twice is embedded once, with its last text.
 * Enqueueing the same products again (same texts, same model, same order) adds nothing.
 */
export async function enqueueEmbedProducts(
  queue: JobQueue<typeof JobName.EmbedProducts>,
  products: readonly ProductText[],
  options: EmbedProductsOptions,
): Promise<QueueJob<typeof JobName.EmbedProducts>[]> {
  assertQueue(queue, JobName.EmbedProducts);
  const perJob = options.productsPerJob ?? DEFAULT_PRODUCTS_PER_JOB;
  if (!Number.isInteger(perJob) || perJob < 1 || perJob > MAX_PRODUCTS_PER_JOB) {
    throw new RangeError(`productsPerJob must be an integer from 1 to ${MAX_PRODUCTS_PER_JOB}`);
  }
  const problems = products.flatMap((product, index) => {
    const result = validateProductText(product);
    return result.ok ? [] : result.problems.map((problem) => `products[${index}].${problem}`);
  });
  if (problems.length > 0) throw new JobPayloadError(JobName.EmbedProducts, problems);
  const latest = new Map(products.map((product) => [product.productId, product] as const));
  const unique = [...latest.values()].map(({ productId, text }) => ({ productId, text }));
  const payloads: JobPayloads[typeof JobName.EmbedProducts][] = [];
  for (let start = 0; start < unique.length; start += perJob) payloads.push({ products: unique.slice(start, start + perJob) });
  return tracedEnqueue(JobName.EmbedProducts, queueOfJob[JobName.EmbedProducts], payloads.length, (trace) =>
    inChunks(payloads, (chunk) =>
      queue.addBulk(
        chunk.map((payload) => ({
          name: JobName.EmbedProducts,
          data: withTrace(payload, trace),
          opts: { ...options.jobOptions, jobId: jobIds.embedProducts(payload.products, options.modelVersion) },
        })),
      ),
    ),
  );
}

/**
 * Embeds one search text. Identical texts share one job while it is kept, so a popular query is
 * embedded once and later callers read the same result.
 */
export async function enqueueEmbedText(
  queue: JobQueue<typeof JobName.EmbedText>,
  text: string,
  options: EmbeddingJobOptions,
): Promise<QueueJob<typeof JobName.EmbedText>> {
  assertQueue(queue, JobName.EmbedText);
  const [payload] = checked(JobName.EmbedText, [{ text }]);
  return tracedEnqueue(JobName.EmbedText, queueOfJob[JobName.EmbedText], 1, (trace) =>
    queue.add(JobName.EmbedText, withTrace(payload!, trace), { ...options.jobOptions, jobId: jobIds.embedText(text, options.modelVersion) }),
  );
}

/** Queues sentiment + embedding for reviews (one or an import's worth); all-or-nothing validation. */
export async function enqueueAnalyseReview(
  queue: JobQueue<typeof JobName.AnalyseReview>,
  reviews: readonly AnalyseReviewPayload[],
  jobOptions?: Omit<JobsOptions, 'jobId'>,
): Promise<QueueJob<typeof JobName.AnalyseReview>[]> {
  assertQueue(queue, JobName.AnalyseReview);
  const valid = checked(JobName.AnalyseReview, reviews);
  return tracedEnqueue(JobName.AnalyseReview, queueOfJob[JobName.AnalyseReview], valid.length, (trace) =>
    inChunks(valid, (chunk) =>
      queue.addBulk(
        chunk.map(({ reviewId, text }) => ({
          name: JobName.AnalyseReview,
          data: withTrace({ reviewId, text }, trace),
          opts: { ...jobOptions, jobId: jobIds.analyseReview(reviewId, text) },
        })),
      ),
    ),
  );
}

export interface UpdateInterestOptions {
  /**
   * Quiet time before the update runs, so a burst of events (a page of views) triggers one
   * recomputation. @default 250
   */
  debounceMs?: number;
}

/**
 * Requests one interest update per user. While one is waiting, further requests are absorbed
 * (it reads every stored event when it runs); a request that arrives while one is running is kept
 * and runs after it, so the last events are never left out.
 */
export async function enqueueUpdateInterest(
  queue: JobQueue<typeof JobName.UpdateInterest>,
  userId: string,
  options: UpdateInterestOptions = {},
): Promise<QueueJob<typeof JobName.UpdateInterest>> {
  assertQueue(queue, JobName.UpdateInterest);
  const [payload] = checked(JobName.UpdateInterest, [{ userId }]);
  return tracedEnqueue(JobName.UpdateInterest, queueOfJob[JobName.UpdateInterest], 1, (trace) =>
    queue.add(JobName.UpdateInterest, withTrace(payload!, trace), {
      delay: options.debounceMs ?? 250,
      // A request absorbed by a waiting job joins that job's trace, not its own.
      deduplication: { id: `${JobName.UpdateInterest}/${userId}`, keepLastIfActive: true },
      // Each run supersedes the last, so there is nothing to gain from keeping completed ones.
      removeOnComplete: true,
    }),
  );
}
