import type { FusedCandidate, InterestProfile, SlateItem } from '@serendip/recsys';
import type { SavedProfile } from '../interest/interest.store';
import { EXPLORE_NOTE_BELOW, explainChoice, interestKeywords } from './slate-reasons';

const fused = (id: string, score: number, primary: string): FusedCandidate => ({ id, score, sources: { [primary]: 1 }, primary });
const item = (id: string, rank: number, explored = false): SlateItem => ({ id, rank, score: 0, propensity: 0.5, explored });

const saved = (keywords: string[][]): SavedProfile => ({
  userId: 'u',
  profile: {
    interests: keywords.map((terms) => ({ keywords: terms.map((term) => ({ term, weight: 1 })) })),
    avoid: [],
  } as unknown as InterestProfile,
  signals: 1,
  model: 'm',
  modelVersion: '1',
  updatedAt: new Date(0),
  sequenceQueries: [],
});

describe('slate reasons', () => {
  it('names the two first keywords of the profile, heaviest interest first', () => {
    expect(interestKeywords(saved([['running', 'shoes'], ['tents']]))).toEqual(['running', 'shoes', 'tents']);
    expect(interestKeywords(undefined)).toEqual([]);
    const [explained] = explainChoice([item('1', 0)], [fused('1', 1, 'interest')], ['running', 'shoes', 'tents']);
    expect(explained?.reason).toBe('Matches your interest in running, shoes');
    expect(explainChoice([item('1', 0)], [fused('1', 1, 'interest')], [])[0]?.reason).toBe('Close to what you have been looking at');
  });

  it('gives each item its primary source, fused score, propensity and a reason per source', () => {
    const candidates = [fused('1', 0.9, 'co-occurrence'), fused('2', 0.8, 'trending'), fused('3', 0.7, 'fresh')];
    expect(explainChoice([item('3', 0), item('1', 1), item('2', 2)], candidates, [])).toEqual([
      { productId: '3', rank: 0, source: 'fresh', score: 0.7, propensity: 0.5, explored: false, reason: 'New in the catalogue' },
      {
        productId: '1',
        rank: 1,
        source: 'co-occurrence',
        score: 0.9,
        propensity: 0.5,
        explored: false,
        reason: 'Shoppers who chose what you chose also chose this',
      },
      { productId: '2', rank: 2, source: 'trending', score: 0.8, propensity: 0.5, explored: false, reason: 'Popular with shoppers this week' },
    ]);
  });

  it('says "something different" only for explored picks well below the best score', () => {
    const best = fused('best', 1, 'interest');
    const low = fused('low', EXPLORE_NOTE_BELOW - 0.01, 'trending');
    const close = fused('close', EXPLORE_NOTE_BELOW + 0.01, 'trending');
    const reasons = explainChoice([item('low', 0, true), item('close', 1, true), item('low', 2, false)], [best, close, low], []).map(
      (explained) => explained.reason,
    );
    expect(reasons).toEqual([
      'Something different to explore: popular with shoppers this week',
      'Popular with shoppers this week',
      'Popular with shoppers this week',
    ]);
  });
});
