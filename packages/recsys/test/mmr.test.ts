import { cosine, intraListSimilarity, MaxSimilarity, mmrRerank, seededRng, totalScore, type Vector } from '../src';
import { around, randomUnit } from './helpers';

interface Item {
  id: string;
  score: number;
  vector?: Vector;
}

/** Five topical clusters of 20 items; the first cluster holds the highest scores. */
function clusteredItems(): Item[] {
  const rng = seededRng(17);
  const centers = Array.from({ length: 5 }, () => randomUnit(rng, 32));
  return centers.flatMap((center, cluster) =>
    Array.from({ length: 20 }, (_, i) => ({
      id: `c${cluster}-${i}`,
      score: 0.9 - 0.05 * cluster - 0.004 * i + 0.002 * rng(),
      vector: around(rng, center, 0.6),
    })),
  );
}

describe('MaxSimilarity', () => {
  it('gives max(0, max cosine to the chosen items) whenever it is asked, and 0 without a vector', () => {
    const items = clusteredItems();
    const vectors = items.map((item, i) => (i % 7 === 3 ? undefined : item.vector));
    const chosen = [0, 21, 45, 46, 80];
    const askedAlong = new MaxSimilarity(vectors);
    const askedAtEnd = new MaxSimilarity(vectors);
    const along: number[] = [];
    chosen.forEach((index, k) => {
      askedAlong.choose(index);
      askedAtEnd.choose(index);
      // Asked after some choices only: the rest are compared with what they missed when next asked.
      if (k % 2 === 0) for (let i = 0; i < items.length; i++) along[i] = askedAlong.of(i);
    });
    for (let i = 0; i < items.length; i++) {
      if (chosen.includes(i)) continue;
      const vector = vectors[i];
      const expected = vector ? Math.max(0, ...chosen.flatMap((index) => (vectors[index] ? [cosine(vector, vectors[index])] : []))) : 0;
      expect(askedAlong.of(i)).toBeCloseTo(expected, 6);
      expect(askedAtEnd.of(i)).toBe(askedAlong.of(i));
      expect(along[i]).toBe(askedAlong.of(i));
    }
    expect(new MaxSimilarity([]).of(3)).toBe(0);
  });
});

describe('mmrRerank', () => {
  const items = clusteredItems();
  const k = 10;
  const byScore = [...items].sort((a, b) => b.score - a.score).slice(0, k);
  const diverse = mmrRerank(items, k, 0.5);
  const similarityBefore = intraListSimilarity(byScore.map((item) => item.vector!));
  const similarityAfter = intraListSimilarity(diverse.map((item) => item.vector!));
  const scoreCost = 1 - totalScore(diverse) / totalScore(byScore);

  it(`lowers intra-list similarity from ${similarityBefore.toFixed(3)} to ${similarityAfter.toFixed(3)} at a ${(100 * scoreCost).toFixed(1)}% score cost (λ = 0.5, top ${k} of 100)`, () => {
    expect(similarityBefore - similarityAfter).toBeGreaterThan(0.4);
    expect(scoreCost).toBeLessThan(0.12);
    expect(new Set(diverse.map((item) => item.id.split('-')[0])).size).toBeGreaterThanOrEqual(4);
  });

  it('is top-k by score at λ = 1 and keeps input order on ties', () => {
    expect(mmrRerank(items, k, 1)).toEqual(byScore);
    const tied = [
      { id: 'b', score: 0.5 },
      { id: 'a', score: 0.5 },
    ];
    expect(mmrRerank(tied, 2, 0.7).map((item) => item.id)).toEqual(['b', 'a']);
  });

  it('starts with the best item and then takes a far item over a near duplicate', () => {
    const picked = mmrRerank(
      [
        { id: 'best', score: 1, vector: [1, 0] },
        { id: 'duplicate', score: 0.95, vector: [1, 0.01] },
        { id: 'other', score: 0.6, vector: [0, 1] },
        { id: 'no-vector', score: 0.3 },
      ],
      3,
      0.5,
    );
    expect(picked.map((item) => item.id)).toEqual(['best', 'other', 'no-vector']);
  });

  it('returns every item when k exceeds the list and refuses a bad λ', () => {
    expect(mmrRerank(items.slice(0, 3), 10, 0.5)).toHaveLength(3);
    expect(() => mmrRerank(items, 3, 1.5)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'lambda' }));
  });
});

describe('intraListSimilarity and totalScore', () => {
  it('averages cosine over pairs and sums scores', () => {
    expect(
      intraListSimilarity([
        [1, 0],
        [1, 0],
        [0, 1],
      ]),
    ).toBeCloseTo(1 / 3, 12);
    expect(intraListSimilarity([[1, 0]])).toBe(0);
    expect(totalScore([{ score: 0.25 }, { score: 0.5 }])).toBe(0.75);
  });
});
