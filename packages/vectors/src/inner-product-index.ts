import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { HierarchicalNSW } from 'hnswlib-node';

export interface InnerProductHit {
  id: string;
  /** The item's dot product with the query. */
  score: number;
}

/** Graph links per node and candidate list sizes: as for the product index, recall against speed. */
const M = 16;
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 128;
/** Items inserted between yields to the event loop while building, so a process keeps serving during a build. */
const BUILD_SLICE = 500;

/**
 * Approximate maximum-inner-product search (HNSW in inner-product space) over vectors that are
 * not normalised: where a model scores an item by its dot product with a query (the sequence
 * model), an item's norm carries how often it is chosen, which cosine would throw away.
 */
export class InnerProductIndex {
  private constructor(
    private readonly ids: readonly string[],
    private readonly hnsw: HierarchicalNSW,
    readonly dimension: number,
  ) {}

  /** Indexes row i of `vectors` (`ids.length × dimension` floats, from `offset` floats in) as `ids[i]`. */
  static async build(ids: readonly string[], vectors: Float32Array, dimension: number, offset = 0): Promise<InnerProductIndex> {
    if (vectors.length - offset < ids.length * dimension) throw new Error(`${ids.length} ids need ${ids.length * dimension} floats after ${offset}`);
    const hnsw = new HierarchicalNSW('ip', dimension);
    hnsw.initIndex(Math.max(1, ids.length), M, EF_CONSTRUCTION, 100);
    hnsw.setEf(EF_SEARCH);
    for (let label = 0; label < ids.length; label++) {
      const start = offset + label * dimension;
      hnsw.addPoint(Array.from(vectors.subarray(start, start + dimension)), label);
      if (label % BUILD_SLICE === BUILD_SLICE - 1) await yieldToEvents();
    }
    return new InnerProductIndex(ids, hnsw, dimension);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The `k` items scoring highest against `query` among those `allowed`, best first. */
  search(query: Float32Array, k: number, allowed: (id: string) => boolean): InnerProductHit[] {
    if (query.length !== this.dimension || this.size === 0) return [];
    const found = this.hnsw.searchKnn(Array.from(query), Math.min(k, this.size), (label: number) => allowed(this.ids[label]!));
    // hnswlib's inner-product distance is 1 − dot.
    return found.neighbors.map((label, i) => ({ id: this.ids[label]!, score: 1 - found.distances[i]! }));
  }
}
