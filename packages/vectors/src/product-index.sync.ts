import { ProductIndex, type ProductIndexItem, type ProductIndexOptions } from './product-index';
import { loadNewestSnapshot, type SnapshotManifest, type SnapshotStore } from './product-index.snapshot';
import { logger } from '@serendip/telemetry';

/** One page of product vectors in write order, decoded. */
export interface ProductVectorPage {
  /** `name@version` of the model that made the page's vectors; vectors of different models are not comparable. */
  embeddingModel: string;
  items: ProductIndexItem[];
  hasNextPage: boolean;
  /** Where to continue, now or later; null only before the feed has returned anything. */
  endCursor: string | null;
}

/**
 * Where an index reads vectors from: the catalogue's `productVectorFeed` over HTTP for a
 * recommendation replica, its own store for the catalogue.
 */
export interface ProductVectorFeed {
  page(after: string | null, first: number): Promise<ProductVectorPage>;
}

export interface ProductIndexSyncOptions {
  /** Pause between the end of one catch-up and the start of the next. @default 5000 */
  refreshMs?: number;
  /** Vectors asked for per page; the catalogue allows up to 1000. @default 1000 */
  pageSize?: number;
  /** A progress line every this many pages of one catch-up (the initial load). @default 10 */
  logEveryPages?: number;
  /** Settings of every index this sync builds. */
  index?: ProductIndexOptions;
  /**
   * Where index snapshots are kept: the initial load starts from the newest snapshot of the
   * model the feed serves and reads the feed on from its cursor, or reads the whole feed when
   * there is none (docs/operations.md "Index snapshots"). @default none: the whole feed
   */
  snapshots?: SnapshotStore;
  /** What the logs call the index (a process may hold more than one). @default 'product index' */
  name?: string;
}

/** An index and how far into the feed it has read. */
interface Snapshot {
  index: ProductIndex;
  cursor: string | null;
  /** `name@version` of the model that made the index's vectors; null before the first page. */
  embeddingModel: string | null;
}

const emptySnapshot = (options: ProductIndexOptions | undefined): Snapshot => ({
  index: new ProductIndex(options),
  cursor: null,
  embeddingModel: null,
});

/**
 * Keeps a `ProductIndex` in step with a feed of product vectors: a full scan at start, then
 * every `refreshMs` only what was embedded since the last cursor. A failed catch-up is logged and
 * resumed from the last page that arrived on the next tick; nothing here throws into the process.
 *
 * When the catalogue switches to another embedding model version, the vectors already held are
 * not comparable with new ones: a fresh index is built from a full scan while the old one keeps
 * serving, then swapped in (holding what the worker has re-embedded so far; the rest follows with
 * the refreshes). Read `index` at each use rather than keeping it.
 *
 * Products are not deleted through the catalogue's API, so the feed reports no deletions; one
 * removed by hand stays in the index until the next start, and slates resolve products through
 * the catalogue, where it no longer exists.
 */
/** Vectors inserted between two turns of the event loop. */
const INSERT_SLICE = 50;

export class ProductIndexSync {
  /** Resolves after the first complete catch-up; never rejects (failures are retried). */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private serving: Snapshot;
  /** A rebuild for a new embedding model version, not served until it has caught up. */
  private rebuilding: Snapshot | null = null;
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private isLoaded = false;
  /** Whether the initial load has looked for a snapshot (it looks once, however many tries the feed takes). */
  private snapshotLooked = false;
  private startedFrom: SnapshotManifest | null = null;
  private readonly refreshMs: number;
  private readonly pageSize: number;
  private readonly logEveryPages: number;
  private readonly name: string;

