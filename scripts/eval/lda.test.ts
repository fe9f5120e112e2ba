import { lda } from './lda';

describe('lda', () => {
  it('recovers two topics whose words never meet, and gives each document its own', () => {
    const fruit = ['apple', 'pear', 'plum', 'fig'];
    const cars = ['engine', 'wheel', 'brake', 'gear'];
    const documents = Array.from({ length: 40 }, (_, i) => {
      const words = i % 2 === 0 ? fruit : cars;
      return Array.from({ length: 6 }, (_, j) => words[(i + j) % words.length]!);
    });
    const { topics, documentTopics } = lda(documents, { k: 2, seed: 5, iterations: 200 });
    const heads = topics.map((topic) => new Set(topic.words.slice(0, 4).map((word) => word.term)));
    expect(heads.map((head) => [...head].sort())).toEqual(expect.arrayContaining([[...fruit].sort(), [...cars].sort()]));
    expect(new Set(documentTopics.filter((_, i) => i % 2 === 0)).size).toBe(1);
    expect(documentTopics[0]).not.toBe(documentTopics[1]);
    expect(topics.reduce((sum, topic) => sum + topic.tokens, 0)).toBe(240);
  });

  it('is deterministic for a seed and leaves an empty document without a topic', () => {
    const documents = [['a', 'b'], [], ['b', 'c']];
    expect(lda(documents, { k: 2, seed: 1, iterations: 20 })).toEqual(lda(documents, { k: 2, seed: 1, iterations: 20 }));
    expect(lda(documents, { k: 2, seed: 1, iterations: 20 }).documentTopics[1]).toBeNull();
    expect(() => lda(documents, { k: 0 })).toThrow(/k must be/);
  });
});
