import { fuseScores, segmentContext, type FusedCandidate, type PolicyCandidate, type SourceScore, type Vector } from '@serendip/recsys';
import { FEATURE_SOURCES, SOURCE_WEIGHTS, type CandidateSource } from './candidate-sources';

/** Candidates the policy chooses among. */
export const POOL = 200;

/**
 * One exploit score per product from the sources' scores (weighted by SOURCE_WEIGHTS), best
 * first, the POOL best kept. Review quality scales the score, so a product that disappoints is
 * served less and explored less.
 */
export function fuseCandidates(sources: Record<CandidateSource, SourceScore[]>, quality?: (productId: string) => number): FusedCandidate[] {
  return fuseScores(sources, SOURCE_WEIGHTS, { ...(quality && { multiplier: quality }) }).slice(0, POOL);
}

/** A candidate's context before the per-segment copies: [bias, exploit score, each source's normalised score]. */
export const baseContext = (candidate: FusedCandidate): number[] => [1, candidate.score, ...FEATURE_SOURCES.map((source) => candidate.sources[source] ?? 0)];

/**
 * What the policy sees of each fused candidate: its exploit score, its context features
 * (`baseContext`) per shopper segment (segmentContext), and its vector for MMR diversity when the
 * index has one.
 */
export function policyCandidates(fused: readonly FusedCandidate[], vectorOf: (productId: string) => Vector | null, segment: number | null): PolicyCandidate[] {
  return fused.map((candidate) => {
    const vector = vectorOf(candidate.id);
    return {
      id: candidate.id,
      score: candidate.score,
      features: segmentContext(baseContext(candidate), segment),
      ...(vector !== null && { vector }),
    };
  });
}
