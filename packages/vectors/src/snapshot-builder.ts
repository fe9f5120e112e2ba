import { logger } from '@serendip/telemetry';
import type { ProductIndexOptions } from './product-index';
import { writeSnapshot, type SnapshotManifest, type SnapshotStore } from './product-index.snapshot';
import { ProductIndexSync, type ProductVectorFeed } from './product-index.sync';

export interface SnapshotBuildOptions {
  /** Snapshots kept after a build, the new one included; older ones are removed. @default 3 */
  keep?: number;
  /** Vectors asked for per page. @default 1000 */
  pageSize?: number;
  /** Settings of the index built. */
  index?: ProductIndexOptions;
}

export interface SnapshotBuild {
  /** The newest snapshot now: the one written, or the previous one when the feed had not moved. */
  manifest: SnapshotManifest;
  written: boolean;
  /** The snapshot the build started from; null when it read the whole feed. */
  startedFrom: string | null;
  /** Vectors read from the feed beyond that snapshot. */
  applied: number;
  /** Snapshots removed after writing. */
  removed: string[];
  ms: number;
}

/**
 * Brings the index snapshots of `store` up to the feed: starts from the newest snapshot of the
 * model the feed serves (or the whole feed), reads what the feed holds after it, and writes a new
 * snapshot when anything was read, then prunes to the newest `keep`. From a recent snapshot this
 * costs the new vectors' inserts, not a million; a model change reads the new model's whole feed.
 * Two builds at once are safe (each publishes a snapshot of its own, whole), only wasteful.
 */
export async function buildSnapshot(feed: ProductVectorFeed, store: SnapshotStore, options: SnapshotBuildOptions = {}): Promise<SnapshotBuild> {
  const started = Date.now();
  const sync = new ProductIndexSync(feed, { snapshots: store, pageSize: options.pageSize, index: options.index });
  const applied = await sync.refresh();
  const previous = sync.snapshot;
  const startedFrom = previous?.id ?? null;
  const embeddingModel = sync.embeddingModel;
  if (previous && applied === 0 && embeddingModel === previous.embeddingModel) {
    logger().info(`index snapshot ${previous.id} already covers the feed (${previous.products} products): nothing written`);
    return { manifest: previous, written: false, startedFrom, applied, removed: [], ms: Date.now() - started };
  }
  if (embeddingModel === null || sync.index.size === 0) throw new Error('the feed holds no product vectors yet: no snapshot to write');
  const manifest = await writeSnapshot(store, { index: sync.index, cursor: sync.cursor, embeddingModel });
  const removed = await store.prune(options.keep ?? 3);
  logger().info(
    `index snapshot ${manifest.id} written to ${store.description}: ${manifest.products} products of ${embeddingModel}` +
      ` (${startedFrom ? `snapshot ${startedFrom} and ${applied} vectors from the feed` : 'the whole feed'}) in ${Date.now() - started} ms` +
      `${removed.length > 0 ? `; removed ${removed.join(', ')}` : ''}`,
  );
  return { manifest, written: true, startedFrom, applied, removed, ms: Date.now() - started };
}
