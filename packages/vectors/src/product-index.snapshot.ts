import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '@serendip/telemetry';
import { describeFile } from './file-source';
import { PRODUCT_INDEX_FILES, ProductIndex, type ProductIndexOptions } from './product-index';

/** Raised when a snapshot's layout changes; a replica ignores snapshots of any other format. */
export const SNAPSHOT_FORMAT = 2;

/** What a snapshot says about itself: small, read before deciding to load the files it lists. */
export interface SnapshotManifest {
  format: number;
  /** Sorts by creation time: `<ms since 1970, 13 digits>-<random>`. */
  id: string;
  createdAt: string;
  /** `name@version` of the model that made its vectors. */
  embeddingModel: string;
  /** The feed cursor its products cover: a replica reads the feed on from here. */
  cursor: string | null;
  products: number;
  dimension: number;
  /** Each file's size and SHA-256, checked before it is read. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** A loaded snapshot: what a sync continues from. */
export interface LoadedSnapshot {
  manifest: SnapshotManifest;
  index: ProductIndex;
}

/**
 * Where snapshots are kept: a folder (`DirectorySnapshotStore`) or S3-compatible object storage
 * (`S3SnapshotStore`). Either way a snapshot is readable only once whole: its manifest is written
 * last, and nothing without one is listed.
 */
export interface SnapshotStore {
  /** Where, for log lines. */
  readonly description: string;
  /** Every readable manifest, newest first. */
  list(): Promise<SnapshotManifest[]>;
  /** A local folder holding snapshot `id`'s files, and what to call once they have been read. */
  fetch(id: string): Promise<{ dir: string; release: () => Promise<void> }>;
  /** A new empty local folder to write a snapshot's files into before `publish`. */
  stage(): Promise<string>;
  /** Makes the staged folder the snapshot `manifest` describes, whole or not at all; the folder is gone after. */
  publish(staged: string, manifest: SnapshotManifest): Promise<void>;
  /** Removes every snapshot but the newest `keep`, and staged folders left by builders that died; returns the ids removed. */
  prune(keep: number): Promise<string[]>;
}

export const MANIFEST = 'manifest.json';
/** Staged folders start with this, so `list` never sees one. */
const STAGING = '.staging-';
/** A staged folder, or a snapshot's upload without a manifest, older than this was left by a builder that died. */
export const ABANDONED_MS = 6 * 3600 * 1000;
export const SNAPSHOT_ID = /^\d{13}-[0-9a-f]{8}$/;
/** What a manifest may call a file: a name within the snapshot's folder, never a path out of it. */
const FILE_NAME = /^[A-Za-z0-9][\w.-]*$/;

/** Throws unless `id` is a snapshot id: it becomes part of a path or an object key. */
export function assertSnapshotId(id: string): void {
  if (!SNAPSHOT_ID.test(id)) throw new Error(`not a snapshot id: ${JSON.stringify(id)}`);
}

/**
 * Snapshots as folders of one directory, each `<id>/` holding the index's files and manifest.json.
 * A builder writes into a staged folder beside them and renames it into place, which is atomic on
 * one filesystem: a reader sees a whole snapshot or none. Readers read in place.
 */
export class DirectorySnapshotStore implements SnapshotStore {
  constructor(readonly dir: string) {}

  get description(): string {
    return this.dir;
  }

  async list(): Promise<SnapshotManifest[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const manifests: SnapshotManifest[] = [];
    for (const name of names
      .filter((each) => SNAPSHOT_ID.test(each))
      .sort()
      .reverse()) {
      try {
        manifests.push(parseManifest(await readFile(join(this.dir, name, MANIFEST), 'utf8'), name));
      } catch (error) {
        logger().warn(`index snapshot ${name} in ${this.dir} has no readable manifest (${(error as Error).message}); ignored`);
      }
    }
    return manifests;
  }

  fetch(id: string): Promise<{ dir: string; release: () => Promise<void> }> {
    return Promise.resolve().then(() => {
      assertSnapshotId(id);
      // Read in place: nothing to give back.
      return { dir: join(this.dir, id), release: () => Promise.resolve() };
    });
  }

  async stage(): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const staged = join(this.dir, `${STAGING}${randomBytes(6).toString('hex')}`);
    await mkdir(staged);
    return staged;
  }

  async publish(staged: string, manifest: SnapshotManifest): Promise<void> {
    await writeFile(join(staged, MANIFEST), JSON.stringify(manifest, null, 2));
    await rename(staged, join(this.dir, manifest.id));
  }

  async prune(keep: number): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const removed = names
      .filter((name) => SNAPSHOT_ID.test(name))
      .sort()
      .reverse()
      .slice(keep);
    for (const name of removed) await rm(join(this.dir, name), { recursive: true, force: true });
    for (const name of names.filter((each) => each.startsWith(STAGING))) {
      const { mtimeMs } = await stat(join(this.dir, name));
      if (Date.now() - mtimeMs > ABANDONED_MS) await rm(join(this.dir, name), { recursive: true, force: true });
    }
    return removed;
  }
}

