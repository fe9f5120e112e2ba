import { join } from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import {
  encodeVector,
  JobName,
  jobsOfQueue,
  openQueue,
  openWorker,
  QueueName,
  tracedJob,
  textHash,
  validatePayload,
  type AnalyseReviewResult,
  type EmbedProductsPayload,
  type EmbedProductsResult,
  type EmbedTextPayload,
  type EmbedTextResult,
} from '@serendip/jobs';
import { DEFAULT_POOL_SIZE } from '@serendip/db';
import { pingRedis, requireThat, ServiceMetrics, type ReadinessChecks } from '@serendip/federation';
import { resolveEmbeddingModel } from '@serendip/inference';
import { logger } from '@serendip/telemetry';
import { sequenceVersionDir, ServedVersions } from '@serendip/sequence';
import type { WorkerConfig } from './config';
import type { ProductEmbedding } from './handlers/handler';
import { InferenceThread, type ThreadModels } from './inference-thread';
import { InterestUpdater } from './interest/interest-updater';
import { workerMetrics } from './metrics';
import { MicroBatcher } from './micro-batcher';
import { loadProductSequenceModel, SequenceQueries, type ProductSequenceModel, type RemoteQueries } from './sequence/sequence-queries';
import { productTextFeatures, SequenceTrainer, trainingSettings } from './sequence/sequence-trainer';
import { batchWrites } from './sinks/batched-writes';
import type { ProductVector } from './sinks/product-vector.sink';
import { openStores, type StoreNeeds, type WorkerStores } from './stores';

