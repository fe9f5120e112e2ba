import { fuseScores, normaliseSource } from '../src';

describe('normaliseSource', () => {
  it('min-max scales each source to [0, 1]', () => {
    const normalised = normaliseSource([
      { id: 'a', score: 10 },
      { id: 'b', score: 30 },
      { id: 'c', score: 20 },
    ]);
    expect(Object.fromEntries(normalised)).toEqual({ a: 0, b: 1, c: 0.5 });
  });

  it('rank-normalises heavy-tailed scores with shared ranks for ties', () => {
    const normalised = normaliseSource(
      [
        { id: 'a', score: 1000 },
        { id: 'b', score: 3 },
        { id: 'c', score: 3 },
        { id: 'd', score: 1 },
      ],
      'rank',
    );
    expect(Object.fromEntries(normalised)).toEqual({ a: 1, b: 0.75, c: 0.75, d: 0.25 });
  });

  it.each(['min-max', 'rank'] as const)('gives 1 to a one-item list and to equal scores (%s)', (method) => {
    expect(Object.fromEntries(normaliseSource([{ id: 'only', score: -3 }], method))).toEqual({ only: 1 });
    expect(
      Object.fromEntries(
        normaliseSource(
          [
            { id: 'a', score: 2 },
            { id: 'b', score: 2 },
          ],
          method,
        ),
      ),
    ).toEqual({ a: 1, b: 1 });
  });

  it('keeps the higher score of an id listed twice', () => {
    const normalised = normaliseSource([
      { id: 'a', score: 0 },
      { id: 'b', score: 1 },
      { id: 'a', score: 2 },
    ]);
    expect(normalised.get('a')).toBe(1);
  });
});

describe('fuseScores', () => {
  const sources = {
    interest: [
      { id: 'p1', score: 4 },
      { id: 'p2', score: 3 },
      { id: 'p3', score: 2 },
    ],
    cooccurrence: [
      { id: 'p3', score: 40 },
      { id: 'p4', score: 10 },
    ],
    trending: [{ id: 'p5', score: 7 }],
  };

  it('normalises per source, weights, divides by the total weight and names the primary source', () => {
    const fused = fuseScores(sources, { interest: 2, cooccurrence: 1, trending: 1 });
    const byId = Object.fromEntries(fused.map((candidate) => [candidate.id, candidate]));
    expect(byId.p1).toEqual({ id: 'p1', score: 2 / 4, sources: { interest: 1 }, primary: 'interest' });
    expect(byId.p2!.score).toBe((2 * 0.5) / 4);
    // p3 is the worst of interest (0) and the best of co-occurrence (1).
    expect(byId.p3).toEqual({ id: 'p3', score: 1 / 4, sources: { interest: 0, cooccurrence: 1 }, primary: 'cooccurrence' });
    expect(byId.p4).toMatchObject({ score: 0, primary: 'cooccurrence' });
    // A one-item source gives its item the full normalised score.
    expect(byId.p5).toMatchObject({ score: 1 / 4, sources: { trending: 1 }, primary: 'trending' });
    expect(fused.every((candidate) => candidate.score >= 0 && candidate.score <= 1)).toBe(true);
  });

  it('sorts by score, ties (p2, p3, p5 at 0.25) by id', () => {
    const fused = fuseScores(sources, { interest: 2, cooccurrence: 1, trending: 1 });
    expect(fused.map((candidate) => candidate.id)).toEqual(['p1', 'p2', 'p3', 'p5', 'p4']);
  });

  it('follows the weights', () => {
    const trendingHeavy = fuseScores(sources, { interest: 1, cooccurrence: 1, trending: 10 });
    expect(trendingHeavy[0]).toMatchObject({ id: 'p5', score: 10 / 12 });
  });

  it('keeps candidates of an unweighted source with a zero contribution, and ignores empty sources in the total', () => {
    const fused = fuseScores({ ...sources, fresh: [{ id: 'new', score: 1 }], empty: [] }, { interest: 1, empty: 5 });
    expect(fused.find((candidate) => candidate.id === 'new')).toEqual({ id: 'new', score: 0, sources: { fresh: 1 }, primary: 'fresh' });
    expect(fused[0]).toMatchObject({ id: 'p1', score: 1 });
  });

  it('refuses negative weights and non-finite scores', () => {
    expect(() => fuseScores(sources, { interest: -1 })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'weights' }));
    expect(() => fuseScores({ x: [{ id: 'a', score: Number.NaN }] }, { x: 1 })).toThrow(expect.objectContaining({ field: 'score' }));
  });

  it('returns nothing for no sources', () => {
    expect(fuseScores({}, {})).toEqual([]);
  });

  it('multiplies each fused score by the item multiplier before sorting: a poorly reviewed best match drops', () => {
    const weights = { interest: 2, cooccurrence: 1, trending: 1 };
    const plain = fuseScores(sources, weights);
    const multiplier = (id: string) => (id === 'p1' ? 0.4 : id === 'p5' ? 1.3 : 1);
    const adjusted = fuseScores(sources, weights, { multiplier });
    expect(adjusted.map((candidate) => candidate.id)).toEqual(['p5', 'p2', 'p3', 'p1', 'p4']);
    for (const candidate of adjusted) expect(candidate.score).toBeCloseTo(plain.find((other) => other.id === candidate.id)!.score * multiplier(candidate.id));
    expect(() => fuseScores(sources, weights, { multiplier: () => -1 })).toThrow(expect.objectContaining({ field: 'multiplier' }));
  });
});
