import { CatalogueClient, PeriodicTask, pingRedis, PublicDataVersions, serveSubgraph } from '@serendip/federation';
import { enqueueUpdateInterest, InterestRequestStore, JobOutbox, openQueue, QueueName, redisRunId, type InterestRequest } from '@serendip/jobs';
import { AnalysisJobs } from './analysis/analysis-jobs';
import { ReviewAnalysisStore } from './analysis/review-analysis.store';
import type { FeedbackConfig } from './config';
import { createContextFactory } from './context';
import { openFeedbackDataSource } from './data-source';
import { CategoryBackfill } from './insights/category-backfill';
import { FeedbackInsightsService } from './insights/feedback-insights.service';
import { InsightsStore } from './insights/insights.store';
import { FeedbackPrivacy } from './privacy/feedback-privacy.service';
import { TopicMaintainer } from './insights/topic-maintainer';
import type { ReviewEntity } from './review/review.entity';
import { ReviewService } from './review/review.service';
import { buildFeedbackSchema } from './schema';
import { logger } from '@serendip/telemetry';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Opens the database (migrating it), queues pending review analyses, builds the schema and starts serving. */
export async function startFeedbackSubgraph(config: FeedbackConfig) {
  const database = await openFeedbackDataSource(config);
  const { dataSource } = database;
  const catalogue = new CatalogueClient('feedback', config.CATALOGUE_URL, config.GATEWAY_SECRET);
  const connection = { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
  const interestQueue = openQueue(QueueName.InterestUpdate, connection);
  const analyses = new ReviewAnalysisStore(dataSource);
  const analysisQueue = openQueue(QueueName.ReviewAnalysis, connection);
  const analysisJobs = new AnalysisJobs(analyses, analysisQueue, {
    everyMs: config.ANALYSIS_SWEEP_MS,
    staleAfterMs: config.ANALYSIS_SWEEP_MS,
    timeoutMs: config.ENQUEUE_TIMEOUT_MS,
  });
  const interestOutbox = new JobOutbox(
    new InterestRequestStore(dataSource),
    (requests) => Promise.all(requests.map((request) => enqueueUpdateInterest(interestQueue, request.userId))),
    {
      name: '[feedback] interest updates',
      timeoutMs: config.ENQUEUE_TIMEOUT_MS,
      staleAfterMs: config.OUTBOX_SWEEP_MS,
      redisRun: () => redisRunId(interestQueue.client),
    },
  );
  const interestSweep = new PeriodicTask('interest update sweep failed', config.OUTBOX_SWEEP_MS, () => interestOutbox.sweep()).start();
  const queued = await analysisJobs.start();
  if (queued > 0) logger().info(`queued ${queued} pending review analyses`);
  // Ratings, reviews and what they say are public: the gateway's response cache keeps answers that show them.
  const publicData = PublicDataVersions.open(config.REDIS_URL, config.QUEUE_PREFIX);
  const insights = new InsightsStore(dataSource);
  const topics = new TopicMaintainer(dataSource, insights, new CategoryBackfill(insights, catalogue), {
    everyMs: config.TOPIC_REFRESH_MS,
    changed: () => publicData.versions.bump('feedback'),
  });
  topics.start();
  // The review, its PENDING analysis and the interest request are stored either way: each queueing
  // takes at most ENQUEUE_TIMEOUT_MS, and what it did not queue the sweeps do.
  const reviewed = async (review: ReviewEntity, interestRequest: InterestRequest) => {
    await Promise.all([
      analysisJobs
        .enqueue([{ reviewId: review.id, text: review.text }])
        .catch((error: unknown) => logger().error(`analysis of review ${review.id} not queued yet: ${describe(error)}`)),
      interestOutbox.deliver([interestRequest]),
    ]);
  };
  const privacy = new FeedbackPrivacy(dataSource, analysisQueue);
  return serveSubgraph({
    name: 'feedback',
    publicData: publicData.versions,
    database,
    schema: await buildFeedbackSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(
      dataSource,
      new ReviewService(dataSource, reviewed, (userId) => privacy.requireNotForgotten(userId)),
      catalogue,
      analyses,
      new FeedbackInsightsService(insights, config.FEEDBACK_SUMMARY_REVIEWS),
      insights,
      privacy,
    ),
    host: config.FEEDBACK_HOST,
    port: config.FEEDBACK_PORT,
    nodeEnv: config.NODE_ENV,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    // Reviews are stored without Redis, but their analyses are queued there.
    readiness: { redis: pingRedis(() => analysisQueue.client) },
    onStop: async () => {
      await topics.stop();
      await interestSweep.stop();
      await analysisJobs.stop();
      await interestQueue.close();
      publicData.close();
    },
  });
}
