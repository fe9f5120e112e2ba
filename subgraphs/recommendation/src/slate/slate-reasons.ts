import type { FusedCandidate, SlateItem } from '@serendip/recsys';
import type { SavedProfile } from '../interest/interest.store';
import type { CandidateSource } from './candidate-sources';

/** An explored pick whose exploit score is under this share of the best one says so in its reason. */
export const EXPLORE_NOTE_BELOW = 0.5;

const REASONS: Record<CandidateSource, (keywords: readonly string[]) => string> = {
  interest: (keywords) => (keywords.length > 0 ? `Matches your interest in ${keywords.slice(0, 2).join(', ')}` : 'Close to what you have been looking at'),
  'co-occurrence': () => 'Shoppers who chose what you chose also chose this',
  transitions: () => 'Shoppers often choose this next after what you chose',
  sequence: () => 'Predicted from the order of what you looked at and bought',
  trending: () => 'Popular with shoppers this week',
  fresh: () => 'New in the catalogue',
};

/** A chosen item with what the shopper is told about it. */
export interface ExplainedItem {
  productId: string;
  rank: number;
  source: CandidateSource;
  score: number;
  propensity: number;
  explored: boolean;
  reason: string;
}

/** The profile's keywords, heaviest interest first: what interest reasons name. */
export function interestKeywords(profile: SavedProfile | undefined): string[] {
  return profile?.profile.interests.flatMap((interest) => interest.keywords.map((keyword) => keyword.term)) ?? [];
}

/**
 * Each chosen item with its source (the one contributing most), its fused score, and a reason
 * the shopper can read. `fused` is best first and holds every chosen item.
 */
export function explainChoice(chosen: readonly SlateItem[], fused: readonly FusedCandidate[], keywords: readonly string[]): ExplainedItem[] {
  const byId = new Map(fused.map((candidate) => [candidate.id, candidate]));
  const best = fused[0]?.score ?? 0;
  return chosen.map((item) => {
    const candidate = byId.get(item.id)!;
    const source = candidate.primary as CandidateSource;
    // Sampling policies reorder close candidates all the time; the shopper is told only about
    // picks well below the best the ranking had, which is what exploring looks like to them.
    const adventurous = item.explored && candidate.score < EXPLORE_NOTE_BELOW * best;
    const reason = adventurous ? `Something different to explore: ${REASONS[source](keywords).toLowerCase()}` : REASONS[source](keywords);
    return { productId: item.id, rank: item.rank, source, score: candidate.score, propensity: item.propensity, explored: item.explored, reason };
  });
}
