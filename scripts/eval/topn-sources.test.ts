import { itemNeighbours, recentSeeds, scoreServed, scoreTransitions, servedCooccurrence, servedTransitions, type ItemGraph } from './topn-sources';

const partners = (graph: ItemGraph, item: number) => [...graph.ids[item]!].map((id, n) => [id, graph.weights[item]![n]!]);

describe('served co-occurrence, replayed', () => {
  it('pairs each item with the window of items before it, in both directions, as the table counts them', () => {
    const graph = servedCooccurrence([[1, 2, 3]], 4, 1, 10);
    expect(partners(graph, 1)).toEqual([[2, 1]]);
    expect(partners(graph, 2)).toEqual([
      [1, 1],
      [3, 1],
    ]);
    expect(partners(graph, 3)).toEqual([[2, 1]]);
    const wider = servedCooccurrence([[1, 2, 3]], 4, 2, 10);
    expect(partners(wider, 1)).toEqual([
      [2, 1],
      [3, 1],
    ]);
  });

  it('keeps the heaviest partners (ties by id) and totals them all', () => {
    const graph = servedCooccurrence(
      [
        [1, 2],
        [1, 2],
        [1, 3],
        [1, 4],
      ],
      5,
      1,
      2,
    );
    expect(partners(graph, 1)).toEqual([
      [2, 2],
      [3, 1],
    ]);
    expect(graph.totals[1]).toBe(4);
  });

  it('scores an item by its best weight with any seed, as a source listing it twice keeps its best in fusion', () => {
    const graph = servedCooccurrence(
      [
        [1, 3],
        [1, 3],
        [2, 3],
        [2, 4],
      ],
      5,
      1,
      10,
    );
    const scores = new Float32Array(5);
    scoreServed(graph, [1, 2], scores);
    expect([...scores]).toEqual([0, 0, 0, 2, 1]);
  });
});

describe('transitions', () => {
  it('counts only what follows, nearer steps weighing more, an item once at its nearest, and no item following itself', () => {
    // 1 → 2: next (1) in the first sequence, and next (1) in the second, whose earlier 1 is not counted again.
    const graph = servedTransitions(
      [
        [1, 2, 3],
        [1, 1, 2],
      ],
      4,
      2,
      0.5,
      10,
    );
    expect(partners(graph, 1)).toEqual([
      [2, 2],
      [3, 0.5],
    ]);
    expect(partners(graph, 2)).toEqual([[3, 1]]);
    expect(partners(graph, 3)).toEqual([]);
    expect(graph.totals[1]).toBe(2.5);
  });

  it('sums smoothed shares over seeds with recency decay', () => {
    const graph = servedTransitions(
      [
        [1, 3],
        [1, 3],
        [2, 3],
        [2, 4],
      ],
      5,
      1,
      1,
      10,
    );
    const scores = new Float32Array(5);
    scoreTransitions(graph, [1, 2], { recency: 0.5, smoothing: 2 }, scores);
    // Seed 1 (age 0): 3 has 2 of 2 → 2 / (2 + 2); seed 2 (age 1): 3 and 4 have 1 of 2 each → 0.5 · 1 / (2 + 2).
    expect(scores[3]).toBeCloseTo(0.5 + 0.125, 6);
    expect(scores[4]).toBeCloseTo(0.125, 6);
  });

  it('tells what comes after an item from what came before it, which co-occurrence cannot', () => {
    // Shoppers buy 2 after 1, and 3 before 1.
    const sequences = [
      [1, 2],
      [1, 2],
      [3, 1],
      [3, 1],
      [3, 1],
    ];
    const after = new Float32Array(4);
    scoreTransitions(servedTransitions(sequences, 4, 1, 1, 10), [1], { recency: 1, smoothing: 0 }, after);
    expect(after[2]).toBeGreaterThan(0);
    expect(after[3]).toBe(0);
    const together = new Float32Array(4);
    scoreServed(servedCooccurrence(sequences, 4, 1, 10), [1], together);
    expect(together[3]).toBeGreaterThan(together[2]!);
  });
});

describe('recentSeeds', () => {
  it('takes the most recent distinct items, most recent first', () => {
    expect(recentSeeds([5, 1, 2, 1, 3], 3)).toEqual([3, 1, 2]);
    expect(recentSeeds([5, 1], 10)).toEqual([1, 5]);
    expect(recentSeeds([], 3)).toEqual([]);
  });
});

describe('itemNeighbours', () => {
  it('is the cosine of the users two items share, most similar first, cut to `keep`', () => {
    // Item 1: users a, b, c; item 2: a, b; item 3: c. cos(1, 2) = 2 / √(3·2), cos(1, 3) = 1 / √3.
    const neighbours = itemNeighbours(
      [
        [1, 2],
        [2, 1, 1],
        [3, 1],
      ],
      4,
      1,
    );
    expect([...neighbours.ids[1]!]).toEqual([2]);
    expect(neighbours.sims[1]![0]).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect([...neighbours.ids[3]!]).toEqual([1]);
    expect(neighbours.sims[3]![0]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(neighbours.ids[0]).toHaveLength(0);
  });
});
