import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { commonEnv, databasePasswordEnv, loadConfig, telemetryEnv, z, redisPrefix } from '@serendip/config';
import { inferenceEnv } from '@serendip/inference';
import { DEFAULT_PUBSUB_PREFIX, DEFAULT_QUEUE_PREFIX, isQueueName, MAX_TRAINING_MINUTES, QueueName } from '@serendip/jobs';
import { sequenceModelEnv } from '@serendip/sequence';

/** Queues served when WORKER_QUEUES is not set: all of them. */
export const DEFAULT_WORKER_QUEUES: readonly QueueName[] = [
  QueueName.ProductEmbedding,
  QueueName.TextEmbedding,
  QueueName.ReviewAnalysis,
  QueueName.InterestUpdate,
  QueueName.ModelTraining,
];

const EVENT_TYPES = ['VIEW', 'SEARCH', 'CART', 'PURCHASE', 'CLICK'] as const;
export type InterestWeights = Record<(typeof EVENT_TYPES)[number], number>;
const DEFAULT_INTEREST_WEIGHTS = 'PURCHASE=5,CART=3,CLICK=2,VIEW=1,SEARCH=1.5';

/** Parses `PURCHASE=5,CART=3,…`; types left out weigh 0 (their events are ignored). */
function parseWeights(value: string, ctx: z.RefinementCtx): InterestWeights {
  const weights: InterestWeights = { VIEW: 0, SEARCH: 0, CART: 0, PURCHASE: 0, CLICK: 0 };
  for (const pair of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [type, raw] = pair.split('=').map((part) => part.trim());
    const weight = Number(raw);
    if (!(EVENT_TYPES as readonly string[]).includes(type ?? '') || raw === undefined || !Number.isFinite(weight) || weight < 0) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not <${EVENT_TYPES.join('|')}>=<non-negative number>` });
      return z.NEVER;
    }
    weights[type as keyof InterestWeights] = weight;
  }
  return weights;
}

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const workerConfigSchema = z.object({
  NODE_ENV: commonEnv.NODE_ENV,
  REDIS_URL: commonEnv.REDIS_URL,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  ...telemetryEnv,
  // Product embeddings are written to the catalogue's database (through the catalogue's store),
  // review analyses to the feedback one, interests to the recommendation one: each opened as its
  // subgraph's own account. The user database is never opened here, so its password is not given.
  MYSQL_HOST: commonEnv.MYSQL_HOST,
  MYSQL_PORT: commonEnv.MYSQL_PORT,
  MYSQL_DATABASE_PREFIX: commonEnv.MYSQL_DATABASE_PREFIX,
  ...databasePasswordEnv.catalogue,
  ...databasePasswordEnv.recommendation,
  ...databasePasswordEnv.feedback,
  /** Where the probe server listens (`WORKER_HEALTH_PORT`). @default 127.0.0.1 */
  WORKER_HOST: z.string().default('127.0.0.1'),
  /**
   * Port of the probe server: `/healthz` (the process answers) and `/readyz` (its queues are served
   * and Redis answers), for an orchestrator's health checks, and `/metrics` for Prometheus. 0
   * serves none: processes of a WorkerPool share one environment, so a fixed port would be taken
   * twice. @default 0
   */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  /**
   * Where product vectors go: `catalogue` stores them in the catalogue's database for semantic
   * search; `off` only returns them as job results (queue-mechanics tests, benchmarks). @default catalogue
   */
  WORKER_PRODUCT_EMBEDDINGS: z.enum(['catalogue', 'off']).default('catalogue'),
  /**
   * Where review analyses go: `feedback` stores them (and marks reviews whose analysis failed for
   * good) in the feedback database; `off` only returns them as job results. @default feedback
   */
  WORKER_REVIEW_ANALYSES: z.enum(['feedback', 'off']).default('feedback'),
  ...inferenceEnv,
  /** Redis key prefix of every queue; producers must use the same one. @default serendip */
  QUEUE_PREFIX: redisPrefix(DEFAULT_QUEUE_PREFIX),
  /** Prefix of the pub/sub channels interest updates are announced on; subgraphs must use the same. @default serendip */
  PUBSUB_PREFIX: redisPrefix(DEFAULT_PUBSUB_PREFIX),
  /** Comma-separated queue names this process serves, so a deployment can give one queue workers of its own. */
  WORKER_QUEUES: z
    .string()
    .default(DEFAULT_WORKER_QUEUES.join(','))
    .transform((value, ctx) => {
      const names = [
        ...new Set(
          value
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean),
        ),
      ];
      const unknown = names.filter((name) => !isQueueName(name));
      if (unknown.length > 0 || names.length === 0) {
        ctx.addIssue({ code: 'custom', message: `expected some of ${Object.values(QueueName).join(', ')}; got ${value}` });
        return z.NEVER;
      }
      return names as QueueName[];
    }),
  /**
   * Most jobs answered by one inference call. Batches pay where a call has a high fixed cost (a
   * GPU, a larger model); on CPU the small embedding model runs fastest one text per call, since
   * a batch pads every text to its longest (see `pnpm bench:inference`). @default 32
   */
  WORKER_BATCH_MAX: positive(32).pipe(z.number().max(1024)),
  /** How long the first job of a batch waits for others to join it. @default 5 */
  WORKER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(5),
  /**
   * Batches each queue holds at once (BullMQ concurrency = WORKER_BATCH_MAX × this). With 2 the
   * next batch is already fetched and locked while one runs, so the model never waits on Redis.
   * @default 2
   */
  WORKER_CONCURRENCY: positive(2).pipe(z.number().max(16)),
  /** A job whose worker stops renewing its lock this long is handed to another worker. @default 30000 */
  WORKER_LOCK_DURATION_MS: positive(30_000),
  /** How often a worker looks for jobs whose lock expired. @default 30000 */
  WORKER_STALLED_INTERVAL_MS: positive(30_000),
  /**
   * How much one event of each type counts towards a shopper's interests (a purchase says more
   * than a view). @default PURCHASE=5,CART=3,CLICK=2,VIEW=1,SEARCH=1.5
   */
  INTEREST_EVENT_WEIGHTS: z.string().default(DEFAULT_INTEREST_WEIGHTS).transform(parseWeights),
  /** Age at which an event counts half towards interests. @default 14 */
  INTEREST_HALF_LIFE_DAYS: z.coerce.number().positive().default(14),
  /** Most interests kept per shopper. @default 5 */
  INTEREST_MAX: positive(5).pipe(z.number().max(20)),
  /** Weight of each impression a shopper passed over (shown 3+ times, never clicked). @default -0.3 */
  INTEREST_SKIPPED_WEIGHT: z.coerce.number().max(0).default(-0.3),
  /** Weight of the shopper's own 1-star review of a product (2 stars count half). @default -4 */
  INTEREST_BAD_REVIEW_WEIGHT: z.coerce.number().max(0).default(-4),
  /** Times a job may lose its worker before it is failed instead of handed on. @default 1 */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(1),
  ...sequenceModelEnv,
  /** Python 3 with PyTorch, which runs models/training/sequence_model.py. @default /usr/bin/python3 */
  SEQUENCE_PYTHON: z.string().min(1).default('/usr/bin/python3'),
  /**
   * How often the sequence model is retrained on the platform's events (a BullMQ job scheduler on
   * the model-training queue; the first run starts when the worker does). 0 schedules nothing:
   * `pnpm train:sequence` or a retrain-sequence job still train. @default 86400000 (daily)
   */
  SEQUENCE_RETRAIN_EVERY_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** Training budget of a retrain; the best epoch within it is kept. @default 10 */
  SEQUENCE_TRAIN_MINUTES: z.coerce.number().positive().max(MAX_TRAINING_MINUTES).default(10),
  /** CPU threads training uses: one leaves the other core to inference on a two-core machine. @default 1 */
  SEQUENCE_TRAIN_THREADS: positive(1).pipe(z.number().max(64)),
  /** A retrain refuses (and the serving version stays) with fewer shoppers having 3+ products. @default 50 */
  SEQUENCE_MIN_SHOPPERS: positive(50),
  /** … or with fewer product events in all. @default 500 */
  SEQUENCE_MIN_EVENTS: positive(500),
  /** Version folders kept besides the serving one. @default 5 */
  SEQUENCE_KEEP_VERSIONS: positive(5),
  /** Validation shoppers the quality gate scores both versions on (a seeded sample above this). @default 10000 */
  SEQUENCE_GATE_SHOPPERS: positive(10_000),
  /**
   * Side information for the sequence model: `text` hands each product's text vector (the serving
   * embedder's, from the catalogue) to the trainer, which adds a learned projection of it to the
   * product's id embedding, so rarely bought products borrow from similar titles; `none` trains on
   * ids alone. @default text
   */
  SEQUENCE_SIDE_INFORMATION: z.enum(['text', 'none']).default('text'),
  /** Extra arguments to the trainer, space-separated (say `--dim 32 --layers 1`). @default none */
  SEQUENCE_TRAINER_ARGS: z
    .string()
    .default('')
    .transform((value) => value.split(' ').filter(Boolean)),
  /**
   * Absolute path of a module exporting `handlers` (a HandlerRegistry) to run instead of the
   * built-in ones. Tests and benchmarks of the queue mechanics use it to run without a model.
   */
  WORKER_HANDLER_MODULE: z
    .string()
    .optional()
    .refine((path) => path === undefined || (isAbsolute(path) && existsSync(path)), 'must be the absolute path of an existing module'),
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig => loadConfig('worker', workerConfigSchema, env);
