import { commonEnv, databasePasswordEnv, databasePoolEnv, enqueueEnv, gatewaySecretEnv, loadConfig, shutdownEnv, z, redisPrefix } from '@serendip/config';
import { inferenceEnv } from '@serendip/inference';
import { DEFAULT_QUEUE_PREFIX } from '@serendip/jobs';
import { indexSnapshotEnv, indexSnapshotSettingsCheck } from '@serendip/vectors';

export const catalogueConfigSchema = z
  .object({
    ...commonEnv,
    ...enqueueEnv,
    ...databasePasswordEnv.catalogue,
    ...gatewaySecretEnv,
    ...databasePoolEnv,
    ...shutdownEnv,
    ...inferenceEnv,
    /** The semantic index starts from the product index's snapshots, which the recommendation replicas read too. */
    ...indexSnapshotEnv,
    CATALOGUE_HOST: z.string().default('127.0.0.1'),
    CATALOGUE_PORT: z.coerce.number().int().min(0).default(4002),
    /** Redis key prefix of the inference queues; the worker must use the same one. @default serendip */
    QUEUE_PREFIX: redisPrefix(DEFAULT_QUEUE_PREFIX),
    /** How long a semantic search waits for the worker pool to embed its text. @default 3000 */
    SEMANTIC_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
    /** How often the search index reads the vectors embedded since its last read. @default 30000 */
    SEMANTIC_INDEX_REFRESH_MS: z.coerce.number().int().positive().default(30_000),
    /**
     * How often product writes whose embedding did not reach the queue (Redis away) are queued
     * again; the sweep takes requests older than this. @default 60000
     */
    EMBEDDING_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
    /** At start, enqueue embeddings for products that lack one for the current model. @default on */
    EMBEDDING_BACKFILL: z.enum(['on', 'off']).default('on'),
  })
  .check(indexSnapshotSettingsCheck);

export type CatalogueConfig = z.infer<typeof catalogueConfigSchema>;

export const loadCatalogueConfig = (env: NodeJS.ProcessEnv = process.env): CatalogueConfig => loadConfig('catalogue subgraph', catalogueConfigSchema, env);