/** Snapshot `id`'s manifest from its text; throws saying what is wrong with it. */
export function parseManifest(text: string, id: string): SnapshotManifest {
  const manifest = JSON.parse(text) as Partial<SnapshotManifest>;
  if (manifest.id !== id) throw new Error(`it names snapshot ${String(manifest.id)}`);
  if (typeof manifest.embeddingModel !== 'string' || typeof manifest.files !== 'object' || manifest.files === null) throw new Error('fields are missing');
  const outside = Object.keys(manifest.files).find((name) => !FILE_NAME.test(name));
  if (outside !== undefined) throw new Error(`it lists ${JSON.stringify(outside)}, not a file name`);
  return manifest as SnapshotManifest;
}

/** Writes `index` as a new snapshot covering the feed up to `cursor` and publishes it; returns its manifest. */
export async function writeSnapshot(
  store: SnapshotStore,
  snapshot: { index: ProductIndex; cursor: string | null; embeddingModel: string },
  now = new Date(),
): Promise<SnapshotManifest> {
  const { index } = snapshot;
  const staged = await store.stage();
  try {
    await index.save(staged);
    const files: SnapshotManifest['files'] = {};
    for (const name of Object.values(PRODUCT_INDEX_FILES)) files[name] = await describeFile(join(staged, name));
    const manifest: SnapshotManifest = {
      format: SNAPSHOT_FORMAT,
      id: `${String(now.getTime()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`,
      createdAt: now.toISOString(),
      embeddingModel: snapshot.embeddingModel,
      cursor: snapshot.cursor,
      products: index.size,
      dimension: index.dimension!,
      files,
    };
    await store.publish(staged, manifest);
    return manifest;
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    throw error;
  }
}

/** Reads the snapshot `manifest` describes, checking every file's size first and its checksum as it is read; throws with what is wrong. */
export async function readSnapshot(store: SnapshotStore, manifest: SnapshotManifest, options: ProductIndexOptions = {}): Promise<ProductIndex> {
  if (manifest.format !== SNAPSHOT_FORMAT) throw new Error(`format ${manifest.format}, this version reads ${SNAPSHOT_FORMAT}`);
  const { dir, release } = await store.fetch(manifest.id);
  try {
    for (const name of Object.values(PRODUCT_INDEX_FILES)) {
      const expected = manifest.files[name];
      if (!expected) throw new Error(`the manifest lists no ${name}`);
      const { size } = await stat(join(dir, name));
      if (size !== expected.bytes) throw new Error(`${name} has ${size} bytes, the manifest says ${expected.bytes}`);
    }
    // The checksums too: a damaged file can pass the loader's own checks (a link turned into another valid label) and serve wrong neighbours.
    const index = await ProductIndex.load(dir, options, manifest.files);
    if (index.size !== manifest.products || index.dimension !== manifest.dimension) {
      throw new Error(`it holds ${index.size} products of ${index.dimension} values, the manifest says ${manifest.products} of ${manifest.dimension}`);
    }
    return index;
  } finally {
    await release();
  }
}

/**
 * The newest snapshot of `embeddingModel` that reads cleanly, trying older ones of that model
 * after one that does not; null when there is none. Says in the log why each was passed over.
 */
export async function loadNewestSnapshot(
  store: SnapshotStore,
  embeddingModel: string,
  options: ProductIndexOptions = {},
  /** What the logs call the index being loaded. */
  name = 'product index',
): Promise<LoadedSnapshot | null> {
  const log = logger();
  let manifests: SnapshotManifest[];
  try {
    manifests = await store.list();
  } catch (error) {
    log.warn(`index snapshots in ${store.description} cannot be listed (${(error as Error).message}): reading the whole feed`);
    return null;
  }
  const usable = manifests.filter((manifest) => manifest.embeddingModel === embeddingModel);
  if (usable.length === 0) {
    const held = [...new Set(manifests.map((manifest) => manifest.embeddingModel))];
    log.info(
      manifests.length === 0
        ? `no index snapshot in ${store.description}: reading the whole feed`
        : `index snapshots in ${store.description} are of ${held.join(', ')}, the catalogue serves ${embeddingModel}: reading the whole feed`,
    );
    return null;
  }
  for (const manifest of usable) {
    const started = Date.now();
    try {
      const index = await readSnapshot(store, manifest, options);
      log.info(`${name}: snapshot ${manifest.id} (${manifest.products} products, ${embeddingModel}) read in ${Date.now() - started} ms`);
      return { manifest, index };
    } catch (error) {
      log.warn(`index snapshot ${manifest.id} in ${store.description} is unusable (${(error as Error).message}); trying an older one`);
    }
  }
  log.warn(`no index snapshot of ${embeddingModel} in ${store.description} could be read: reading the whole feed`);
  return null;
}
