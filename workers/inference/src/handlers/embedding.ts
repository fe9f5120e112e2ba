import type { Embedder } from '@serendip/inference';
import { encodeVector, type EmbeddingResult } from '@serendip/jobs';

/** Job results are JSON in Redis; the vector is encoded here, in the inference thread, to keep that work off the main thread BullMQ runs on. */
export const toEmbeddingResult = (vector: Float32Array, embedder: Embedder): EmbeddingResult => ({
  embedding: encodeVector(vector),
  model: embedder.model,
  version: embedder.version,
});
