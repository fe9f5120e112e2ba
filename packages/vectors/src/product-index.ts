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

interface Graph {
  hnsw: HierarchicalNSW;
  dimension: number;
  capacity: number;
  /** `capacity × dimension` floats; row `label` is that product's vector. */
  vectors: Float32Array;
}

/**
 * Approximate nearest neighbours over product embeddings (HNSW, inner-product space on unit
 * vectors, so similarity = 1 − distance = cosine), with the per-product facts candidate
 * generation needs beside the vector: its category, its creation time, and the vector itself
 * (for MMR and bandit features) in a Float32Array store.
 *
 * Product ids map to dense numeric labels, which also index the vector store and metadata. A
 * re-embedded product keeps its label and its point is updated in place, so the graph never
 * accumulates deleted nodes.
 */
export class ProductIndex {
  private graph: Graph | null = null;
  private readonly labels = new Map<string, number>();
  private readonly productIds: string[] = [];
  private readonly categoryIds: string[] = [];
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
    this.efSearch = options.efSearch ?? 128;
    this.initialCapacity = Math.max(1, options.initialCapacity ?? 1024);
    this.seed = options.seed ?? 100;
  }

  get size(): number {
    return this.productIds.length;
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
    items.forEach((item, i) => {
      let label = this.labels.get(item.productId);
      const createdAt = item.createdAt.getTime();
      if (label === undefined) {
        label = this.productIds.length;
        this.labels.set(item.productId, label);
        this.productIds.push(item.productId);
        this.categoryIds.push(item.categoryId);
        this.createdAt.push(createdAt);
        this.byCreated.push(label);
      } else {
        this.categoryIds[label] = item.categoryId;
        this.createdAt[label] = createdAt;
      }
      this.byCreatedSorted = false;
      graph.vectors.set(vectors[i]!, label * dimension);
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

  /** A copy of the product's (unit) vector, or null when it is not indexed. */
  vectorOf(productId: string): Float32Array | null {
    const label = this.labels.get(productId);
    if (label === undefined || !this.graph) return null;
    const { dimension, vectors } = this.graph;
    return vectors.slice(label * dimension, (label + 1) * dimension);
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

  /** The graph, created on first use and grown (doubling) so `needed` points fit. */
  private reserve(dimension: number, needed: number): Graph {
    if (!this.graph) {
      const capacity = Math.max(this.initialCapacity, needed);
      const hnsw = new HierarchicalNSW('ip', dimension);
      hnsw.initIndex({ maxElements: capacity, m: this.m, efConstruction: this.efConstruction, randomSeed: this.seed });
      hnsw.setEf(this.efSearch);
      this.graph = { hnsw, dimension, capacity, vectors: new Float32Array(capacity * dimension) };
    } else if (needed > this.graph.capacity) {
      const capacity = Math.max(needed, this.graph.capacity * 2);
      this.graph.hnsw.resizeIndex(capacity);
      const vectors = new Float32Array(capacity * this.graph.dimension);
      vectors.set(this.graph.vectors);
      this.graph.capacity = capacity;
      this.graph.vectors = vectors;
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
