import { keywords, TermStatistics, TextError, textRank, tokenize } from '../src';
import { loadExamples } from './helpers';

describe('TermStatistics', () => {
  const stats = new TermStatistics();
  stats.add(['尺码', '小', '尺码']);
  stats.add(['物流', '快']);
  stats.add(['尺码', '物流']);

  it('counts each term once per document and smooths the IDF', () => {
    expect(stats.documents).toBe(3);
    expect(stats.terms).toBe(4);
    expect(stats.documentFrequency('尺码')).toBe(2);
    expect(stats.idf('尺码')).toBeCloseTo(Math.log(4 / 3) + 1, 12);
    expect(stats.idf('小')).toBeCloseTo(Math.log(4 / 2) + 1, 12);
    expect(stats.idf('unseen')).toBeCloseTo(Math.log(4) + 1, 12);
    expect(new TermStatistics().idf('x')).toBe(1);
  });

  it('round-trips through JSON text with sorted terms', () => {
    const json = JSON.stringify(stats);
    expect(Object.keys(JSON.parse(json).frequencies)).toEqual(['小', '尺码', '快', '物流'].sort());
    const restored = TermStatistics.fromJSON(json);
    expect(restored.documents).toBe(3);
    expect(restored.idf('尺码')).toBe(stats.idf('尺码'));
    expect(JSON.stringify(restored)).toBe(json);
    expect(TermStatistics.fromJSON(stats.toJSON()).documentFrequency('物流')).toBe(2);
  });

  it.each([
    ['not JSON', '{'],
    ['wrong version', { version: 2, documents: 1, frequencies: {} }],
    ['negative documents', { version: 1, documents: -1, frequencies: {} }],
    ['frequency above documents', { version: 1, documents: 1, frequencies: { a: 2 } }],
    ['fractional frequency', { version: 1, documents: 3, frequencies: { a: 1.5 } }],
    ['array', [1, 2]],
  ])('rejects %s', (_, value) => {
    expect(() => TermStatistics.fromJSON(value)).toThrow(TextError);
  });
});

describe('keywords', () => {
  const stats = new TermStatistics();
  for (const doc of [
    ['dress', 'love'],
    ['dress', 'fabric'],
    ['dress', 'love', 'color'],
    ['dress', 'zipper'],
  ])
    stats.add(doc);

  it('ranks by term frequency times IDF, so corpus-wide words sink', () => {
    const result = keywords(['dress', 'zipper', 'zipper', 'love'], stats, 3);
    expect(result.map((k) => k.term)).toEqual(['zipper', 'love', 'dress']);
    expect(result[0]!.weight).toBeCloseTo((2 / 4) * (Math.log(5 / 2) + 1), 12);
  });

  it('keeps first-appearance order on ties and honours k', () => {
    expect(keywords(['b', 'a', 'c'], stats, 2).map((k) => k.term)).toEqual(['b', 'a']);
    expect(keywords([], stats)).toEqual([]);
    expect(keywords(['a'], stats, 0)).toEqual([]);
    expect(() => keywords(['a'], stats, -1)).toThrow(TextError);
  });
});

describe('textRank', () => {
  it('ranks the best-connected term first and scales the best to 1', () => {
    // 'fit' co-occurs with every other term; the leaves only with it and their neighbours.
    const tokens = ['fit', 'a', 'fit', 'b', 'fit', 'c', 'fit', 'd', 'e', 'f', 'g', 'h'];
    const ranked = textRank(tokens, 3, { window: 2 });
    expect(ranked[0]).toEqual({ term: 'fit', weight: 1 });
    expect(ranked[1]!.weight).toBeLessThan(1);
  });

  it('keeps first-appearance order on ties', () => {
    expect(textRank(['x', 'y'], 2).map((k) => k.term)).toEqual(['x', 'y']);
    expect(textRank(['solo'], 5)).toEqual([{ term: 'solo', weight: 1 }]);
    expect(textRank([], 5)).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => textRank(['a'], 1, { window: 1 })).toThrow(TextError);
    expect(() => textRank(['a'], 1, { damping: 1.5 })).toThrow(TextError);
    expect(() => textRank(['a'], 1.5)).toThrow(TextError);
  });
});

describe('keywords on the labelled fixture', () => {
  const examples = loadExamples();
  const stats = new TermStatistics();
  for (const example of examples) stats.add(tokenize(example.text, example.language));
  const labelled = examples.filter((example) => example.keywords);
  const recallAt5 = (extract: (tokens: string[]) => string[]) => {
    let hits = 0;
    let total = 0;
    for (const example of labelled) {
      const top = extract(tokenize(example.text, example.language));
      total += example.keywords!.length;
      hits += example.keywords!.filter((keyword) => top.includes(keyword)).length;
    }
    return hits / total;
  };

  // Measured: TF-IDF 0.97, TextRank 0.85 (33 expected keywords in 19 reviews).
  it('finds the hand-picked keywords in the top 5', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(15);
    expect(recallAt5((tokens) => keywords(tokens, stats, 5).map((k) => k.term))).toBeGreaterThanOrEqual(0.85);
    expect(recallAt5((tokens) => textRank(tokens, 5).map((k) => k.term))).toBeGreaterThanOrEqual(0.7);
  });
});
