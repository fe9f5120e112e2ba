import {
  CatalogueClient,
  logRedisOutages,
  ORDER_WEBHOOK_PATH,
  PeriodicTask,
  pingRedis,
  requireThat,
  serveSubgraph,
  ServiceMetrics,
} from '@serendip/federation';
import { createRedis } from '@serendip/config';
import { enqueueUpdateInterest, InterestRequestStore, JobOutbox, openQueue, QueueName, redisRunId } from '@serendip/jobs';
import { useServer } from 'graphql-ws/use/ws';
import { indexSnapshotStore, ProductIndexSync } from '@serendip/vectors';
import { WebSocketServer } from 'ws';
import type { RecommendationConfig } from './config';
import { AnalyticsService } from './analytics/analytics.service';
import { CatalogueAudienceTargets } from './audience/audience-target.client';
import { AudienceService } from './audience/audience.service';
import { PrivacyBudgetStore } from './analytics/privacy-budget.store';
import { createContextFactory } from './context';
import { openRecommendationDataSource } from './data-source';
import { EventService } from './event/event.service';
import { EventStore } from './event/event.store';
import { LiveSlates } from './live/live-slates';
import { RedisChannels } from './live/redis-channels';
import { SlateNotices } from './live/slate-notices';
import { PopularInCategoryService } from './popular-in-category/popular-in-category.service';
import { PopularityStore } from './popularity/popularity.store';
import { CooccurrenceStore } from './cooccurrence/cooccurrence.store';
import { TransitionStore } from './transitions/transition.store';
import { buildRecommendationSchema } from './schema';
import { BanditState } from './bandit/bandit.state';
import { ProductVectorFeedClient } from './candidates/product-vector-feed.client';
import { EventType } from './event/event-type';
import { ExperimentService } from './experiments/experiment.service';
import { ExperimentStore } from './experiments/experiment.store';
import { InterestStore } from './interest/interest.store';
import { OrderService } from './orders/order.service';
import { orderWebhook } from './orders/order-webhook';
import { ShopOrderStore } from './orders/shop-order.store';
import { PrivacyService } from './privacy/privacy.service';
import { ShopperPrivacyStore } from './privacy/shopper-privacy.store';
import { ReviewQuality, ReviewTallyFeedClient } from './quality/review-quality';
import { JobQueueService } from './queues/job-queue.service';
import { SegmentMaintainer } from './segments/segment-maintainer';
import { SegmentStore } from './segments/segment.store';
import { SequenceModelStore } from './sequence/sequence-model.store';
import { sequenceServing, unpinnableSequenceVersion } from './sequence/sequence-serving';
import { SuppressionStore } from './transparency/suppression.store';
import { TransparencyService } from './transparency/transparency.service';
import { LINUCB_PRIOR } from './slate/candidate-sources';
import { SlateEngine } from './slate/slate.engine';
import { SlateLogStore } from './slate/slate-log.store';
import { ShopperSignalStore } from './slate/shopper-signals';
import { SlateRetention } from './slate/slate-retention';
import { slateStepMetric, timedSlates } from './slate/timed-slates';

