export {
  DEFAULT_MODELS_DIR,
  inferenceBatchSize,
  inferenceConfigSchema,
  inferenceEnv,
  loadInferenceConfig,
  parseSentimentLabels,
  SENTIMENT_LABELS,
  type EmbeddingPooling,
  type InferenceBackend,
  type InferenceConfig,
  type InferenceDevice,
  type InferenceDtype,
  type SentimentLabel,
} from './config';
export { createEmbedder, type Embedder } from './embedder';
export { ModelLoadError } from './model-load.error';
export { TorchBackendError, TorchErrorCode } from './torch-backend.error';
export { resolveEmbeddingModel, resolveSentimentModel, type ResolvedEmbeddingModel, type ResolvedSentimentModel } from './registry';
export { createSentimentClassifier, type SentimentClassifier, type SentimentResult } from './sentiment';
export { isCropHeldOut, isEvalRow, splitBucket } from './split';
export { classificationMetrics, type ClassificationMetrics } from './metrics';
export { downloadHubModel, suggestSentimentLabels, type DownloadedModel, type ModelTask } from './hub';
