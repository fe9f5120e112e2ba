import { convexCombination, reciprocalRankFusion, relativeToBest } from './rank-fusion';

const list = (name: string, ids: string[], weight = 1) => ({ name, weight, hits: ids.map((productId, index) => ({ productId, score: 100 - index })) });

describe('reciprocalRankFusion', () => {
  it('lifts what both lists rank above either list alone, and says which lists matched', () => {
    const fused = reciprocalRankFusion([list('LEXICAL', ['a', 'b', 'c']), list('SEMANTIC', ['d', 'b', 'a'])], 60);
    expect(fused.map((hit) => hit.productId)).toEqual(['a', 'b', 'd', 'c']);
    expect(fused[0]).toEqual({ productId: 'a', score: 1 / 61 + 1 / 63, matchedBy: ['LEXICAL', 'SEMANTIC'] });
    expect(fused[2]).toEqual({ productId: 'd', score: 1 / 61, matchedBy: ['SEMANTIC'] });
  });

  it('weights lists, counts a repeated product once per list, and keeps the first list order on ties', () => {
    const fused = reciprocalRankFusion([list('LEXICAL', ['a', 'a', 'b'], 1), list('SEMANTIC', ['c', 'd'], 2)], 10);
    expect(fused.map((hit) => [hit.productId, hit.score])).toEqual([
      ['c', 2 / 11],
      ['d', 2 / 12],
      ['a', 1 / 11],
      ['b', 1 / 13],
    ]);
    expect(reciprocalRankFusion([list('LEXICAL', ['x']), list('SEMANTIC', ['y'])]).map((hit) => hit.productId)).toEqual(['x', 'y']);
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});

describe('convexCombination', () => {
  const scored = (name: string, hits: [string, number][], weight: number) => ({ name, weight, hits: hits.map(([productId, score]) => ({ productId, score })) });

  it('adds weight × score over the lists that hold a product, a missing one giving nothing', () => {
    const fused = convexCombination([
      scored(
        'LEXICAL',
        [
          ['a', 1],
          ['b', 0.95],
          ['c', 0.2],
        ],
        0.8,
      ),
      scored(
        'SEMANTIC',
        [
          ['b', 0.9],
          ['d', 0.85],
          ['a', 0.1],
        ],
        0.2,
      ),
    ]);
    expect(fused.map((hit) => [hit.productId, hit.score, hit.matchedBy])).toEqual([
      ['b', 0.8 * 0.95 + 0.2 * 0.9, ['LEXICAL', 'SEMANTIC']],
      ['a', 0.8 * 1 + 0.2 * 0.1, ['LEXICAL', 'SEMANTIC']],
      ['d', 0.2 * 0.85, ['SEMANTIC']],
      ['c', 0.8 * 0.2, ['LEXICAL']],
    ]);
  });

  it('counts a repeated product once per list and keeps the first list order on ties', () => {
    const fused = convexCombination([
      scored(
        'LEXICAL',
        [
          ['a', 0.5],
          ['a', 0.4],
          ['b', 0.5],
        ],
        1,
      ),
      scored('SEMANTIC', [['c', 1]], 0.5),
    ]);
    expect(fused.map((hit) => [hit.productId, hit.score])).toEqual([
      ['a', 0.5],
      ['b', 0.5],
      ['c', 0.5],
    ]);
    expect(convexCombination([])).toEqual([]);
  });
});

describe('relativeToBest', () => {
  it("scales each score by the list's best, whatever its order, and leaves a list with nothing positive at 0", () => {
    expect(
      relativeToBest([
        { productId: 'a', score: 2 },
        { productId: 'b', score: 8 },
        { productId: 'c', score: 4 },
      ]).map((hit) => hit.score),
    ).toEqual([0.25, 1, 0.5]);
    expect(relativeToBest([{ productId: 'a', score: 0 }])).toEqual([{ productId: 'a', score: 0 }]);
    expect(relativeToBest([])).toEqual([]);
  });
});