/** Opens the database (migrating it) and the pub/sub connection, builds the schema and starts serving. */
export async function startRecommendationSubgraph(config: RecommendationConfig) {
  const database = await openRecommendationDataSource(config);
  const { dataSource } = database;
  // Starts from the newest index snapshot when there is one, so the replica is ready in seconds
  // rather than after reading the whole feed (docs/operations.md "Index snapshots").
  const index = new ProductIndexSync(new ProductVectorFeedClient(config.CATALOGUE_URL, config.GATEWAY_SECRET), {
    refreshMs: config.PRODUCT_INDEX_REFRESH_MS,
    snapshots: indexSnapshotStore(config),
  }).start();
  const bandit = new BanditState(dataSource, LINUCB_PRIOR, config.BANDIT_FLUSH_MS);
  await bandit.start();
  const retention = new SlateRetention(dataSource, config.SLATE_LOG_RETENTION_DAYS).start();
  const queueConnection = { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
  const interestQueue = openQueue(QueueName.InterestUpdate, queueConnection);
  const jobQueues = new JobQueueService(queueConnection);
  const publisher = logRedisOutages(createRedis(config.REDIS_URL, { maxRetriesPerRequest: 3 }), 'notices');
  const notices = new SlateNotices(publisher, config.PUBSUB_PREFIX);
  const privacy = new PrivacyService(new ShopperPrivacyStore(dataSource), interestQueue, notices);
  const interestRequests = new InterestRequestStore(dataSource);
  // Each shopper's request is stored with their events and marked once queued; the sweep queues
  // what Redis did not take in time or lost in a restart (docs/reliability.md).
  const interestOutbox = new JobOutbox(
    interestRequests,
    async (requests) => {
      // Without consent no profile is built, so there is nothing to recompute.
      const states = await privacy.store.states(requests.map((request) => request.userId));
      const wanted = requests.filter((request) => states.get(request.userId)!.personalisation);
      await Promise.all(wanted.map((request) => enqueueUpdateInterest(interestQueue, request.userId, { debounceMs: config.INTEREST_UPDATE_DELAY_MS })));
    },
    {
      name: '[recommendation] interest updates',
      timeoutMs: config.ENQUEUE_TIMEOUT_MS,
      staleAfterMs: config.OUTBOX_SWEEP_MS,
      redisRun: () => redisRunId(interestQueue.client),
    },
  );
  const interestSweep = new PeriodicTask('interest update sweep failed', config.OUTBOX_SWEEP_MS, () => interestOutbox.sweep()).start();
  const segmentStore = new SegmentStore(dataSource);
  const catalogue = new CatalogueClient('recommendation', config.CATALOGUE_URL, config.GATEWAY_SECRET);
  const eventStore = new EventStore(dataSource, { events: config.CONTRIBUTION_CAP_EVENTS, periodHours: config.CONTRIBUTION_CAP_PERIOD_HOURS });
  const popularity = new PopularityStore(dataSource);
  const cooccurrence = new CooccurrenceStore(dataSource);
  const transitions = new TransitionStore(dataSource);
  const slateLog = new SlateLogStore(dataSource);
  const segments = new SegmentMaintainer(dataSource, segmentStore, {
    everyMs: config.SEGMENT_REFRESH_MS,
    windowDays: config.SEGMENT_WINDOW_DAYS,
    timeZone: config.SHOP_TIME_ZONE,
    categoryNames: (ids) => catalogue.categoryNames(ids),
    prices: (ids) => catalogue.prices(ids),
  });
  if (config.SEGMENT_REFRESH_MS > 0) segments.start();
  const events = new EventService(dataSource, { events: eventStore, popularity, cooccurrence, transitions, slateLog, interestRequests }, catalogue, {
    attributed: (_userId, attributed) => {
      for (const event of attributed) {
        if (event.type === EventType.CLICK) bandit.rewarded(event.slot, event.productId, event.features, 'click');
        if (event.type === EventType.PURCHASE) bandit.rewarded(event.slot, event.productId, event.features, 'purchase');
      }
    },
    // Within ENQUEUE_TIMEOUT_MS, never failing: the events and the request are stored either way.
    recorded: async (request) => {
      await interestOutbox.deliver([request]);
    },
  });
  const orders = new OrderService(
    { secret: config.ORDER_WEBHOOK_SECRET, toleranceSeconds: config.ORDER_WEBHOOK_TOLERANCE_SECONDS },
    { events: eventStore, orders: new ShopOrderStore() },
    events,
    catalogue,
    privacy,
  );
  const popularInCategory = new PopularInCategoryService(eventStore, popularity);
  const interests = new InterestStore(dataSource);
  const quality = new ReviewQuality(new ReviewTallyFeedClient(config.FEEDBACK_URL, config.GATEWAY_SECRET), {
    weight: config.REVIEW_QUALITY_WEIGHT,
    refreshMs: config.REVIEW_QUALITY_REFRESH_MS,
  }).start();
  const experiments = new ExperimentService(
    { experiments: new ExperimentStore(dataSource), slateLog, events: eventStore },
    {
      index: () => index.index,
      refreshMs: config.EXPERIMENT_REFRESH_MS,
      unpinnableSequenceVersion: (version) => unpinnableSequenceVersion(dataSource, config, version),
    },
  );
  // Not awaited: a replica serves from its other sources while the model's index builds.
  const sequence = sequenceServing(dataSource, config);
  void sequence.start();
  const metrics = new ServiceMetrics('recommendation');
  const slates = new SlateEngine({
    index: () => index.index,
    sequence: (version) => sequence.get(version),
    cooccurrence,
    transitions,
    popularity,
    slateLog,
    signals: new ShopperSignalStore(dataSource, interests),
    bandit,
    policies: config.RECOMMENDATION_POLICIES,
    quality: quality.multiplier,
    experiments,
    onStep: slateStepMetric(metrics),
    cacheMs: config.SLATE_CACHE_MS,
  });
  const timed = timedSlates(slates, metrics);
  metrics.gauge({
    name: 'serendip_product_index_size',
    help: "Products in this replica's vector index (the catalogue's embedded products it serves slates from).",
    collect() {
      this.set(index.index.size);
    },
  });
  // One subscriber connection for every live subscription of this process. It is ready before
  // the first SUBSCRIBE: one sent during ioredis's connect-time ready check can be lost.
  const subscriber = logRedisOutages(createRedis(config.REDIS_URL, { lazyConnect: true, subscriber: true }), 'live slates');
  await subscriber.connect();
  const channels = new RedisChannels(subscriber);
  // Half the pool at most, so shoppers' own requests always find connections beside a burst.
  const liveSlates = new LiveSlates(channels, timed.subscription, config.PUBSUB_PREFIX, Math.max(1, Math.floor(config.MYSQL_POOL_SIZE / 2)));
  return serveSubgraph({
    name: 'recommendation',
    database,
    metrics,
    schema: await buildRecommendationSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory({
      events,
      eventStore,
      interests,
      popularInCategory,
      slates: timed.query,
      liveSlates,
      privacy,
      transparency: new TransparencyService(interests, new SuppressionStore(dataSource), privacy.store, segmentStore),
      segments: segmentStore,
      experiments,
      sequenceModels: new SequenceModelStore(dataSource),
      audiences: new AudienceService(dataSource, config.SEGMENT_WINDOW_DAYS),
      audienceTargets: new CatalogueAudienceTargets(config.CATALOGUE_URL, config.GATEWAY_SECRET),
      productIndex: () => index.index,
      jobQueues,
      analytics: new AnalyticsService(
        dataSource,
        new PrivacyBudgetStore(dataSource, {
          analyst: { epsilon: config.PRIVACY_BUDGET_EPSILON, delta: config.PRIVACY_BUDGET_DELTA },
          platform: { epsilon: config.PRIVACY_TOTAL_BUDGET_EPSILON, delta: config.PRIVACY_TOTAL_BUDGET_DELTA },
          periodDays: config.PRIVACY_TOTAL_BUDGET_PERIOD_DAYS,
        }),
        { maxContributions: config.PRIVACY_MAX_CONTRIBUTIONS, maxDelta: config.PRIVACY_MAX_DELTA },
      ),
    }),
    host: config.RECOMMENDATION_HOST,
    port: config.RECOMMENDATION_PORT,
    nodeEnv: config.NODE_ENV,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    readiness: {
      redis: pingRedis(() => publisher),
      // A replica serves before its index has read the whole feed, but slates from part of the
      // catalogue are worse than another replica's: it takes traffic once the first catch-up is done.
      productIndex: requireThat(() => index.loaded, 'the product index has not read the catalogue feed yet'),
    },
    subscriptions: { WebSocketServer, useServer },
    routes: { [ORDER_WEBHOOK_PATH]: orderWebhook(orders) },
    // Runs after the WebSocket server has closed, so no subscription still listens.
    onStop: async () => {
      await channels.close();
      notices.close();
      retention.stop();
      await interestSweep.stop();
      await Promise.all([index.stop(), bandit.stop(), quality.stop(), segments.stop(), sequence.stop(), interestQueue.close(), jobQueues.close()]);
    },
  });
}
