import type { AnalyseReviewPayload, AnalyseReviewResult } from '@serendip/jobs';
import { toEmbeddingResult } from './embedding';
import type { Models } from './handler';

export async function analyseReviews(payloads: AnalyseReviewPayload[], { embedder, sentiment }: Models): Promise<AnalyseReviewResult[]> {
  const texts = payloads.map((payload) => payload.text);
  // One after the other: both models share the thread's cores, running them together only interleaves.
  const sentiments = await sentiment.classify(texts);
  const vectors = await embedder.embed(texts);
  return payloads.map((payload, index) => ({
    reviewId: payload.reviewId,
    sentiment: { ...sentiments[index]!, model: sentiment.model, version: sentiment.version },
    embedding: toEmbeddingResult(vectors[index]!, embedder),
  }));
}
