import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readWhole, type ExpectedFile, type FileSource } from './file-source';
import { Hnsw } from './hnsw';
import { Int8Rows } from './int8-rows';

/** One product as the index holds it. */
export interface ProductIndexItem {
  /** Catalogue product id (a BIGINT as a string). */
  productId: string;
  categoryId: string;
  /** When the product was created; `newest` orders by it. */
  createdAt: Date;
  /** The product's embedding; stored L2-normalised. */
  vector: Float32Array;
}

export interface ProductHit {
  productId: string;
  /** Cosine similarity to the query, in [-1, 1]; higher is closer. */
  similarity: number;
}

export interface ProductIndexOptions {
  /** Values per vector. @default the length of the first vector upserted */
  dimension?: number;
  /** Graph links per node: more means better recall, more memory and slower inserts. @default 16 */
  m?: number;
  /** Candidate list size while inserting: more means a better graph and slower inserts. @default 100 */
  efConstruction?: number;
  /** Candidate list size while searching (at least k is used): recall against speed. @default 128 */
  efSearch?: number;
  /** Room reserved before the first resize. @default 1024 */
  initialCapacity?: number;
  /** Seed of the graph's level assignment, so a build is reproducible. @default 100 */
  seed?: number;
}

/** The files `save` writes into a folder and `load` reads back. */
export const PRODUCT_INDEX_FILES = {
  /** The graph's levels and links (`Hnsw.serialise`). */
  graph: 'graph.bin',
  /** Each label's product id, category and creation time (JSON). */
  labels: 'labels.json',
  /** Each label's vector, the one copy there is: `size` float32 scales, then `size × dimension` int8 codes. */
  codes: 'codes.bin',
} as const;

/** labels.json as written by `save`. */
interface SavedLabels {
  dimension: number;
  productIds: string[];
  /** Distinct category ids; `category[label]` indexes it. */
  categories: string[];
  category: number[];
  createdAt: number[];
}

const DEFAULT_EF_SEARCH = 128;

interface Graph {
  hnsw: Hnsw;
  dimension: number;
}

/** Stamps of index states, never reused within a process (`ProductIndex.version`). */
let stamps = 0;
const nextStamp = () => ++stamps;

/**
 * Approximate nearest neighbours over product embeddings (HNSW on unit vectors, so the dot
 * product is the cosine), with the per-product facts candidate generation needs beside the
 * vector: its category, its creation time, and the vector itself (for MMR and bandit features).
 *
 * Each vector is held once, as 8-bit codes scaled per vector to norm 1 (a quarter of float32's
 * size; the cosine of the stored vector to the given one stays above 0.9999): the graph walks over
 * them and `vectorOf` reads them. A hit's similarity is the full-precision query's cosine to the
 * stored vector, so it differs from the cosine to the vector as given by about 10⁻⁴.
 *
 * Product ids map to dense numeric labels, which also index the codes and metadata. A
 * re-embedded product keeps its label and is re-linked in place, so the graph never accumulates
 * deleted nodes.
 */
export class ProductIndex {
  private graph: Graph | null = null;
  private stamp = nextStamp();
  private readonly labels = new Map<string, number>();
  private readonly productIds: string[] = [];
  private readonly categoryIds: string[] = [];
  /** One string per distinct category, so a million products hold a few hundred category strings, not a million. */
  private readonly categoryNames = new Map<string, string>();
  private readonly createdAt: number[] = [];
  /** Labels by (createdAt, label) ascending; re-sorted lazily after writes. */
  private readonly byCreated: number[] = [];
  private byCreatedSorted = true;
  private readonly m: number;
  private readonly efConstruction: number;
  private readonly efSearch: number;
  private readonly initialCapacity: number;
  private readonly seed: number;

  constructor(private readonly options: ProductIndexOptions = {}) {
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 100;
    this.efSearch = options.efSearch ?? DEFAULT_EF_SEARCH;
    this.initialCapacity = Math.max(1, options.initialCapacity ?? 1024);
    this.seed = options.seed ?? 100;
  }

  get size(): number {
    return this.productIds.length;
  }

