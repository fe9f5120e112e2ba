import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { sampleNormal, seededRng } from '@serendip/recsys';
import { logger } from '@serendip/telemetry';
import { useScratchS3 } from './support/scratch-s3';
import {
  buildSnapshot,
  DirectorySnapshotStore,
  loadNewestSnapshot,
  PRODUCT_INDEX_FILES,
  ProductIndex,
  ProductIndexSync,
  readSnapshot,
  S3SnapshotStore,
  SNAPSHOT_FORMAT,
  writeSnapshot,
  type ProductIndexItem,
  type ProductVectorFeed,
  type SnapshotStore,
} from '../src';

const DIMENSION = 24;
const MODEL = 'embed@1.0.0';

function unitVector(random: () => number): Float32Array {
  const vector = Float32Array.from({ length: DIMENSION }, () => sampleNormal(random));
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

const random = seededRng(7);
const product = (id: number, vector = unitVector(random)): ProductIndexItem => ({
  productId: String(id),
  categoryId: `c${id % 5}`,
  createdAt: new Date(1_700_000_000_000 + id * 1000),
  vector,
});

/**
 * The catalogue's feed as a replica sees it: vectors in write order behind a cursor (the position
 * in the log), one model at a time. Counts the vectors it hands out, to tell a catch-up from a full read.
 */
class MemoryFeed implements ProductVectorFeed {
  readonly log: ProductIndexItem[] = [];
  served = 0;
  constructor(public model = MODEL) {}

  write(items: ProductIndexItem[]): void {
    this.log.push(...items);
  }

  async page(after: string | null, first: number) {
    const from = after === null ? 0 : Number(after);
    const items = this.log.slice(from, from + first);
    this.served += items.length;
    const end = from + items.length;
    return { embeddingModel: this.model, items, hasNextPage: end < this.log.length, endCursor: end === 0 ? after : String(end) };
  }
}

/**
 * A store under test, and what the tests do behind its back: the same tests run against a folder
 * and against object storage (s3rver), since replicas and builders know a store only by its calls.
 */
interface StoreUnderTest {
  store: SnapshotStore;
  /** What is at the store's top: snapshot ids, and whatever builders left (staged folders, uploads without a manifest). */
  entries(): Promise<string[]>;
  /** Replaces file `name` of snapshot `id` with what `change` makes of its bytes (null when there is none); null removes it. */
  alter(id: string, name: string, change: (bytes: Buffer | null) => Buffer | null): Promise<void>;
  /** Leaves what a builder that died leaves behind, last written `ageMs` ago; returns its entry. */
  leaveBehind(ageMs: number): Promise<string>;
  /** A store of the same kind where nothing was ever written. */
  empty(): SnapshotStore;
  cleanUp(): void;
}

function directoryStore(): StoreUnderTest {
  const dir = mkdtempSync(join(tmpdir(), 'serendip-snapshots-'));
  const store = new DirectorySnapshotStore(dir);
  return {
    store,
    entries: () => Promise.resolve(readdirSync(dir)),
    alter: (id, name, change) => {
      const path = join(dir, id, name);
      let bytes: Buffer | null = null;
      try {
        bytes = readFileSync(path);
      } catch {
        mkdirSync(dirname(path), { recursive: true });
      }
      const changed = change(bytes);
      if (changed === null) rmSync(path);
      else writeFileSync(path, changed);
      return Promise.resolve();
    },
    leaveBehind: async (ageMs) => {
      const staged = await store.stage();
      const when = (Date.now() - ageMs) / 1000;
      utimesSync(staged, when, when);
      return basename(staged);
    },
    empty: () => new DirectorySnapshotStore(join(dir, 'absent')),
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const scratch = useScratchS3();
let stores = 0;

function objectStore(): StoreUnderTest {
  const prefix = `run-${++stores}/snapshots`;
  const Bucket = scratch.s3.bucket;
  // Three keys a page, so every listing of a snapshot's four objects spans pages.
  const store = new S3SnapshotStore(scratch.client, { bucket: Bucket, prefix }, { pageSize: 3 });
  const put = (Key: string, Body: Buffer) => scratch.client.send(new PutObjectCommand({ Bucket, Key, Body }));
  return {
    store,
    entries: async () => {
      const { Contents = [] } = await scratch.client.send(new ListObjectsV2Command({ Bucket, Prefix: `${prefix}/` }));
      return [...new Set(Contents.map((object) => object.Key!.slice(prefix.length + 1).split('/')[0]!))];
    },
    alter: async (id, name, change) => {
      const Key = `${prefix}/${id}/${name}`;
      const bytes = await scratch.client.send(new GetObjectCommand({ Bucket, Key })).then(
        async (object) => Buffer.from(await object.Body!.transformToByteArray()),
        (error: Error) => {
          if (error.name === 'NoSuchKey') return null;
          throw error;
        },
      );
      const changed = change(bytes);
      if (changed === null) await scratch.client.send(new DeleteObjectCommand({ Bucket, Key }));
      else await put(Key, changed);
    },
    leaveBehind: async (ageMs) => {
      const id = `${String(Date.now() - ageMs).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
      for (const name of [PRODUCT_INDEX_FILES.graph, PRODUCT_INDEX_FILES.labels]) {
        await put(`${prefix}/${id}/${name}`, randomBytes(100));
        await scratch.s3.backdate(`${prefix}/${id}/${name}`, new Date(Date.now() - ageMs));
      }
      return id;
    },
    empty: () => new S3SnapshotStore(scratch.client, { bucket: Bucket, prefix: `${prefix}-absent` }),
    cleanUp: () => undefined,
  };
}

/** An index of `count` random products, one re-embedded after the others (so its label's vector was replaced in place). */
function filledIndex(count: number): { index: ProductIndex; items: ProductIndexItem[] } {
  const items = Array.from({ length: count }, (_, i) => product(i + 1));
  const index = new ProductIndex({ initialCapacity: 64 });
  for (let start = 0; start < items.length; start += 300) index.upsert(items.slice(start, start + 300));
  const replaced = product(5);
  index.upsert([replaced]);
  items[4] = replaced;
  return { index, items };
}

/** Silences the warnings a test provokes on purpose and returns what was said. */
function warnings(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spy = jest.spyOn(logger(), 'warn').mockImplementation((message: unknown) => void lines.push(String(message)));
  return { lines, restore: () => spy.mockRestore() };
}

describe.each([
  ['a folder', directoryStore],
  ['object storage', objectStore],
])('snapshots in %s', (_kind, open) => {
  let at: StoreUnderTest;
  let store: SnapshotStore;
  beforeEach(() => {
    at = open();
    store = at.store;
  });
  afterEach(() => at.cleanUp());

  describe('index snapshots', () => {
    it('reads back an index that searches, reads vectors and knows its products exactly as the one written', async () => {
      const { index, items } = filledIndex(2000);
      const manifest = await writeSnapshot(store, { index, cursor: 'cursor-2000', embeddingModel: MODEL }, new Date('2026-12-01T10:00:00Z'));
      expect(manifest).toMatchObject({ format: 2, embeddingModel: MODEL, cursor: 'cursor-2000', products: 2000, dimension: DIMENSION });
      expect(manifest.id).toMatch(/^1796119200000-[0-9a-f]{8}$/);
      expect(Object.keys(manifest.files).sort()).toEqual(Object.values(PRODUCT_INDEX_FILES).sort());
      // Only the published snapshot is there: nothing staged is left.
      expect(await at.entries()).toEqual([manifest.id]);
      expect(await store.list()).toEqual([manifest]);

      const loaded = await readSnapshot(store, manifest);
      expect(loaded.size).toBe(2000);
      expect(loaded.dimension).toBe(DIMENSION);
      const queries = Array.from({ length: 50 }, () => unitVector(random));
      for (const query of queries) expect(loaded.search(query, 10)).toEqual(index.search(query, 10));
      const odd = (productId: string) => Number(productId) % 2 === 1;
      expect(loaded.search(queries[0]!, 10, odd)).toEqual(index.search(queries[0]!, 10, odd));
      for (const { productId } of items.slice(0, 100)) {
        expect(loaded.vectorOf(productId)).toEqual(index.vectorOf(productId));
        expect(loaded.categoryOf(productId)).toBe(index.categoryOf(productId));
      }
      expect(loaded.search(items[4]!.vector, 1)[0]).toEqual({ productId: '5', similarity: expect.closeTo(1, 3) });
      expect(loaded.newest(20)).toEqual(index.newest(20));
      expect(loaded.newest(5, odd)).toEqual(['1999', '1997', '1995', '1993', '1991']);

      // It goes on growing past the capacity it was saved with.
      loaded.upsert(Array.from({ length: 200 }, (_, i) => product(3000 + i)));
      expect(loaded.size).toBe(2200);
      expect(loaded.newest(1)).toEqual(['3199']);
      expect(loaded.search(loaded.vectorOf('3100')!, 1)[0]!.productId).toBe('3100');
    });

    it.each([
      ['a flipped byte in the graph', PRODUCT_INDEX_FILES.graph, flipByte, /graph.bin does not match its checksum/],
      // The header is read and checked before the rest: the damage is still reported as damage, not as a wrong magic number.
      [
        'a flipped byte in the graph header',
        PRODUCT_INDEX_FILES.graph,
        (bytes: Buffer | null) => flipByteAt(bytes, 0),
        /graph.bin does not match its checksum/,
      ],
      ['a flipped byte in the codes', PRODUCT_INDEX_FILES.codes, flipByte, /codes.bin does not match its checksum/],
      ['a truncated graph', PRODUCT_INDEX_FILES.graph, (bytes: Buffer | null) => bytes!.subarray(0, 1000), /graph.bin has 1000 bytes, the manifest says \d+/],
      ['a truncated codes file', PRODUCT_INDEX_FILES.codes, (bytes: Buffer | null) => bytes!.subarray(0, 10), /codes.bin has 10 bytes/],
      // A folder finds it missing when it reads it, object storage before it downloads anything.
      ['a missing labels file', PRODUCT_INDEX_FILES.labels, () => null, /ENOENT.*labels.json|labels.json is missing/],
    ])('refuses a snapshot with %s, and a replica falls back to an older one or to none', async (_case, file, change, reason) => {
      const damage = (id: string) => at.alter(id, file, change);
      const { index } = filledIndex(500);
      const older = await writeSnapshot(store, { index, cursor: 'c1', embeddingModel: MODEL }, new Date(1000));
      const newer = await writeSnapshot(store, { index, cursor: 'c2', embeddingModel: MODEL }, new Date(2000));
      await damage(newer.id);
      await expect(readSnapshot(store, newer)).rejects.toThrow(reason);

      const said = warnings();
      try {
        const loaded = await loadNewestSnapshot(store, MODEL);
        expect(loaded?.manifest).toEqual(older);
        expect(loaded?.index.size).toBe(500);
        expect(said.lines).toEqual([expect.stringMatching(new RegExp(`index snapshot ${newer.id} .* is unusable \\(.*\\); trying an older one`))]);
        await damage(older.id);
        expect(await loadNewestSnapshot(store, MODEL)).toBeNull();
        expect(said.lines.at(-1)).toMatch(/no index snapshot of embed@1.0.0 .* could be read: reading the whole feed/);
      } finally {
        said.restore();
      }
    });

    it('ignores snapshots of another embedding model, a newer format and unreadable manifests', async () => {
      const { index } = filledIndex(100);
      const ours = await writeSnapshot(store, { index, cursor: 'c1', embeddingModel: MODEL }, new Date(1000));
      await writeSnapshot(store, { index, cursor: 'c9', embeddingModel: 'embed@2.0.0' }, new Date(3000));
      expect((await loadNewestSnapshot(store, MODEL))?.manifest.id).toBe(ours.id);
      expect(await loadNewestSnapshot(store, 'other@1')).toBeNull();

      const future = await writeSnapshot(store, { index, cursor: 'c2', embeddingModel: MODEL }, new Date(2000));
      await at.alter(future.id, 'manifest.json', () => Buffer.from(JSON.stringify({ ...future, format: SNAPSHOT_FORMAT + 1 })));
      await at.alter('0000000004000-0badf00d', 'manifest.json', () => Buffer.from('{"id": "0000000004000-0bad'));
      const said = warnings();
      try {
        expect((await store.list()).map((manifest) => manifest.id)).toEqual([expect.any(String), future.id, ours.id]);
        expect((await loadNewestSnapshot(store, MODEL))?.manifest.id).toBe(ours.id);
        expect(said.lines).toEqual([
          expect.stringMatching(/index snapshot 0000000004000-0badf00d .* has no readable manifest/),
          expect.stringMatching(/index snapshot 0000000004000-0badf00d .* has no readable manifest/),
          expect.stringMatching(new RegExp(`index snapshot ${future.id} .* is unusable \\(format 3, this version reads 2\\)`)),
        ]);
      } finally {
        said.restore();
      }
    });

    it('an empty store holds no snapshots; pruning keeps the newest and clears what dead builders left', async () => {
      expect(await at.empty().list()).toEqual([]);
      const { index } = filledIndex(50);
      const ids: string[] = [];
      for (let i = 1; i <= 4; i += 1) ids.push((await writeSnapshot(store, { index, cursor: `c${i}`, embeddingModel: MODEL }, new Date(i * 1000))).id);
      await at.leaveBehind(7 * 3600 * 1000);
      // Younger than the six hours after which a builder counts as dead: it may be writing still.
      const recent = await at.leaveBehind(5 * 3600 * 1000);
      expect(await store.prune(2)).toEqual([ids[1], ids[0]]);
      expect((await at.entries()).sort()).toEqual([ids[2], ids[3], recent].sort());
    });
  });

  describe('ProductIndexSync with snapshots', () => {
    it('starts from the newest snapshot and reads only what the feed wrote after it', async () => {
      const feed = new MemoryFeed();
      feed.write(Array.from({ length: 1500 }, (_, i) => product(i + 1)));
      const first = await buildSnapshot(feed, store, { pageSize: 400 });
      expect(first).toMatchObject({ written: true, startedFrom: null, applied: 1500, removed: [] });
      expect(first.manifest).toMatchObject({ products: 1500, cursor: '1500', embeddingModel: MODEL });

      // After the snapshot: a new product and a re-embedded one.
      const moved = product(42);
      feed.write([product(1501), moved]);
      feed.served = 0;
      const sync = new ProductIndexSync(feed, { snapshots: store, pageSize: 400 });
      expect(await sync.refresh()).toBe(2);
      // The probe for the model (one vector) and the two written since.
      expect(feed.served).toBe(3);
      expect(sync.loaded).toBe(true);
      expect(sync.snapshot?.id).toBe(first.manifest.id);
      expect(sync.cursor).toBe('1502');
      expect(sync.index.size).toBe(1501);
      expect(sync.index.search(moved.vector, 1)).toEqual([{ productId: '42', similarity: expect.closeTo(1, 3) }]);
      expect(sync.index.newest(1)).toEqual(['1501']);
      await sync.stop();
    });

    it('reads the whole feed when no snapshot is of the model the feed serves now', async () => {
      const feed = new MemoryFeed();
      feed.write(Array.from({ length: 300 }, (_, i) => product(i + 1)));
      await buildSnapshot(feed, store);
      feed.model = 'embed@2.0.0';
      feed.served = 0;
      const sync = new ProductIndexSync(feed, { snapshots: store });
      const said: string[] = [];
      const info = jest.spyOn(logger(), 'info').mockImplementation((message: unknown) => void said.push(String(message)));
      try {
        await sync.refresh();
      } finally {
        info.mockRestore();
      }
      expect(sync.snapshot).toBeNull();
      expect(sync.embeddingModel).toBe('embed@2.0.0');
      expect(feed.served).toBe(1 + 300);
      expect(said).toContainEqual(expect.stringMatching(/index snapshots in .* are of embed@1.0.0, the catalogue serves embed@2.0.0: reading the whole feed/));
    });

    it('builds incrementally: nothing written while the feed stands still, then a snapshot from the previous one', async () => {
      const feed = new MemoryFeed();
      feed.write(Array.from({ length: 400 }, (_, i) => product(i + 1)));
      const first = await buildSnapshot(feed, store, { keep: 2 });
      const again = await buildSnapshot(feed, store, { keep: 2 });
      expect(again).toMatchObject({ written: false, startedFrom: first.manifest.id, applied: 0, manifest: first.manifest });

      feed.write([product(401), product(402)]);
      const second = await buildSnapshot(feed, store, { keep: 2 });
      expect(second).toMatchObject({ written: true, startedFrom: first.manifest.id, applied: 2, removed: [] });
      expect(second.manifest).toMatchObject({ products: 402, cursor: '402' });
      feed.write([product(403)]);
      const third = await buildSnapshot(feed, store, { keep: 2 });
      expect(third).toMatchObject({ written: true, startedFrom: second.manifest.id, applied: 1, removed: [first.manifest.id] });
      expect((await store.list()).map((manifest) => manifest.id)).toEqual([third.manifest.id, second.manifest.id]);
    });

    it('refuses to write a snapshot of an empty feed', async () => {
      await expect(buildSnapshot(new MemoryFeed(), store)).rejects.toThrow(/no product vectors yet/);
      expect(await at.entries()).toEqual([]);
    });
  });
});

function flipByte(bytes: Buffer | null): Buffer {
  return flipByteAt(bytes, Math.floor(bytes!.length / 2));
}

function flipByteAt(bytes: Buffer | null, at: number): Buffer {
  const flipped = Buffer.from(bytes!);
  flipped[at]! ^= 0xff;
  return flipped;
}
