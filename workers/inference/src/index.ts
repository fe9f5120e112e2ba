export { BUILT_IN_HANDLERS, startWorker, type RunningWorker, type WorkerOptions } from './app';
export { DEFAULT_WORKER_QUEUES, loadWorkerConfig, workerConfigSchema, type WorkerConfig } from './config';
export { handlers } from './handlers';
export { InterestUpdater, type InterestUpdaterSettings } from './interest/interest-updater';
export type {
  InterestAnnouncer,
  InterestEventType,
  InterestSources,
  LowRatedReview,
  LowRatedReviewSource,
  ProductVectorSource,
  ShopperEvent,
  ShopperInterestProfile,
  ShopperInterestStore,
  SkippedProduct,
} from './interest/interest-sources';
export type { ProductVector, ProductVectorSink } from './sinks/product-vector.sink';
export type { ReviewAnalysisSink } from './sinks/review-analysis.sink';
export { openStores, type StoreNeeds, type WorkerStores } from './stores';
export type { HandledJob, HandlerItems, HandlerRegistry, JobHandler, ModelKind, Models, ProductEmbedding } from './handlers/handler';
export type { LoadedModel, ThreadModels } from './inference-thread';
export { MicroBatcher, type MicroBatcherOptions } from './micro-batcher';
export { startWorkerPool, type WorkerPool, type WorkerPoolOptions } from './pool';
export { listFailedJobs, type FailedJob } from '@serendip/jobs';