  /**
   * Changes whenever the index's contents do and differs between indexes (a model upgrade's, one
   * loaded from a snapshot): what results computed from it may be kept by.
   */
  get version(): number {
    return this.stamp;
  }

  /** Null until the first vector arrives when no dimension was given. */
  get dimension(): number | null {
    return this.graph?.dimension ?? this.options.dimension ?? null;
  }

  has(productId: string): boolean {
    return this.labels.has(productId);
  }

  /** Adds new products and replaces the vector and facts of known ones; a bad vector rejects the whole batch. */
  upsert(items: readonly ProductIndexItem[]): void {
    if (items.length === 0) return;
    const dimension = this.dimension ?? items[0]!.vector.length;
    const vectors = items.map((item) => {
      const vector = item.vector.length === dimension ? normalised(item.vector) : null;
      if (!vector) throw new Error(`vector of product ${item.productId} is not ${dimension} finite values with a non-zero norm`);
      return vector;
    });
    const graph = this.graphFor(dimension, this.size + items.length);
    // Before the first change, so even a batch that fails part-way leaves a new version.
    this.stamp = nextStamp();
    items.forEach((item, i) => {
      let label = this.labels.get(item.productId);
      const createdAt = item.createdAt.getTime();
      const categoryId = this.category(item.categoryId);
      if (label === undefined) {
        label = this.productIds.length;
        this.labels.set(item.productId, label);
        this.productIds.push(item.productId);
        this.categoryIds.push(categoryId);
        this.createdAt.push(createdAt);
        this.byCreated.push(label);
      } else {
        this.categoryIds[label] = categoryId;
        this.createdAt[label] = createdAt;
      }
      this.byCreatedSorted = false;
      graph.hnsw.set(label, vectors[i]!);
    });
  }

  /**
   * The `k` products most similar to `vector` (normalised here, so an average of interests works
   * as a query), best first. `filter` runs inside the graph search, so excluded products do not
   * use up the `k` places; a very selective filter lowers recall.
   */
  search(vector: Float32Array | readonly number[], k: number, filter?: (productId: string) => boolean): ProductHit[] {
    const { graph, dimension } = this;
    if (dimension !== null && vector.length !== dimension) throw new Error(`query has ${vector.length} values, expected ${dimension}`);
    if (!graph || k < 1) return [];
    const query = normalised(vector);
    if (!query) return [];
    const productIds = this.productIds;
    const hits = graph.hnsw.search(query, Math.min(Math.floor(k), this.size), this.efSearch, filter ? (label) => filter(productIds[label]!) : undefined);
    return hits.map((hit) => ({ productId: productIds[hit.label]!, similarity: hit.score }));
  }

  /** The product's (unit) vector to 8 bits a value, or null when it is not indexed. */
  vectorOf(productId: string): Float32Array | null {
    const label = this.labels.get(productId);
    if (label === undefined || !this.graph) return null;
    return this.graph.hnsw.rows.read(label);
  }

  categoryOf(productId: string): string | null {
    const label = this.labels.get(productId);
    return label === undefined ? null : this.categoryIds[label]!;
  }

  /** The `k` most recently created products that pass `filter`, newest first. */
  newest(k: number, filter?: (productId: string) => boolean): string[] {
    if (!this.byCreatedSorted) {
      // Mostly appends of newer products: nearly sorted input, which V8's TimSort handles in about linear time.
      this.byCreated.sort((a, b) => this.createdAt[a]! - this.createdAt[b]! || a - b);
      this.byCreatedSorted = true;
    }
    const found: string[] = [];
    for (let i = this.byCreated.length - 1; i >= 0 && found.length < k; i -= 1) {
      const productId = this.productIds[this.byCreated[i]!]!;
      if (!filter || filter(productId)) found.push(productId);
    }
    return found;
  }

