import { catalogueCoverage, exposure, gini, hitRate, intraListDiversity, meanInterval, ndcg, novelty, rankAmong, rankOf, topK } from './topn-metrics';

describe('rankOf and topK', () => {
  // item:            0    1    2    3    4    5
  const scores = [0.9, 0.5, 0.7, 0.5, 0.1, 0.8];
  const none = new Uint8Array(6);
  const identity = [0, 1, 2, 3, 4, 5];

  it('counts the items ranked ahead of the target, skipping excluded ones', () => {
    expect(rankOf(scores, 2, none, identity)).toBe(2); // behind 0 (0.9) and 5 (0.8)
    const excluded = Uint8Array.from([1, 0, 0, 0, 0, 0]);
    expect(rankOf(scores, 2, excluded, identity)).toBe(1);
    expect(rankOf(scores, 0, excluded, identity)).toBeNull();
  });

  it('breaks equal scores by the tiebreak order, the same way in both', () => {
    expect(rankOf(scores, 3, none, identity)).toBe(4); // 1 wins the tie with 3
    const reversed = [5, 4, 3, 2, 1, 0];
    expect(rankOf(scores, 3, none, reversed)).toBe(3);
    expect(topK(scores, 5, none, identity)).toEqual([0, 5, 2, 1, 3]);
    expect(topK(scores, 5, none, reversed)).toEqual([0, 5, 2, 3, 1]);
  });

  it('returns the best k, skipping excluded items and items before `first`', () => {
    const excluded = Uint8Array.from([0, 0, 0, 0, 0, 1]);
    expect(topK(scores, 2, excluded, identity)).toEqual([0, 2]);
    expect(topK(scores, 2, none, identity, 1)).toEqual([5, 2]);
    expect(topK(scores, 10, none, identity)).toEqual([0, 5, 2, 1, 3, 4]);
  });
});

describe('HR and NDCG', () => {
  it('score a hit inside the cut-off only', () => {
    expect(hitRate(0, 5)).toBe(1);
    expect(hitRate(4, 5)).toBe(1);
    expect(hitRate(5, 5)).toBe(0);
    expect(hitRate(null, 10)).toBe(0);
  });

  it('discount by log2(position + 1), position counted from 1', () => {
    expect(ndcg(0, 10)).toBe(1);
    expect(ndcg(1, 10)).toBeCloseTo(1 / Math.log2(3), 12); // 0.6309
    expect(ndcg(2, 10)).toBeCloseTo(0.5, 12); // third place: 1 / log2(4)
    expect(ndcg(3, 10)).toBeCloseTo(0.4307, 4); // fourth place: 1 / log2(5)
    expect(ndcg(9, 10)).toBeCloseTo(1 / Math.log2(11), 12);
    expect(ndcg(10, 10)).toBe(0);
    expect(ndcg(null, 10)).toBe(0);
  });
});

describe('beyond-accuracy', () => {
  const lists = [
    [1, 2],
    [1, 3],
  ];

  it('coverage is the share of the catalogue in any list', () => {
    expect(catalogueCoverage(lists, 6)).toBeCloseTo(3 / 6, 12);
    expect(catalogueCoverage([], 6)).toBe(0);
  });

  it('exposure counts appearances per item', () => {
    expect([...exposure(lists, 5)]).toEqual([0, 2, 1, 1, 0]);
  });

  it('gini is 0 for equal exposure and (n-1)/n for one item taking all', () => {
    expect(gini([3, 3, 3, 3])).toBe(0);
    expect(gini([0, 0, 0, 8])).toBeCloseTo(3 / 4, 12);
    // sorted [0, 1, 1, 2], n 4, total 4: (-3·0 - 1·1 + 1·1 + 3·2) / 16 = 6 / 16
    expect(gini([1, 2, 0, 1])).toBeCloseTo(6 / 16, 12);
    expect(gini([0, 0])).toBe(0);
  });

  it('novelty is the mean -log2 share over every recommended item', () => {
    const share = (item: number) => [1, 0.5, 0.25, 0.125][item]!;
    // items 1, 2, 1, 3: (1 + 2 + 1 + 3) / 4
    expect(novelty(lists, share)).toBeCloseTo(7 / 4, 12);
    expect(() => novelty([[0]], () => 0)).toThrow(RangeError);
  });

  it('intra-list diversity is the mean pairwise 1 - cosine', () => {
    const vectors = [Float32Array.from([1, 0]), Float32Array.from([0, 2]), Float32Array.from([1, 1]), Float32Array.from([0, 0])];
    const vectorOf = (item: number) => vectors[item]!;
    // pairs: (0,1) 1 - 0 = 1, (0,2) 1 - 1/√2, (1,2) 1 - 1/√2
    expect(intraListDiversity([0, 1, 2], vectorOf)).toBeCloseTo((3 - 2 / Math.SQRT2) / 3, 6);
    expect(intraListDiversity([0, 0], vectorOf)).toBeCloseTo(0, 6);
    expect(intraListDiversity([0, 3], vectorOf)).toBe(1);
    expect(intraListDiversity([2], vectorOf)).toBe(0);
  });
});

describe('rankAmong', () => {
  it('ranks the target among fixed candidates only, ties broken as rankOf breaks them', () => {
    const scores = [0, 5, 3, 3, 9, 1];
    const tiebreak = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
    // Candidates 1 (5) and 3 (3, but a later tiebreak than 2) against target 2 (3): only 1 is ahead; 4 (9) is not a candidate.
    expect(rankAmong(scores, 2, [1, 3, 5], tiebreak)).toBe(1);
    expect(rankAmong(scores, 3, [1, 2, 5], tiebreak)).toBe(2);
    expect(rankAmong(scores, 4, [1, 2, 3, 4], tiebreak)).toBe(0);
  });
});

describe('meanInterval', () => {
  it('gives the mean and 1.96 standard errors from the sum and the sum of squares', () => {
    // 1 hit in 4 users: mean 0.25, variance 0.1875, standard error sqrt(0.1875 / 4).
    const { mean, halfWidth } = meanInterval(1, 1, 4);
    expect(mean).toBe(0.25);
    expect(halfWidth).toBeCloseTo(1.96 * Math.sqrt(0.1875 / 4), 12);
    // Figures 0.5, 0.5, 1: mean 2/3, squares 1.5, variance 1.5/3 − 4/9 = 1/18.
    expect(meanInterval(2, 1.5, 3).halfWidth).toBeCloseTo(1.96 * Math.sqrt(1 / 18 / 3), 12);
  });

  it('is 0 wide, not NaN, when every user scores the same and rounding leaves a negative variance', () => {
    // Three users at 0.2: squares / 3 − mean² is about −7e-18 in floating point.
    let sum = 0;
    let squares = 0;
    for (let user = 0; user < 3; user++) {
      sum += 0.2;
      squares += 0.2 ** 2;
    }
    expect(meanInterval(sum, squares, 3).halfWidth).toBe(0);
  });
});
