import { MAX_CONTEXT_SEGMENTS } from '@serendip/recsys';
import { FEATURE_SOURCES, LINUCB_PRIOR } from './candidate-sources';
import { fuseCandidates, POOL, policyCandidates } from './policy-candidates';

describe('fusion into policy candidates', () => {
  it('fuses the sources best first, scales by quality, and keeps the POOL best', () => {
    const many = Array.from({ length: POOL + 20 }, (_, i) => ({ id: String(i), score: POOL + 20 - i }));
    const fused = fuseCandidates({ interest: many, 'co-occurrence': [], transitions: [], sequence: [], trending: [], fresh: [] });
    expect(fused).toHaveLength(POOL);
    expect(fused[0]?.id).toBe('0');
    const sources = {
      interest: [
        { id: 'a', score: 2 },
        { id: 'b', score: 1 },
      ],
      'co-occurrence': [],
      transitions: [],
      sequence: [],
      trending: [{ id: 'b', score: 5 }],
      fresh: [],
    };
    expect(fuseCandidates(sources).map((candidate) => candidate.id)).toEqual(['a', 'b']);
    expect(fuseCandidates(sources, (id) => (id === 'a' ? 0 : 1)).map((candidate) => candidate.id)).toEqual(['b', 'a']);
  });

  it("lays out the features as [bias, exploit score, each source's score] in the shopper's segment block", () => {
    const fused = [{ id: 'p', score: 0.6, sources: { trending: 0.5, interest: 0.9, transitions: 0.7, sequence: 0.8 }, primary: 'interest' }];
    expect(FEATURE_SOURCES).toEqual(['interest', 'co-occurrence', 'transitions', 'sequence', 'trending', 'fresh']);
    const base = [1, 0.6, 0.9, 0, 0.7, 0.8, 0.5, 0];
    const [shared] = policyCandidates(fused, () => null, null);
    expect(shared).toEqual({ id: 'p', score: 0.6, features: [...base, ...Array.from({ length: MAX_CONTEXT_SEGMENTS * base.length }, () => 0)] });
    const [segmented] = policyCandidates(fused, () => new Float32Array([1, 0]), 1);
    expect(segmented?.features.slice(2 * base.length, 3 * base.length)).toEqual(base);
    expect(segmented?.vector).toEqual(new Float32Array([1, 0]));
    // The prior has the same layout and puts all its weight on the shared exploit score.
    expect(LINUCB_PRIOR).toHaveLength(shared!.features.length);
    expect(LINUCB_PRIOR.indexOf(1)).toBe(1);
  });
});