  /**
   * Writes the index into the folder `dir` (PRODUCT_INDEX_FILES) for `load`. The bytes are taken
   * before the first write, so upserts may go on while it resolves.
   */
  async save(dir: string): Promise<void> {
    const { graph } = this;
    if (!graph) throw new Error('an empty index has nothing to save');
    const size = this.size;
    const links = graph.hnsw.serialise();
    const codes = graph.hnsw.rows.serialise(size);
    const categories = [...this.categoryNames.keys()];
    const categoryIndex = new Map(categories.map((categoryId, index) => [categoryId, index]));
    const labels: SavedLabels = {
      dimension: graph.dimension,
      productIds: this.productIds,
      categories,
      category: this.categoryIds.map((categoryId) => categoryIndex.get(categoryId)!),
      createdAt: this.createdAt,
    };
    const json = JSON.stringify(labels);
    // Typed arrays' bytes are the machine's order, little-endian wherever this runs.
    await writeFile(join(dir, PRODUCT_INDEX_FILES.graph), links);
    await writeFile(join(dir, PRODUCT_INDEX_FILES.codes), codes);
    await writeFile(join(dir, PRODUCT_INDEX_FILES.labels), json);
  }

  /**
   * The index `save` wrote into `dir`, with `options`' search settings (the graph keeps the links
   * and construction settings it was built with). Each file is read once, straight into the
   * index's memory, and checked against `expected` (a snapshot manifest's sizes and checksums) when
   * given. Throws when a file is damaged or the files do not agree with each other.
   */
  static async load(dir: string, options: ProductIndexOptions = {}, expected?: Partial<Record<string, ExpectedFile>>): Promise<ProductIndex> {
    const read = <T>(name: string, reader: (source: FileSource) => Promise<T>) => readWhole(join(dir, name), reader, expected?.[name]);
    const labels = await read(PRODUCT_INDEX_FILES.labels, async (source) => {
      const text = Buffer.alloc(source.remaining);
      await source.readInto(text);
      return JSON.parse(text.toString('utf8')) as SavedLabels;
    });
    const size = labels.productIds.length;
    const { dimension } = labels;
    if (!Number.isInteger(dimension) || dimension < 1 || labels.category.length !== size || labels.createdAt.length !== size) {
      throw new Error(`${PRODUCT_INDEX_FILES.labels} is inconsistent`);
    }
    const rows = await read(PRODUCT_INDEX_FILES.codes, (source) => Int8Rows.read(source, dimension, size, size, true));
    const hnsw = await read(PRODUCT_INDEX_FILES.graph, (source) => Hnsw.read(source, rows, { seed: options.seed }));
    if (hnsw.size !== size) throw new Error(`the graph holds ${hnsw.size} nodes, ${PRODUCT_INDEX_FILES.labels} ${size} products`);
    const index = new ProductIndex({ ...options, dimension });
    index.graph = { hnsw, dimension };
    const categories = labels.categories.map((categoryId) => index.category(categoryId));
    labels.productIds.forEach((productId, label) => {
      index.labels.set(productId, label);
      index.productIds.push(productId);
      index.categoryIds.push(categories[labels.category[label]!]!);
      index.createdAt.push(labels.createdAt[label]!);
      index.byCreated.push(label);
    });
    if (index.labels.size !== size) throw new Error(`${PRODUCT_INDEX_FILES.labels} lists a product twice`);
    index.byCreatedSorted = size === 0;
    return index;
  }

  /** The one string held for `categoryId`. */
  private category(categoryId: string): string {
    let held = this.categoryNames.get(categoryId);
    if (held === undefined) this.categoryNames.set(categoryId, (held = categoryId));
    return held;
  }

  /** The graph, created on first use with room for `needed` nodes; it grows itself as labels are added. */
  private graphFor(dimension: number, needed: number): Graph {
    if (!this.graph) {
      const rows = new Int8Rows(dimension, Math.max(this.initialCapacity, needed), true);
      this.graph = { hnsw: new Hnsw(rows, { m: this.m, efConstruction: this.efConstruction, seed: this.seed }), dimension };
    }
    return this.graph;
  }
}

/** `vector / ‖vector‖` as float32, or null for a zero or non-finite vector. */
function normalised(vector: Float32Array | readonly number[]): Float32Array | null {
  let sum = 0;
  for (let i = 0; i < vector.length; i += 1) sum += vector[i]! * vector[i]!;
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm) || norm === 0) return null;
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i += 1) unit[i] = vector[i]! / norm;
  return unit;
}
