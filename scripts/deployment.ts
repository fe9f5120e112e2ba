/**
 * What every deployment of the platform (docker/compose.yaml, deploy/kubernetes) must give each
 * program it runs: the settings it reads and the built program it starts. The tests of those
 * deployments check their files against this, so a new process or setting cannot be forgotten in one.
 */
import type { z } from '@serendip/config';
import { gatewayConfigSchema } from '../gateway/src/config';
import { catalogueConfigSchema } from '../subgraphs/catalogue/src/config';
import { feedbackConfigSchema } from '../subgraphs/feedback/src/config';
import { indexSnapshotConfigSchema, recommendationConfigSchema } from '../subgraphs/recommendation/src/config';
import { userConfigSchema } from '../subgraphs/user/src/config';
import { demoDataConfigSchema } from '../tools/demo-data/src/config';
import { workerConfigSchema } from '../workers/inference/src/config';
import { dbSetupConfigSchema } from './db-setup';

/** The settings of each process of the platform (`stackProcesses`), by process name. */
const PROCESS_SETTINGS: Readonly<Record<string, z.ZodObject>> = {
  gateway: gatewayConfigSchema,
  user: userConfigSchema,
  catalogue: catalogueConfigSchema,
  recommendation: recommendationConfigSchema,
  feedback: feedbackConfigSchema,
  worker: workerConfigSchema,
};

/** The settings of one of the platform's processes, or an error saying where a new process's belong. */
export function processSettings(name: string): z.ZodObject {
  const schema = PROCESS_SETTINGS[name];
  if (!schema) throw new Error(`scripts/deployment.ts has no settings for the process ${name}: add its config schema to PROCESS_SETTINGS`);
  return schema;
}

/**
 * One-shot and scheduled programs besides the platform's processes, with the settings they read:
 * the database set-up, the sequence model's trainer (a worker serving the model-training queue)
 * and the demo import.
 */
export const OTHER_PROGRAM_SETTINGS: Readonly<Record<string, z.ZodObject>> = {
  setup: dbSetupConfigSchema,
  trainer: workerConfigSchema,
  'demo-data': demoDataConfigSchema,
  'index-snapshot': indexSnapshotConfigSchema,
};

/**
 * Settings whose built-in default is right inside a container too. Every other setting of every
 * process must be set by a deployment, so a new setting cannot be forgotten there.
 */
export const DEFAULT_IS_FINE_IN_CONTAINERS: ReadonlySet<string> = new Set([
  // Only for plugging in a foreign model (docs/inference.md); ours declare their own.
  'EMBEDDING_POOLING',
  'EMBEDDING_PREFIX',
  'SENTIMENT_LABELS',
  // Follows INFERENCE_DEVICE unless tuned for one model and machine.
  'INFERENCE_BATCH_SIZE',
  // Tests and benchmarks swap the handlers; a deployment never does.
  'WORKER_HANDLER_MODULE',
  // Object storage for index snapshots, in place of the shared volume INDEX_SNAPSHOT_DIR names
  // (docs/operations.md "Index snapshots"): unset until an operator chooses it.
  'INDEX_SNAPSHOT_URL',
  'INDEX_SNAPSHOT_S3_ENDPOINT',
  'AWS_REGION',
]);
