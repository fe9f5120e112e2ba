export { collapseRepeats } from './product-sequence';
export { HISTORY_BUCKETS, historyBucketOf, nextItemMetrics, type HitRates, type NextItemCase, type NextItemMetrics } from './metrics';
export {
  loadSequenceModel,
  MODEL_FILES,
  readSequenceVectors,
  scoreItems,
  SequenceModelError,
  type SequenceModel,
  type SequenceModelCard,
  type SequenceVectors,
} from './sequence-model';
export { ServingVersion, type Served, type ServingVersionOptions } from './serving-version';
export { sequenceModelEnv, sequenceVersionDir } from './settings';