  constructor(
    private readonly feed: ProductVectorFeed,
    private readonly options: ProductIndexSyncOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 5000;
    this.pageSize = options.pageSize ?? 1000;
    this.logEveryPages = options.logEveryPages ?? 10;
    this.name = options.name ?? 'product index';
    this.serving = emptySnapshot(options.index);
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** Whether the first complete catch-up is done (`ready` has resolved): for readiness probes. */
  get loaded(): boolean {
    return this.isLoaded;
  }

  /** The index to search now; it fills during the initial load (await `ready` for all of it). */
  get index(): ProductIndex {
    return this.serving.index;
  }

  /** `name@version` of the model that made the served index's vectors; null before the first page. */
  get embeddingModel(): string | null {
    return this.serving.embeddingModel;
  }

  /** Where the served index has read the feed up to: the cursor a snapshot of it covers. */
  get cursor(): string | null {
    return this.serving.cursor;
  }

  /** The snapshot the initial load started from; null when it read the whole feed. */
  get snapshot(): SnapshotManifest | null {
    return this.startedFrom;
  }

  /** Starts the initial load and the refresh loop. */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    void this.tick();
    return this;
  }

  /**
   * Reads the feed to its end now and returns how many vectors were applied. Calls during a
   * catch-up share it. Rejects with the feed's error; the loop started by `start` logs instead.
   */
  refresh(): Promise<number> {
    this.running ??= this.catchUp().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops refreshing; waits for a catch-up in flight so nothing runs after it resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      logger().error({ err: error }, `${this.name} refresh failed, retrying in ${this.refreshMs} ms`);
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.refreshMs);
    // The server keeps the process alive; a pending refresh alone should not.
    this.timer.unref();
  }

  private async catchUp(): Promise<number> {
    const started = Date.now();
    if (!this.snapshotLooked && this.options.snapshots) await this.startFromSnapshot(this.options.snapshots);
    let target = this.rebuilding ?? this.serving;
    let applied = 0;
    let pages = 0;
    for (;;) {
      const page = await this.feed.page(target.cursor, this.pageSize);
      if (target.embeddingModel !== null && page.embeddingModel !== target.embeddingModel) {
        logger().warn(`product vectors are now ${page.embeddingModel}, the index holds ${target.embeddingModel}: rebuilding it`);
        target = this.rebuilding = emptySnapshot(this.options.index);
        applied = 0;
        pages = 0;
        continue;
      }
      // The index inserts synchronously (about 1 ms a vector in a large graph): slices with a turn of
      // the event loop between them keep requests answered while a big catalogue loads.
      for (let start = 0; start < page.items.length; start += INSERT_SLICE) {
        target.index.upsert(page.items.slice(start, start + INSERT_SLICE));
        await new Promise((resolve) => setImmediate(resolve));
      }
      target.embeddingModel = page.embeddingModel;
      target.cursor = page.endCursor;
      applied += page.items.length;
      pages += 1;
      if (pages % this.logEveryPages === 0) {
        logger().info(`${this.name}: ${applied} vectors from ${pages} pages so far (${target.index.size} products)`);
      }
      if (this.stopped) return applied;
      if (!page.hasNextPage) break;
    }
    if (target === this.rebuilding) {
      this.serving = target;
      this.rebuilding = null;
      logger().info(`${this.name} rebuilt for ${target.embeddingModel}: ${target.index.size} products`);
    }
    if (!this.isLoaded) {
      this.isLoaded = true;
      const from = this.startedFrom ? `snapshot ${this.startedFrom.id} and ${applied} vectors from the feed` : 'the whole feed';
      logger().info(`${this.name} loaded: ${target.index.size} products in ${Date.now() - started} ms (${from})`);
      this.markReady();
    }
    return applied;
  }

  /** Serves the newest readable snapshot of the model the feed serves now, if there is one, so the catch-up reads only what came after it. */
  private async startFromSnapshot(store: SnapshotStore): Promise<void> {
    // The smallest page says which model the catalogue serves: only a snapshot of that model is worth reading.
    const { embeddingModel } = await this.feed.page(null, 1);
    const loaded = await loadNewestSnapshot(store, embeddingModel, this.options.index, this.name);
    this.snapshotLooked = true;
    if (!loaded) return;
    this.serving = { index: loaded.index, cursor: loaded.manifest.cursor, embeddingModel: loaded.manifest.embeddingModel };
    this.startedFrom = loaded.manifest;
  }
}
