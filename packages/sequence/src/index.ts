export { collapseRepeats } from './product-sequence';
export { HISTORY_BUCKETS, historyBucketOf, nextItemMetrics, type HitRates, type NextItemCase, type NextItemMetrics } from './metrics';
export {
  loadSequenceModel,
  MODEL_FILES,
  readSequenceItems,
  readSequenceVectors,
  scoreItems,
  SequenceModelError,
  type SequenceModel,
  type SequenceModelCard,
  type SequenceVectors,
} from './sequence-model';
export { ServedVersions, type Served, type ServedVersionsOptions, type WantedVersions } from './served-versions';
export { sequenceModelEnv, sequenceVersionDir } from './settings';
