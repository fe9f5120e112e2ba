import type { Embedder } from '@serendip/inference';
import type { EmbeddingResult } from '@serendip/jobs';

/** Job results are JSON in Redis, so vectors leave the thread as plain arrays stamped with their model. */
export const toEmbeddingResult = (vector: Float32Array, embedder: Embedder): EmbeddingResult => ({
  embedding: Array.from(vector),
  model: embedder.model,
  version: embedder.version,
});
