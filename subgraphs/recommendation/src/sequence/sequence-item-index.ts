import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { HierarchicalNSW } from 'hnswlib-node';
import { MODEL_FILES, SequenceModelError, type SequenceVectors } from '@serendip/sequence';

export interface SequenceHit {
  productId: string;
  /** The item's dot product with the query: the model's own score. */
  score: number;
}

/** Graph links per node and candidate list sizes: as for the product index, recall against speed. */
const M = 16;
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 128;
/** Items inserted between yields to the event loop while building, so a replica keeps serving during a swap. */
const BUILD_SLICE = 500;

/**
 * Approximate maximum-inner-product search over one sequence model version's item vectors (HNSW
 * in inner-product space). Unlike the product index the vectors are not normalised: the model
 * scores an item by its dot product with the query, and an item's norm carries how often it is
 * the next choice, which cosine would throw away.
 */
export class SequenceItemIndex {
  private constructor(
    private readonly model: SequenceVectors,
    private readonly productIds: readonly string[],
    private readonly hnsw: HierarchicalNSW,
  ) {}

  /** Indexes every item of a platform version (label i is item i + 1; row 0, the padding item, is never a candidate). */
  static async build(model: SequenceVectors): Promise<SequenceItemIndex> {
    const { card, vectors, productIds } = model;
    if (!productIds) throw new SequenceModelError(path.join(model.dir, MODEL_FILES.items), 'missing: a version served to shoppers must name its products');
    const hnsw = new HierarchicalNSW('ip', card.dim);
    hnsw.initIndex(card.items, M, EF_CONSTRUCTION, 100);
    hnsw.setEf(EF_SEARCH);
    for (let label = 0; label < card.items; label++) {
      hnsw.addPoint(Array.from(vectors.subarray((label + 1) * card.dim, (label + 2) * card.dim)), label);
      if (label % BUILD_SLICE === BUILD_SLICE - 1) await yieldToEvents();
    }
    return new SequenceItemIndex(model, productIds, hnsw);
  }

  get dimension(): number {
    return this.model.card.dim;
  }

  get size(): number {
    return this.model.card.items;
  }

  /** The `k` items scoring highest against `query` among those `allowed`, best first. */
  search(query: Float32Array, k: number, allowed: (productId: string) => boolean): SequenceHit[] {
    if (query.length !== this.dimension || this.size === 0) return [];
    const { productIds } = this;
    const found = this.hnsw.searchKnn(Array.from(query), Math.min(k, this.size), (label: number) => allowed(productIds[label]!));
    // hnswlib's inner-product distance is 1 − dot.
    return found.neighbors.map((label, i) => ({ productId: productIds[label]!, score: 1 - found.distances[i]! }));
  }
}
