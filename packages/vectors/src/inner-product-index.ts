import { setImmediate as yieldToEvents } from 'node:timers/promises';
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
