import { reciprocalRankFusion } from './rank-fusion';

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
