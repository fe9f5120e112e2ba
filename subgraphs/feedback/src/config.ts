import { commonEnv, databasePasswordEnv, databasePoolEnv, enqueueEnv, gatewaySecretEnv, loadConfig, shutdownEnv, z, redisPrefix } from '@serendip/config';
import { DEFAULT_QUEUE_PREFIX } from '@serendip/jobs';

export const feedbackConfigSchema = z.object({
  ...commonEnv,
  ...enqueueEnv,
  ...databasePasswordEnv.feedback,
  ...gatewaySecretEnv,
  ...databasePoolEnv,
  ...shutdownEnv,
  FEEDBACK_HOST: z.string().default('127.0.0.1'),
  FEEDBACK_PORT: z.coerce.number().int().min(0).default(4004),
  /** The catalogue subgraph, asked whether a reviewed product exists. */
  CATALOGUE_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
  /** Redis key prefix of the job queues (a review asks for the reviewer's interest update); the worker must use the same. @default serendip */
  QUEUE_PREFIX: redisPrefix(DEFAULT_QUEUE_PREFIX),
  /** How often review analyses left pending (a failed queueing) are queued again. @default 60000 */
  ANALYSIS_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
  /** How often reviewers' interest updates that did not reach the queue are queued again; the sweep takes requests older than this. @default 60000 */
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
  /** How often categories' review topics and term statistics are brought up to date (see TopicMaintainer). @default 30000 */
  TOPIC_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
  /** Feedback summaries read at most this many of the newest reviews of a product or category. @default 2000 */
  FEEDBACK_SUMMARY_REVIEWS: z.coerce.number().int().min(1).max(20_000).default(2000),
});

export type FeedbackConfig = z.infer<typeof feedbackConfigSchema>;

export const loadFeedbackConfig = (env: NodeJS.ProcessEnv = process.env): FeedbackConfig => loadConfig('feedback subgraph', feedbackConfigSchema, env);
