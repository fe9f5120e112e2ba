import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleNormal, seededRng } from '@serendip/recsys';
import { logger } from '@serendip/telemetry';
import {
  buildSnapshot,
  DirectorySnapshotStore,
  loadNewestSnapshot,
  PRODUCT_INDEX_FILES,
  ProductIndex,
  ProductIndexSync,
  readSnapshot,
  writeSnapshot,
  type ProductIndexItem,
  type ProductVectorFeed,
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

let dir: string;
let store: DirectorySnapshotStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'serendip-snapshots-'));
  store = new DirectorySnapshotStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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

describe('index snapshots', () => {
  it('reads back an index that searches, reads vectors and knows its products exactly as the one written', async () => {
    const { index, items } = filledIndex(2000);
    const manifest = await writeSnapshot(store, { index, cursor: 'cursor-2000', embeddingModel: MODEL }, new Date('2026-12-01T10:00:00Z'));
    expect(manifest).toMatchObject({ format: 1, embeddingModel: MODEL, cursor: 'cursor-2000', products: 2000, dimension: DIMENSION });
    expect(manifest.id).toMatch(/^1796119200000-[0-9a-f]{8}$/);
    expect(Object.keys(manifest.files).sort()).toEqual(Object.values(PRODUCT_INDEX_FILES).sort());
    // Only the published folder is left: the staged one was renamed into place.
    expect(readdirSync(dir)).toEqual([manifest.id]);
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
    expect(loaded.search(items[4]!.vector, 1)[0]).toEqual({ productId: '5', similarity: expect.closeTo(1, 5) });
    expect(loaded.newest(20)).toEqual(index.newest(20));
    expect(loaded.newest(5, odd)).toEqual(['1999', '1997', '1995', '1993', '1991']);

    // It goes on growing past the capacity it was saved with.
    loaded.upsert(Array.from({ length: 200 }, (_, i) => product(3000 + i)));
    expect(loaded.size).toBe(2200);
    expect(loaded.newest(1)).toEqual(['3199']);
    expect(loaded.search(loaded.vectorOf('3100')!, 1)[0]!.productId).toBe('3100');
  });

  it.each([
    ['a flipped byte in the graph', (path: string) => flipByte(join(path, PRODUCT_INDEX_FILES.graph)), /graph.hnsw does not match its checksum/],
    ['a truncated graph', (path: string) => truncateSync(join(path, PRODUCT_INDEX_FILES.graph), 1000), /graph.hnsw has 1000 bytes, the manifest says \d+/],
    ['a truncated codes file', (path: string) => truncateSync(join(path, PRODUCT_INDEX_FILES.codes), 10), /codes.bin has 10 bytes/],
    ['a missing labels file', (path: string) => rmSync(join(path, PRODUCT_INDEX_FILES.labels)), /ENOENT/],
  ])('refuses a snapshot with %s, and a replica falls back to an older one or to none', async (_case, damage, reason) => {
    const { index } = filledIndex(500);
    const older = await writeSnapshot(store, { index, cursor: 'c1', embeddingModel: MODEL }, new Date(1000));
    const newer = await writeSnapshot(store, { index, cursor: 'c2', embeddingModel: MODEL }, new Date(2000));
    damage(join(dir, newer.id));
    await expect(readSnapshot(store, newer)).rejects.toThrow(reason);

    const said = warnings();
    try {
      const loaded = await loadNewestSnapshot(store, MODEL);
      expect(loaded?.manifest).toEqual(older);
      expect(loaded?.index.size).toBe(500);
      expect(said.lines).toEqual([expect.stringMatching(new RegExp(`index snapshot ${newer.id} .* is unusable \\(.*\\); trying an older one`))]);
      damage(join(dir, older.id));
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
    writeFileSync(join(dir, future.id, 'manifest.json'), JSON.stringify({ ...future, format: 2 }));
    await mkdir(join(dir, '0000000004000-0badf00d'));
    const said = warnings();
    try {
      expect((await store.list()).map((manifest) => manifest.id)).toEqual([expect.any(String), future.id, ours.id]);
      expect((await loadNewestSnapshot(store, MODEL))?.manifest.id).toBe(ours.id);
      expect(said.lines).toEqual([
        expect.stringMatching(/index snapshot 0000000004000-0badf00d .* has no readable manifest/),
        expect.stringMatching(/index snapshot 0000000004000-0badf00d .* has no readable manifest/),
        expect.stringMatching(new RegExp(`index snapshot ${future.id} .* is unusable \\(format 2, this version reads 1\\)`)),
      ]);
    } finally {
      said.restore();
    }
  });

  it('a store without its folder holds no snapshots; pruning keeps the newest and clears abandoned staging', async () => {
    expect(await new DirectorySnapshotStore(join(dir, 'absent')).list()).toEqual([]);
    const { index } = filledIndex(50);
    const ids: string[] = [];
    for (let i = 1; i <= 4; i += 1) ids.push((await writeSnapshot(store, { index, cursor: `c${i}`, embeddingModel: MODEL }, new Date(i * 1000))).id);
    const abandoned = await store.stage();
    const recent = await store.stage();
    const longAgo = (Date.now() - 7 * 3600 * 1000) / 1000;
    utimesSync(abandoned, longAgo, longAgo);
    expect(await store.prune(2)).toEqual([ids[1], ids[0]]);
    expect(readdirSync(dir).sort()).toEqual([ids[2], ids[3], recent.slice(dir.length + 1)].sort());
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
    expect(sync.index.search(moved.vector, 1)).toEqual([{ productId: '42', similarity: expect.closeTo(1, 5) }]);
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
    expect(readdirSync(dir)).toEqual([]);
  });
});

function flipByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  writeFileSync(path, bytes);
}
