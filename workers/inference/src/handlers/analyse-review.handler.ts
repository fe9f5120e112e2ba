import type { AnalyseReviewPayload, AnalyseReviewResult } from '@serendip/jobs';
import { aspectClauses, aspectMentions, clauseOpinion, detectLanguage, textRank, tokenize } from '@serendip/text';
import { toEmbeddingResult } from './embedding';
import type { Models } from './handler';

/** Enough to show what a single review is about; product and category keywords are pooled from `terms`. */
const REVIEW_KEYWORDS = 8;

function termCounts(tokens: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const token of tokens) counts[token] = (counts[token] ?? 0) + 1;
  return counts;
}

/**
 * Sentiment of each whole review and of each clause that names an aspect (see clauseOpinion), an
 * embedding, and the review's tokens and keywords. Whole reviews and aspect clauses go through the
 * sentiment model in ONE call, so a batch of reviews costs one model call per model however many
 * clauses they hold.
 */
export async function analyseReviews(payloads: AnalyseReviewPayload[], { embedder, sentiment }: Models): Promise<AnalyseReviewResult[]> {
  const texts = payloads.map((payload) => payload.text);
  const languages = texts.map(detectLanguage);
  const clauses = texts.map((text, index) => aspectClauses(text, languages[index]!));
  // One after the other: both models share the thread's cores, running them together only interleaves.
  const sentiments = await sentiment.classify([...texts, ...clauses.flat().map((mention) => mention.clause)]);
  const vectors = await embedder.embed(texts);
  let next = texts.length;
  return payloads.map((payload, index) => {
    const reviewClauses = clauses[index]!;
    const clauseSentiments = sentiments
      .slice(next, next + reviewClauses.length)
      .map((result, clause) => clauseOpinion(result, reviewClauses[clause]!.clause, languages[index]!));
    next += reviewClauses.length;
    const tokens = tokenize(payload.text, languages[index]!);
    return {
      reviewId: payload.reviewId,
      language: languages[index]!,
      sentiment: { ...sentiments[index]!, model: sentiment.model, version: sentiment.version },
      embedding: toEmbeddingResult(vectors[index]!, embedder),
      aspects: aspectMentions(reviewClauses, clauseSentiments),
      terms: termCounts(tokens),
      keywords: textRank(tokens, REVIEW_KEYWORDS).map((keyword) => keyword.term),
    };
  });
}
