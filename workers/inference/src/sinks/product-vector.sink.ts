import type { ModelStamp } from '@serendip/jobs';

/** One product vector to keep: its model, and the hash (`textHash`) of the text it was embedded from. */
export interface ProductVector extends ModelStamp {
  productId: string;
  vector: Float32Array;
  textHash: string;
}

/**
 * Where embed-products jobs keep their vectors (the catalogue's database; the catalogue owns the
 * implementation). A job completes only once its vectors are stored, so a database fault retries
 * the job instead of losing the vector.
 */
export interface ProductVectorSink {
  /** Resolves once every vector is stored (the latest per product and model replaces the one before). */
  store(vectors: readonly ProductVector[]): Promise<void>;
  close(): Promise<void>;
}
