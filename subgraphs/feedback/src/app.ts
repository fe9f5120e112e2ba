import { CatalogueClient, pingRedis, serveSubgraph } from '@serendip/federation';
import { enqueueUpdateInterest, openQueue, QueueName } from '@serendip/jobs';
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

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Opens the database (migrating it), queues pending review analyses, builds the schema and starts serving. */
export async function startFeedbackSubgraph(config: FeedbackConfig) {
  const database = await openFeedbackDataSource(config);
  const { dataSource } = database;
  const catalogue = new CatalogueClient(config.CATALOGUE_URL, config.GATEWAY_SECRET);
  const connection = { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
  const interestQueue = openQueue(QueueName.InterestUpdate, connection);
  const analyses = new ReviewAnalysisStore(dataSource);
  const analysisQueue = openQueue(QueueName.ReviewAnalysis, connection);
  const analysisJobs = new AnalysisJobs(analyses, analysisQueue, {
    everyMs: config.ANALYSIS_SWEEP_MS,
    staleAfterMs: config.ANALYSIS_SWEEP_MS,
  });
  const queued = await analysisJobs.start();
  if (queued > 0) console.info(`[feedback] queued ${queued} pending review analyses`);
  const insights = new InsightsStore(dataSource);
  const topics = new TopicMaintainer(dataSource, insights, new CategoryBackfill(insights, catalogue), { everyMs: config.TOPIC_REFRESH_MS });
  topics.start();
  // The review and its PENDING analysis are stored either way: a failed queueing is made good by
  // the sweep, a lost interest request by the shopper's next event.
  const reviewed = async (review: ReviewEntity) => {
    await analysisJobs
      .enqueue([{ reviewId: review.id, text: review.text }])
      .catch((error: unknown) => console.error(`[feedback] analysis of review ${review.id} not queued yet:`, describe(error)));
    await enqueueUpdateInterest(interestQueue, review.userId).catch((error: unknown) =>
      console.error(`[feedback] could not request an interest update for ${review.userId}:`, describe(error)),
    );
  };
  const privacy = new FeedbackPrivacy(dataSource, analysisQueue);
  return serveSubgraph({
    name: 'feedback',
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
      await analysisJobs.stop();
      await interestQueue.close();
    },
  });
}
