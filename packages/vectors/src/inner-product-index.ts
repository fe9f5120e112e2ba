import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { describeFile, readWhole, type ExpectedFile } from './file-source';
import { Hnsw } from './hnsw';
import { Int8Rows } from './int8-rows';

export interface InnerProductHit {
  id: string;
  /** The item's dot product with the query. */
  score: number;
}

/** Candidate list size while searching: as for the product index, recall against speed. */
const EF_SEARCH = 128;
/** Items inserted between yields to the event loop while building, so a process keeps serving during a build. */
const BUILD_SLICE = 500;

/** The files `save` writes into a folder (beside a sequence model's own) and `load` reads back; the manifest last. */
export const ITEM_INDEX_FILES = { graph: 'item-graph.bin', codes: 'item-codes.bin', manifest: 'item-index.json' } as const;
/** Raised when the files' layout changes: an index of another format is built afresh instead. */
const ITEM_INDEX_FORMAT = 1;

/** item-index.json: what the saved index holds, and each file's size and SHA-256. */
interface ItemIndexManifest {
  format: number;
  items: number;
  dimension: number;
  files: Record<string, ExpectedFile>;
}

/**
 * Approximate maximum-inner-product search (HNSW scoring by dot product) over vectors that are
 * not normalised: where a model scores an item by its dot product with a query (the sequence
 * model), an item's norm carries how often it is chosen, which cosine would throw away. The same
 * graph as the product index's, over the same 8-bit rows: each vector scaled by its own largest
 * value keeps its norm.
 */
export class InnerProductIndex {
  private constructor(
    private readonly ids: readonly string[],
    private readonly hnsw: Hnsw,
    readonly dimension: number,
  ) {}

  /** Indexes row i of `vectors` (`ids.length × dimension` floats, from `offset` floats in) as `ids[i]`. */
  static async build(ids: readonly string[], vectors: Float32Array, dimension: number, offset = 0): Promise<InnerProductIndex> {
    if (vectors.length - offset < ids.length * dimension) throw new Error(`${ids.length} ids need ${ids.length * dimension} floats after ${offset}`);
    const hnsw = new Hnsw(new Int8Rows(dimension, Math.max(1, ids.length)));
    for (let label = 0; label < ids.length; label++) {
      const start = offset + label * dimension;
      hnsw.set(label, vectors.subarray(start, start + dimension));
      if (label % BUILD_SLICE === BUILD_SLICE - 1) await yieldToEvents();
    }
    return new InnerProductIndex(ids, hnsw, dimension);
  }

  /**
   * The index `save` wrote into `dir`, over `ids` (the same items in the same order) of `dimension`
   * values; null when `dir` holds none. Each file is read once into the index's memory and checked
   * against the manifest's checksum; throws when a file is damaged or the index is of other items.
   */
  static async load(dir: string, ids: readonly string[], dimension: number): Promise<InnerProductIndex | null> {
    let text: string;
    try {
      text = await readFile(join(dir, ITEM_INDEX_FILES.manifest), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const manifest = JSON.parse(text) as Partial<ItemIndexManifest>;
    if (manifest.format !== ITEM_INDEX_FORMAT)
      throw new Error(`${ITEM_INDEX_FILES.manifest}: format ${String(manifest.format)}, this version reads ${ITEM_INDEX_FORMAT}`);
    const { items, files } = manifest;
    if (items !== ids.length || manifest.dimension !== dimension) {
      throw new Error(
        `${ITEM_INDEX_FILES.manifest} holds ${String(items)} items of ${String(manifest.dimension)} values, the model ${ids.length} of ${dimension}`,
      );
    }
    if (typeof files !== 'object' || files === null) throw new Error(`${ITEM_INDEX_FILES.manifest} lists no files`);
    const expected = (name: string) => {
      const file = files[name];
      if (!file) throw new Error(`${ITEM_INDEX_FILES.manifest} lists no ${name}`);
      return file;
    };
    const rows = await readWhole(
      join(dir, ITEM_INDEX_FILES.codes),
      (source) => Int8Rows.read(source, dimension, items, items),
      expected(ITEM_INDEX_FILES.codes),
    );
    const hnsw = await readWhole(join(dir, ITEM_INDEX_FILES.graph), (source) => Hnsw.read(source, rows), expected(ITEM_INDEX_FILES.graph));
    if (hnsw.size !== items) throw new Error(`the graph holds ${hnsw.size} nodes, the model ${items} items`);
    return new InnerProductIndex(ids, hnsw, dimension);
  }

  /** Writes the index into `dir` for `load`, the manifest last, so a reader finds a whole index or none. */
  async save(dir: string): Promise<void> {
    const files: Record<string, ExpectedFile> = {};
    const write = async (name: string, bytes: Buffer) => {
      await writeFile(join(dir, name), bytes);
      files[name] = await describeFile(join(dir, name));
    };
    await write(ITEM_INDEX_FILES.codes, this.hnsw.rows.serialise(this.size));
    await write(ITEM_INDEX_FILES.graph, this.hnsw.serialise());
    const manifest: ItemIndexManifest = { format: ITEM_INDEX_FORMAT, items: this.size, dimension: this.dimension, files };
    const staged = join(dir, `${ITEM_INDEX_FILES.manifest}.partial`);
    await writeFile(staged, JSON.stringify(manifest, null, 2));
    await rename(staged, join(dir, ITEM_INDEX_FILES.manifest));
  }

  get size(): number {
    return this.ids.length;
  }

  /** The `k` items scoring highest against `query` among those `allowed`, best first. */
  search(query: Float32Array, k: number, allowed: (id: string) => boolean): InnerProductHit[] {
    if (query.length !== this.dimension || this.size === 0) return [];
    const hits = this.hnsw.search(query, Math.min(k, this.size), EF_SEARCH, (label) => allowed(this.ids[label]!));
    return hits.map((hit) => ({ id: this.ids[hit.label]!, score: hit.score }));
  }
}
