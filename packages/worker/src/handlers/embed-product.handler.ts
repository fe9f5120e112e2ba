import type { EmbedProductPayload, EmbedProductResult } from '@serendip/jobs';
import { toEmbeddingResult } from './embedding';
import type { Models } from './handler';

export async function embedProducts(payloads: EmbedProductPayload[], { embedder }: Models): Promise<EmbedProductResult[]> {
  const vectors = await embedder.embed(payloads.map((payload) => payload.text));
  return vectors.map((vector, index) => ({ productId: payloads[index]!.productId, ...toEmbeddingResult(vector, embedder) }));
}
