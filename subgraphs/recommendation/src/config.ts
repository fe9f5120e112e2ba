import {
  commonEnv,
  databasePasswordEnv,
  databasePoolEnv,
  enqueueEnv,
  gatewaySecretEnv,
  loadConfig,
  secret,
  shutdownEnv,
  z,
  redisPrefix,
} from '@serendip/config';
import { DEFAULT_PUBSUB_PREFIX, DEFAULT_QUEUE_PREFIX } from '@serendip/jobs';
import { sequenceModelEnv } from '@serendip/sequence';
import { indexSnapshotEnv, indexSnapshotSettingsCheck } from '@serendip/vectors';
import { DEFAULT_CONTRIBUTION_CAP } from './event/contribution-cap';
import { requireTimeZone } from './segments/shop-time';
import { DEFAULT_SLOT_POLICIES, parseSlotPolicies } from './slate/slot-policies';

/**
 * No delta setting may exceed this. (epsilon, delta)-privacy admits a release that publishes each
 * shopper's data outright with probability delta: at 1e-3, about ten shoppers of a shop of ten
 * thousand.
 */
const MAX_DELTA_SETTING = 1e-3;

export const recommendationConfigSchema = z
  .object({
    ...commonEnv,
    ...enqueueEnv,
    ...databasePasswordEnv.recommendation,
    ...gatewaySecretEnv,
    ...databasePoolEnv,
    ...shutdownEnv,
    ...sequenceModelEnv,
    ...indexSnapshotEnv,
    RECOMMENDATION_HOST: z.string().default('127.0.0.1'),
    RECOMMENDATION_PORT: z.coerce.number().int().min(0).default(4003),
    /** The catalogue subgraph, asked which products exist (and in which category) when events are tracked. */
    CATALOGUE_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
    /**
     * Prefix of the Redis pub/sub channels the recommendationsUpdated subscription listens on;
     * whoever publishes the notices (the worker) must use the same. @default DEFAULT_PUBSUB_PREFIX
     */
    PUBSUB_PREFIX: redisPrefix(DEFAULT_PUBSUB_PREFIX),
    /** Redis key prefix of the job queues (interest updates are enqueued here); the worker must use the same. @default serendip */
    QUEUE_PREFIX: redisPrefix(DEFAULT_QUEUE_PREFIX),
    /**
     * Each slot's bandit policy and exploration strength (0 exploits only, 1 explores the most).
     * @default HOME=thompson:0.15,PRODUCT=linucb:0.1,CART=epsilon-greedy:0.05
     */
    RECOMMENDATION_POLICIES: z
      .string()
      .default(DEFAULT_SLOT_POLICIES)
      .transform((value, ctx) => {
        try {
          return parseSlotPolicies(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** How often the product vector index takes in new and re-embedded products from the catalogue. @default 5000 */
    PRODUCT_INDEX_REFRESH_MS: z.coerce.number().int().min(100).default(5000),
    /**
     * Quiet time before a shopper's interests are recomputed after their events. Events arriving
     * meanwhile join the same update. @default 0 (freshness first; bursts still coalesce)
     */
    INTEREST_UPDATE_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    /** Logged slates older than this many days are deleted (hourly). @default 180 */
    SLATE_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).default(180),
    /**
     * How often interest updates that did not reach the queue (Redis away when their events were
     * recorded) are queued again; the sweep takes requests older than this. @default 60000
     */
    OUTBOX_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
    /**
     * How long a replica keeps what every slate reads alike: the trending list, and each product's
     * co-occurring and following products. Aggregates of many shoppers move slowly, so a few seconds
     * late costs nothing a shopper sees and saves three queries a slate; 0 reads them every time.
     * A shopper's interest candidates are kept as long, under a key that changes with anything
     * they depend on (docs/recommendations.md). @default 10000
     */
    SLATE_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
    /** How often bandit statistics gathered in memory are added to the database. @default 1000 */
    BANDIT_FLUSH_MS: z.coerce.number().int().min(50).default(1000),
    /** The feedback subgraph, read for each product's review tally (review quality in ranking). */
    FEEDBACK_URL: z.string().url().default('http://127.0.0.1:4004/graphql'),
    /**
     * The most review quality (stars and the sentiment of analysed texts) can raise or lower a
     * candidate's score, as a share of it; 0 turns it off. @default 0.3
     */
    REVIEW_QUALITY_WEIGHT: z.coerce.number().min(0).max(1).default(0.3),
    /** How often review tallies are re-read from the feedback subgraph. @default 60000 */
    REVIEW_QUALITY_REFRESH_MS: z.coerce.number().int().min(100).default(60_000),
    /** How often shopper segments are refitted (and once at start); 0 turns refits off. @default 600000 */
    SEGMENT_REFRESH_MS: z.coerce
      .number()
      .int()
      .refine((value) => value === 0 || value >= 100, 'must be 0 (off) or at least 100')
      .default(600_000),
    /**
     * Behaviour this many days recent shapes segments; 0 reads all of it (imported history such as
     * the demo's is years old). @default 0
     */
    SEGMENT_WINDOW_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
    /**
     * The shop's time zone (IANA, e.g. Europe/London): segments read the hour of day of behaviour in
     * it, so a "night-time" segment is the shop's night, daylight saving included. @default UTC
     */
    SHOP_TIME_ZONE: z
      .string()
      .default('UTC')
      .refine((zone) => {
        try {
          requireTimeZone(zone);
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Europe/London'),
    /**
     * Epsilon each admin may spend on differentially private analytics until another admin grants
     * more (basic composition: the epsilons of their releases add up). @default 10
     */
    PRIVACY_BUDGET_EPSILON: z.coerce.number().positive().default(10),
    /**
     * Delta each admin may spend on differentially private analytics (GAUSSIAN releases) until
     * another admin grants more; deltas add up as epsilons do. @default 1e-4 (ten releases at the largest delta)
     */
    PRIVACY_BUDGET_DELTA: z.coerce.number().min(0).max(MAX_DELTA_SETTING).default(1e-4),
    /**
     * The largest delta one release may ask for: delta must stay far below one over the number of
     * shoppers (see MAX_DELTA_SETTING). @default 1e-5
     */
    PRIVACY_MAX_DELTA: z.coerce.number().positive().max(MAX_DELTA_SETTING).default(1e-5),
    /**
     * Epsilon that all admins' private releases together may spend in one period, whatever their own
     * budgets and grants say: what the platform reveals in a period is bounded even when admins pool
     * or grant each other budget. @default 20
     */
    PRIVACY_TOTAL_BUDGET_EPSILON: z.coerce.number().positive().default(20),
    /** Delta that all admins' private releases together may spend in one period. @default 2e-4 */
    PRIVACY_TOTAL_BUDGET_DELTA: z.coerce.number().min(0).max(MAX_DELTA_SETTING).default(2e-4),
    /** Length of the platform budget's periods in days, counted from 1970-01-01 UTC. @default 30 */
    PRIVACY_TOTAL_BUDGET_PERIOD_DAYS: z.coerce.number().int().min(1).max(366).default(30),
    /**
     * In a differentially private release, the most one shopper adds to each group of counts
     * (events per funnel step or per activity histogram, sessions, purchase gaps); the rest of their
     * activity is left out, so the stated sensitivity holds. Larger keeps more data but adds more noise. @default 10
     */
    PRIVACY_MAX_CONTRIBUTIONS: z.coerce.number().int().min(1).max(1000).default(10),
    /**
     * How long running experiments and adaptive allocations are reused before they are read again:
     * the most a start or stop takes to reach every instance. @default 2000
     */
    EXPERIMENT_REFRESH_MS: z.coerce.number().int().min(10).default(2000),
    /**
     * Events of one type on one product that count per shopper and period towards the statistics
     * every shopper's recommendations read (popularity, co-occurrence, transitions, bandit rewards);
     * the shopper's further events are recorded but move none of them. @default 2
     */
    CONTRIBUTION_CAP_EVENTS: z.coerce.number().int().min(1).max(1000).default(DEFAULT_CONTRIBUTION_CAP.events),
    /** Length of a contribution cap period in hours, counted from 1970-01-01 UTC by when events were received. @default 24 */
    CONTRIBUTION_CAP_PERIOD_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .default(DEFAULT_CONTRIBUTION_CAP.periodHours),
    /**
     * The key the shop's server signs orders with (`POST /webhooks/orders`, HMAC-SHA256): whoever
     * holds it can record purchases and revenue. Give it only to this subgraph and the shop's order
     * system.
     */
    ORDER_WEBHOOK_SECRET: secret(),
    /** How far a signed order's timestamp may be from the server clock, either way, in seconds. @default 300 */
    ORDER_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  })
  .check(indexSnapshotSettingsCheck);

export type RecommendationConfig = z.infer<typeof recommendationConfigSchema>;

/** `pnpm index:snapshot`'s settings: it reads the catalogue's vector feed as a replica does and writes where replicas read. */
export const indexSnapshotConfigSchema = z
  .object({
    ...commonEnv,
    ...gatewaySecretEnv,
    ...indexSnapshotEnv,
    CATALOGUE_URL: recommendationConfigSchema.shape.CATALOGUE_URL,
    /** Snapshots a build keeps, its own included; older ones are removed. @default 3 */
    INDEX_SNAPSHOT_KEEP: z.coerce.number().int().min(1).max(100).default(3),
  })
  .check(indexSnapshotSettingsCheck);

export const loadRecommendationConfig = (env: NodeJS.ProcessEnv = process.env): RecommendationConfig =>
  loadConfig('recommendation subgraph', recommendationConfigSchema, env);
