import { cedict } from '@serendip/text';
import { PeriodicTask, pingRedis, PublicDataVersions, requireThat, serveSubgraph } from '@serendip/federation';
import { resolveEmbeddingModel } from '@serendip/inference';
import { indexSnapshotStore } from '@serendip/vectors';
import { CategoryService } from './category/category.service';
import type { CatalogueConfig } from './config';
import { createContextFactory } from './context';
import { openCatalogueDataSource } from './data-source';
import { EmbeddingJobs } from './embedding/embedding-jobs';
import { EmbeddingRequestStore } from './embedding/embedding-request.store';
import { EmbeddingService } from './embedding/embedding.service';
import { ProductEmbeddingStore } from './embedding/product-embedding.store';
import { ProductService } from './product/product.service';
import { buildCatalogueSchema } from './schema';
import type { DataSource } from 'typeorm';
import { logger } from '@serendip/telemetry';

/**
 * The embedding side needs only the model's name and version (the worker loads the weights); a
 * missing or broken model folder turns semantic search off instead of stopping the catalogue.
 */
function createEmbeddingService(config: CatalogueConfig, dataSource: DataSource): EmbeddingService | null {
  let model;
  try {
    model = resolveEmbeddingModel(config);
  } catch (error) {
    logger().warn(`semantic search off: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  const jobs = new EmbeddingJobs({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    modelVersion: model.version,
    queryTimeoutMs: config.SEMANTIC_QUERY_TIMEOUT_MS,
  });
  return new EmbeddingService(
    new ProductEmbeddingStore(dataSource),
    jobs,
    model.name,
    // Starts from the recommendation replicas' newest index snapshot when there is one (docs/operations.md "Index snapshots").
    { refreshMs: config.SEMANTIC_INDEX_REFRESH_MS, snapshots: indexSnapshotStore(config) },
    {
      store: new EmbeddingRequestStore(dataSource),
      timeoutMs: config.ENQUEUE_TIMEOUT_MS,
      staleAfterMs: config.EMBEDDING_SWEEP_MS,
    },
  );
}

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startCatalogueSubgraph(config: CatalogueConfig) {
  const database = await openCatalogueDataSource(config);
  const { dataSource } = database;
  const embeddings = createEmbeddingService(config, dataSource);
  if (embeddings && config.EMBEDDING_BACKFILL === 'on') {
    embeddings.backfill().then(
      (count) => count > 0 && logger().info(`queued ${count} product embeddings for ${embeddings.model}`),
      (error: unknown) => logger().error({ err: error }, 'embedding backfill failed'),
    );
  }
  // Product writes whose embedding Redis did not take in time are queued from their outbox.
  const sweep = embeddings && new PeriodicTask('embedding sweep failed', config.EMBEDDING_SWEEP_MS, () => embeddings.sweep()).start();
  // The bilingual dictionary searches read, parsed before the first request rather than during it.
  cedict();
  // Products and categories are what the gateway's response cache keeps most.
  const publicData = PublicDataVersions.open(config.REDIS_URL, config.QUEUE_PREFIX);
  const service = await serveSubgraph({
    name: 'catalogue',
    publicData: publicData.versions,
    database,
    schema: await buildCatalogueSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(
      dataSource,
      new ProductService(dataSource, embeddings && new EmbeddingRequestStore(dataSource)),
      new CategoryService(dataSource),
      embeddings,
    ),
    host: config.CATALOGUE_HOST,
    port: config.CATALOGUE_PORT,
    nodeEnv: config.NODE_ENV,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    // Without an embedding model the catalogue uses no Redis and has no semantic index to wait for.
    readiness: embeddings
      ? {
          redis: pingRedis(() => embeddings.queueClient),
          semanticIndex: requireThat(() => embeddings.semanticIndexLoaded, 'the semantic index has not read the product vectors yet'),
        }
      : {},
    onStop: async () => {
      await sweep?.stop();
      await embeddings?.close();
      publicData.close();
    },
  });
  return { ...service, embeddings };
}