/** The module holding the built-in handler registry, loaded by the inference thread. */
export const BUILT_IN_HANDLERS = join(__dirname, 'handlers', `index${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

export interface WorkerOptions {
  /**
   * Called after the inference thread was lost and the worker stopped taking jobs. The thread
   * cannot be started again in this process, so a process entry exits and lets its supervisor
   * start a fresh one. @default log only
   */
  onFatal?: (error: Error) => void;
  /**
   * Opens what results are stored in and interests read from; tests pass fakes of the interfaces.
   * @default the subgraphs' own implementations (`openStores`)
   */
  openStores?: (config: WorkerConfig, needs: StoreNeeds) => Promise<WorkerStores>;
  /** Where the worker's series go (the probe server publishes them). @default a registry of its own */
  metrics?: ServiceMetrics;
}

export interface RunningWorker {
  readonly queues: readonly QueueName[];
  /** Models the inference thread loaded (none when the handlers need none). */
  readonly models: ThreadModels;
  /** What the probe server's `/readyz` checks: every queue's worker runs and Redis answers. */
  readonly readiness: ReadinessChecks;
  /** Its jobs, queues and inference, for `/metrics`. */
  readonly metrics: ServiceMetrics;
  /** Stops taking jobs, lets the jobs in hand finish, then releases the models and Redis. */
  stop(): Promise<void>;
}

/**
 * Jobs one BullMQ worker of `queue` runs at once. Inference jobs: enough to fill the batches.
 * Interest updates: one per connection of the recommendation database's pool, since each is a
 * few statements over it with little inference; more would only wait in the pool's queue, and a
 * burst (every subscriber's shopper active at once) would fill it and fail jobs as busy.
 * Training takes the CPU it is given for minutes: one run at a time.
 */
function queueConcurrency(queue: QueueName, config: WorkerConfig): number {
  if (queue === QueueName.ModelTraining) return 1;
  if (queue === QueueName.InterestUpdate) return DEFAULT_POOL_SIZE;
  return config.WORKER_BATCH_MAX * config.WORKER_CONCURRENCY;
}

/**
 * One worker process: a BullMQ Worker per served queue on this (main) thread, the models in one
 * inference thread, and a micro-batcher per job in between.
 *
 * Each inference queue's Worker holds WORKER_BATCH_MAX × WORKER_CONCURRENCY jobs at once (others:
 * `queueConcurrency`). Every job is validated
 * here, before it costs inference (a bad payload fails at once, without retries), then joins its
 * job's batcher, which turns the jobs in hand into one inference call and gives each its result.
 */
export async function startWorker(config: WorkerConfig, options: WorkerOptions = {}): Promise<RunningWorker> {
  const log = logger();
  const served = config.WORKER_QUEUES.flatMap(jobsOfQueue);
  const updatesInterests = served.includes(JobName.UpdateInterest);
  const trainsSequences = served.includes(JobName.RetrainSequence);
  // Interest updates and training run here; the search texts interest updates read are embedded by the thread.
  const onMainThread = new Set<JobName>([JobName.UpdateInterest, JobName.RetrainSequence]);
  const jobs = [...new Set([...served.filter((job) => !onMainThread.has(job)), ...(updatesInterests ? [JobName.EmbedText] : [])])];
  const thread = await InferenceThread.start({ handlerModule: config.WORKER_HANDLER_MODULE ?? BUILT_IN_HANDLERS, jobs, inference: config }, (error) => {
    // Called from a thread event, so after `stop` below exists. The jobs in hand have been
    // failed (they retry with backoff); take no more.
    log.error(`inference thread lost (${error.message}); stopping`);
    void stop().finally(() => options.onFatal?.(error));
  });
  const metrics = options.metrics ?? new ServiceMetrics('worker');
  const measure = workerMetrics(metrics, config.WORKER_QUEUES, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const batchers = new Map<string, MicroBatcher<unknown, unknown>>(
    jobs.map((job: JobName) => [
      job,
      new MicroBatcher(
        (payloads) => {
          measure.batch(job, payloads.length);
          return thread.run(job, payloads);
        },
        { maxSize: config.WORKER_BATCH_MAX, maxWaitMs: config.WORKER_BATCH_WAIT_MS },
      ),
    ]),
  );

  // Results are stored as part of their job (product vectors in the catalogue's database, review
  // analyses in the feedback database), rows of concurrent jobs in one statement.
  const stores = await (options.openStores ?? openStores)(config, {
    productVectors: jobs.includes(JobName.EmbedProducts) && config.WORKER_PRODUCT_EMBEDDINGS === 'catalogue',
    reviewAnalyses: jobs.includes(JobName.AnalyseReview) && config.WORKER_REVIEW_ANALYSES === 'feedback',
    interests: updatesInterests,
    sequenceModels: updatesInterests || trainsSequences,
    productFeatures: trainsSequences && config.SEQUENCE_SIDE_INFORMATION === 'text',
  }).catch(async (error: unknown) => {
    await thread.dispose();
    await measure.close();
    throw error;
  });
  const writeBatch = { maxSize: config.WORKER_BATCH_MAX, maxWaitMs: config.WORKER_BATCH_WAIT_MS };
  const { productVectors, reviewAnalyses } = stores;
  const storeVector = productVectors ? batchWrites<ProductVector>((rows) => productVectors.store(rows), writeBatch) : null;
  const storeAnalysis = reviewAnalyses ? batchWrites<AnalyseReviewResult>((rows) => reviewAnalyses.store(rows), writeBatch) : null;

  const embedSearchTexts = (payloads: EmbedTextPayload[]) =>
    Promise.all(payloads.map((payload) => batchers.get(JobName.EmbedText)!.submit(payload))) as Promise<EmbedTextResult[]>;
  const { sequenceModels } = stores;
  const remote: RemoteQueries = {
    open: (dir) => thread.openSequenceModel(dir),
    queries: (dir, histories) => thread.sequenceQueries(dir, histories),
    release: (dir) => thread.releaseSequenceModel(dir),
  };
  // Each interest update also computes the shopper's queries for the served sequence model
  // versions (the serving one and those experiments pin), which this process follows in the
  // registry (a retrain swaps in the new one without a restart).
  const sequenceServing =
    updatesInterests && sequenceModels
      ? new ServedVersions<ProductSequenceModel>({
          wanted: () => sequenceModels.servedSequenceModels(),
          load: (version) => loadProductSequenceModel(sequenceVersionDir(config.SEQUENCE_MODEL_DIR, version), remote),
          release: (loaded) => loaded.model.release(),
          intervalMs: config.SEQUENCE_MODEL_POLL_MS,
          log,
        })
      : null;
  await sequenceServing?.start();
  // Resolved once (it reads the model folder), for whichever of these needs it.
  const textFeatures = trainsSequences && config.SEQUENCE_SIDE_INFORMATION === 'text' ? stores.products : null;
  const embeddingModel = stores.interests || textFeatures ? (({ name, version }) => ({ name, version }))(resolveEmbeddingModel(config)) : null;
  const trainer =
    trainsSequences && sequenceModels
      ? new SequenceTrainer(
          sequenceModels,
          trainingSettings(config, remote, textFeatures && embeddingModel ? productTextFeatures(textFeatures, embeddingModel) : undefined),
          (line) => log.info(line),
        )
      : null;
  const interests = stores.interests
    ? new InterestUpdater(
        stores.interests,
        embedSearchTexts,
        {
          weights: config.INTEREST_EVENT_WEIGHTS,
          halfLifeDays: config.INTEREST_HALF_LIFE_DAYS,
          maxInterests: config.INTEREST_MAX,
          skippedImpressionWeight: config.INTEREST_SKIPPED_WEIGHT,
          badReviewWeight: config.INTEREST_BAD_REVIEW_WEIGHT,
          model: embeddingModel!,
        },
        sequenceServing && new SequenceQueries(sequenceServing, (message) => log.warn(message)),
      )
    : null;

  /** Each product joins the batcher on its own, so one inference call can serve several jobs. */
  const embedProducts = async (batcher: MicroBatcher<unknown, unknown>, payload: EmbedProductsPayload): Promise<EmbedProductsResult> => {
    const embeddings = (await Promise.all(payload.products.map((product) => batcher.submit(product)))) as ProductEmbedding[];
    const { model, version } = embeddings[0]!;
    const productIds = embeddings.map((embedding) => embedding.productId);
    if (!storeVector) return { model, version, productIds, embeddings: embeddings.map((embedding) => encodeVector(embedding.vector)) };
    await Promise.all(embeddings.map((embedding, index) => storeVector({ ...embedding, textHash: textHash(payload.products[index]!.text) })));
    return { model, version, productIds };
  };

  /** `data`: the job's payload, its trace context taken off (`tracedJob`). */
  const processor = async (job: Job, data: unknown): Promise<unknown> => {
    if (job.name === JobName.UpdateInterest && interests) {
      const checked = validatePayload(JobName.UpdateInterest, data);
      if (!checked.ok) throw new UnrecoverableError(`invalid ${job.name} payload: ${checked.problems.join('; ')}`);
      return interests.update(checked.value.userId);
    }
    if (job.name === JobName.RetrainSequence && trainer) {
      const checked = validatePayload(JobName.RetrainSequence, data);
      if (!checked.ok) throw new UnrecoverableError(`invalid ${job.name} payload: ${checked.problems.join('; ')}`);
      const trained = await trainer.train(checked.value.minutes === undefined ? {} : { minutes: checked.value.minutes });
      // This process serves the new version at once; the others find it at their next registry read.
      if (trained.status === 'SERVING') await sequenceServing?.refresh();
      return trained;
    }
    const batcher = batchers.get(job.name);
    if (!batcher) throw new UnrecoverableError(`no handler for job "${job.name}" on queue ${job.queueName}`);
    const checked = validatePayload(job.name as JobName, data);
    if (!checked.ok) throw new UnrecoverableError(`invalid ${job.name} payload: ${checked.problems.join('; ')}`);
    if (job.name === JobName.EmbedProducts) return embedProducts(batcher, checked.value as EmbedProductsPayload);
    const result = await batcher.submit(checked.value);
    if (storeAnalysis && job.name === JobName.AnalyseReview) await storeAnalysis(result as AnalyseReviewResult);
    return result;
  };

  const workers = config.WORKER_QUEUES.map((queue) => {
    const worker = openWorker(
      queue,
      measure.timed((job) => tracedJob(job, (data) => processor(job, data))),
      { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX },
      {
        concurrency: queueConcurrency(queue, config),
        lockDuration: config.WORKER_LOCK_DURATION_MS,
        stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
      },
    );
    worker.on('error', (error) => log.error(`${queue}: ${error.message}`));
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      log.warn(`${queue}: job ${job.id} attempt ${job.attemptsMade} failed${final ? ' (kept as failed)' : ''}: ${error.message}`);
      const reviewId = (job.data as { reviewId?: unknown } | undefined)?.reviewId;
      if (final && reviewAnalyses && job.name === JobName.AnalyseReview && typeof reviewId === 'string') {
        reviewAnalyses.failed(reviewId, error.message).catch((cause: unknown) => log.error(`could not mark review ${reviewId} as failed: ${String(cause)}`));
      }
    });
    return worker;
  });

  const stop = async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await thread.dispose();
    await sequenceServing?.stop();
    await stores.close();
    await measure.close();
  };

  try {
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    if (trainer && config.SEQUENCE_RETRAIN_EVERY_MS > 0) await scheduleRetrain(config);
  } catch (error) {
    await stop();
    throw error;
  }
  const models = thread.models;
  log.info(
    `serving ${config.WORKER_QUEUES.join(', ')} (batches of up to ${config.WORKER_BATCH_MAX}, ${config.WORKER_BATCH_WAIT_MS} ms wait)` +
      (models.embedder ? `; embedder ${models.embedder.model}@${models.embedder.version}` : '') +
      (models.sentiment ? `; sentiment ${models.sentiment.model}@${models.sentiment.version}` : ''),
  );
  const readiness: ReadinessChecks = {
    redis: pingRedis(() => workers[0]!.client),
    // False once the inference thread is lost (`onFatal`) or the process stops.
    queues: requireThat(() => workers.every((worker) => worker.isRunning()), 'not taking jobs'),
  };
  return { queues: config.WORKER_QUEUES, models, readiness, metrics, stop };
}

/**
 * The scheduled retrain: one BullMQ job scheduler per queue prefix, so every worker serving the
 * training queue upserts the same one and it runs once per period however many workers there are.
 * A run that fails is tried once more; a refusal for too little data completes (it is an answer).
 */
async function scheduleRetrain(config: WorkerConfig): Promise<void> {
  const queue = openQueue(QueueName.ModelTraining, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  try {
    await queue.upsertJobScheduler(
      JobName.RetrainSequence,
      { every: config.SEQUENCE_RETRAIN_EVERY_MS },
      { name: JobName.RetrainSequence, data: {}, opts: { attempts: 2, backoff: { type: 'fixed', delay: 60_000 } } },
    );
  } finally {
    await queue.close();
  }
}
