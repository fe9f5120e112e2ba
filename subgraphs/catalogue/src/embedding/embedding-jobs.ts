import { AppError, ErrorCode } from '@serendip/federation';
import { enqueueEmbedProducts, enqueueEmbedText, JobName, openQueue, openQueueEvents, QueueName, withinTimeout, type EmbedTextResult } from '@serendip/jobs';
import type { QueueEvents } from 'bullmq';
import type { ProductText } from './product-embedding.store';
import { logger } from '@serendip/telemetry';

export interface EmbeddingJobsOptions {
  redisUrl: string;
  prefix: string;
  /** Version of the embedding model (from its folder), part of every job id. */
  modelVersion: string;
  /** How long a search waits for its query embedding, queueing included. */
  queryTimeoutMs: number;
}

/**
 * The catalogue's side of the inference queues: it asks the worker pool to embed product texts
 * (fire and forget: the worker stores the vectors) and search texts (waited for, with a deadline).
 */
export class EmbeddingJobs {
  private readonly products;
  private readonly texts;
  private readonly textEvents: QueueEvents;

  constructor(private readonly options: EmbeddingJobsOptions) {
    const connection = { redisUrl: options.redisUrl, prefix: options.prefix };
    this.products = openQueue(QueueName.ProductEmbedding, connection);
    this.texts = openQueue(QueueName.TextEmbedding, connection);
    this.textEvents = openQueueEvents(QueueName.TextEmbedding, connection);
  }

  get modelVersion(): string {
    return this.options.modelVersion;
  }

  get queueClient() {
    return this.products.client;
  }

  /** Queues the products in chunked jobs; returns how many products were queued. */
  async embedProducts(items: readonly ProductText[]): Promise<number> {
    if (items.length === 0) return 0;
    await enqueueEmbedProducts(
      this.products,
      items.map((item) => ({ productId: item.productId, text: item.text })),
      { modelVersion: this.options.modelVersion },
    );
    return items.length;
  }

  /**
   * The embedding of a search text; SERVICE_UNAVAILABLE when no worker answers in time. The
   * deadline covers queueing too: with Redis away, the add would otherwise wait for its return.
   */
  async embedQuery(text: string): Promise<EmbedTextResult> {
    try {
      const deadline = Date.now() + this.options.queryTimeoutMs;
      const job = await withinTimeout(
        enqueueEmbedText(this.texts, text, { modelVersion: this.options.modelVersion }),
        this.options.queryTimeoutMs,
        JobName.EmbedText,
      );
      return await job.waitUntilFinished(this.textEvents, Math.max(1, deadline - Date.now()));
    } catch (error) {
      logger().error({ err: error }, `${JobName.EmbedText} failed`);
      throw new AppError(ErrorCode.Unavailable, 'Semantic search is not available right now; try lexical search');
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.products.close(), this.texts.close(), this.textEvents.close()]);
  }
}
