import type { EmbedTextPayload, EmbedTextResult } from '@serendip/jobs';
import { toEmbeddingResult } from './embedding';
import type { Models } from './handler';

export async function embedTexts(payloads: EmbedTextPayload[], { embedder }: Models): Promise<EmbedTextResult[]> {
  const vectors = await embedder.embed(payloads.map((payload) => payload.text));
  return vectors.map((vector) => toEmbeddingResult(vector, embedder));
}
