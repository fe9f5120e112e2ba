export { BUILT_IN_HANDLERS, startWorker, type RunningWorker, type WorkerOptions } from './app';
export { DEFAULT_WORKER_QUEUES, loadWorkerConfig, workerConfigSchema, type WorkerConfig } from './config';
export { handlers } from './handlers';
export type { HandledJob, HandlerItems, HandlerRegistry, JobHandler, ModelKind, Models, ProductEmbedding } from './handlers/handler';
export type { LoadedModel, ThreadModels } from './inference-thread';
export { MicroBatcher, type MicroBatcherOptions } from './micro-batcher';
export { startWorkerPool, type WorkerPool, type WorkerPoolOptions } from './pool';
export { listFailedJobs, type FailedJob } from '@serendip/jobs';
