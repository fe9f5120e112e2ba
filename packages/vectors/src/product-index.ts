import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HierarchicalNSW } from 'hnswlib-node';

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
  /** hnswlib's own serialisation of the graph, full-precision vectors included. */
  graph: 'graph.hnsw',
  /** Each label's product id, category and creation time (JSON). */
  labels: 'labels.json',
  /** Each label's 8-bit vector: `size` float32 scales, then `size × dimension` int8 codes. */
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
  hnsw: HierarchicalNSW;
  dimension: number;
  capacity: number;
  /** `capacity × dimension` int8 codes; row `label` is that product's vector divided by its scale. */
  codes: Int8Array;
  /** `capacity` scales: a code times its row's scale is the vector's value. */
  scales: Float32Array;
}

/** Stamps of index states, never reused within a process (`ProductIndex.version`). */
let stamps = 0;
const nextStamp = () => ++stamps;

/**
 * Approximate nearest neighbours over product embeddings (HNSW, inner-product space on unit
 * vectors, so similarity = 1 − distance = cosine), with the per-product facts candidate
 * generation needs beside the vector: its category, its creation time, and the vector itself
 * (for MMR and bandit features).
 *
 * The graph holds the one full-precision copy of each vector. `vectorOf` reads an 8-bit copy
 * instead (a quarter of the size): hnswlib's `getPoint` builds a JS array value by value, about
 * 20× slower than this (`pnpm bench:vector-read`), and slates ask for hundreds of vectors each.
 * Eight bits a value, scaled per vector, keep the cosine to the stored vector above 0.9999.
 *
 * Product ids map to dense numeric labels, which also index the codes and metadata. A
 * re-embedded product keeps its label and its point is updated in place, so the graph never
 * accumulates deleted nodes.
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
    const graph = this.reserve(dimension, this.size + items.length);
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
      graph.scales[label] = quantise(vectors[i]!, graph.codes.subarray(label * dimension, (label + 1) * dimension));
      // An existing label is updated in place (hnswlib repairs its links), a new one inserted.
      graph.hnsw.addPoint(Array.from(vectors[i]!), label);
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
    const result = graph.hnsw.searchKnn(Array.from(query), Math.min(Math.floor(k), this.size), filter ? (label) => filter(productIds[label]!) : undefined);
    return result.neighbors.map((label, i) => ({ productId: productIds[label]!, similarity: 1 - result.distances[i]! }));
  }

  /** The product's (unit) vector to 8 bits a value, or null when it is not indexed. */
  vectorOf(productId: string): Float32Array | null {
    const label = this.labels.get(productId);
    if (label === undefined || !this.graph) return null;
    const { dimension, codes, scales } = this.graph;
    const scale = scales[label]!;
    const vector = new Float32Array(dimension);
    for (let i = 0, at = label * dimension; i < dimension; i += 1, at += 1) vector[i] = codes[at]! * scale;
    return vector;
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
   * Writes the index into the folder `dir` (PRODUCT_INDEX_FILES) for `load`: the graph in
   * hnswlib's own format, written off the event loop. Nothing may be upserted until it resolves.
   */
  async save(dir: string): Promise<void> {
    const { graph } = this;
    if (!graph) throw new Error('an empty index has nothing to save');
    const size = this.size;
    await graph.hnsw.writeIndex(join(dir, PRODUCT_INDEX_FILES.graph));
    const categories = [...this.categoryNames.keys()];
    const categoryIndex = new Map(categories.map((categoryId, index) => [categoryId, index]));
    const labels: SavedLabels = {
      dimension: graph.dimension,
      productIds: this.productIds,
      categories,
      category: this.categoryIds.map((categoryId) => categoryIndex.get(categoryId)!),
      createdAt: this.createdAt,
    };
    await writeFile(join(dir, PRODUCT_INDEX_FILES.labels), JSON.stringify(labels));
    // Float32Array and Int8Array bytes are the machine's order, little-endian wherever this runs.
    const scales = new Uint8Array(graph.scales.buffer, graph.scales.byteOffset, size * 4);
    const codes = new Uint8Array(graph.codes.buffer, graph.codes.byteOffset, size * graph.dimension);
    await writeFile(join(dir, PRODUCT_INDEX_FILES.codes), Buffer.concat([scales, codes]));
  }

  /**
   * The index `save` wrote into `dir`, with `options`' search settings (the graph keeps the links
   * and construction settings it was built with). The graph is read off the event loop. Throws
   * when the files do not agree with each other.
   */
  static async load(dir: string, options: ProductIndexOptions = {}): Promise<ProductIndex> {
    const labels = JSON.parse(await readFile(join(dir, PRODUCT_INDEX_FILES.labels), 'utf8')) as SavedLabels;
    const size = labels.productIds.length;
    const { dimension } = labels;
    if (!Number.isInteger(dimension) || dimension < 1 || labels.category.length !== size || labels.createdAt.length !== size) {
      throw new Error(`${PRODUCT_INDEX_FILES.labels} is inconsistent`);
    }
    const codes = await readFile(join(dir, PRODUCT_INDEX_FILES.codes));
    if (codes.length !== size * (4 + dimension))
      throw new Error(`${PRODUCT_INDEX_FILES.codes} holds ${codes.length} bytes, ${size} products need ${size * (4 + dimension)}`);
    const hnsw = new HierarchicalNSW('ip', dimension);
    await hnsw.readIndex(join(dir, PRODUCT_INDEX_FILES.graph));
    if (hnsw.getCurrentCount() !== size) throw new Error(`the graph holds ${hnsw.getCurrentCount()} points, ${PRODUCT_INDEX_FILES.labels} ${size} products`);
    hnsw.setEf(options.efSearch ?? DEFAULT_EF_SEARCH);
    const index = new ProductIndex({ ...options, dimension });
    const capacity = hnsw.getMaxElements();
    const graph: Graph = { hnsw, dimension, capacity, codes: new Int8Array(capacity * dimension), scales: new Float32Array(capacity) };
    graph.scales.set(new Float32Array(codes.buffer.slice(codes.byteOffset, codes.byteOffset + size * 4)));
    graph.codes.set(new Int8Array(codes.buffer, codes.byteOffset + size * 4, size * dimension));
    index.graph = graph;
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

  /** The graph, created on first use and grown (doubling) so `needed` points fit. */
  private reserve(dimension: number, needed: number): Graph {
    if (!this.graph) {
      const capacity = Math.max(this.initialCapacity, needed);
      const hnsw = new HierarchicalNSW('ip', dimension);
      hnsw.initIndex({ maxElements: capacity, m: this.m, efConstruction: this.efConstruction, randomSeed: this.seed });
      hnsw.setEf(this.efSearch);
      this.graph = { hnsw, dimension, capacity, codes: new Int8Array(capacity * dimension), scales: new Float32Array(capacity) };
    } else if (needed > this.graph.capacity) {
      const capacity = Math.max(needed, this.graph.capacity * 2);
      this.graph.hnsw.resizeIndex(capacity);
      const codes = new Int8Array(capacity * this.graph.dimension);
      codes.set(this.graph.codes);
      const scales = new Float32Array(capacity);
      scales.set(this.graph.scales);
      Object.assign(this.graph, { capacity, codes, scales });
    }
    return this.graph;
  }
}

/** Writes `vector` into `codes` as int8 (its largest value to ±127) and returns the scale that turns codes back into values. */
function quantise(vector: Float32Array, codes: Int8Array): number {
  let largest = 0;
  for (let i = 0; i < vector.length; i += 1) largest = Math.max(largest, Math.abs(vector[i]!));
  const scale = largest / 127;
  for (let i = 0; i < vector.length; i += 1) codes[i] = Math.round(vector[i]! / scale);
  return scale;
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
