import { labelTopics, topicCoherence, TextError, tokenize } from '../src';

type Counts = Record<string, number>;

const counted = (text: string, language: string): Record<string, number> => {
  const terms: Record<string, number> = {};
  for (const token of tokenize(text, language)) terms[token] = (terms[token] ?? 0) + 1;
  return terms;
};

describe('labelTopics', () => {
  it('leads each planted topic with its own words; a word both topics use stays out of one', () => {
    const battery = ['电池续航太差，半天就没电', '电池不耐用，手机发烫', '续航短，电池掉电快', '手机一天要充三次电，电池太差', '续航不行，电池鼓包了'].map(
      (text) => counted(text, 'zh'),
    );
    const screen = [
      '手机屏幕清晰，颜色鲜艳',
      '屏幕很大，看视频舒服',
      '屏幕显示很清晰，手机很流畅',
      '屏幕清晰，不伤眼',
      'Screen is bright and sharp, great phone',
    ].map((text, i) => counted(text, i === 4 ? 'en' : 'zh'));
    // Keys out of order: topics come back by index.
    const labels = labelTopics(
      new Map([
        [7, screen],
        [2, battery],
      ]),
    );
    expect(labels.map((label) => label.topic)).toEqual([2, 7]);
    const [first, second] = labels;
    expect(first!.label.split(' / ').slice(0, 2)).toEqual(['电池', '续航']);
    expect(second!.label.split(' / ').slice(0, 2).sort()).toEqual(['屏幕', '清晰']);
    // 手机, used twice in each topic, is over-represented only in the one with fewer tokens, and
    // barely: it ranks last there.
    const shared = labels.filter(({ keywords }) => keywords.some((keyword) => keyword.term === '手机'));
    expect(shared.map((label) => label.topic)).toEqual([2]);
    expect(first!.keywords.at(-1)!.term).toBe('手机');
    for (const { keywords } of labels) expect(keywords.every((keyword) => keyword.reviews >= 2)).toBe(true);
  });

  it('tells apart a sentiment split by its distinctive words, not the words both halves share', () => {
    // 书 and 本书 dominate both halves; the praising half uses 书 a little more, which must not
    // let it lead over 不错 and 推荐.
    const praise: Counts[] = [
      { 书: 3, 本书: 1, 不错: 1, 推荐: 1 },
      { 书: 2, 本书: 2, 不错: 1 },
      { 书: 3, 本书: 1, 推荐: 1, 不错: 1 },
      { 书: 2, 本书: 1, 不错: 1, 推荐: 1 },
      { 书: 3, 本书: 1, 推荐: 1 },
    ];
    const complaints: Counts[] = [
      { 书: 2, 本书: 1, 失望: 1, 差: 1 },
      { 书: 2, 本书: 2, 失望: 1 },
      { 书: 2, 本书: 1, 差: 1, 失望: 1 },
      { 书: 2, 本书: 1, 失望: 1, 差: 1 },
      { 书: 2, 本书: 1, 差: 1 },
    ];
    const [good, bad] = labelTopics(
      new Map([
        [0, praise],
        [1, complaints],
      ]),
    );
    expect(good!.label).not.toBe(bad!.label);
    expect(good!.label.split(' / ').slice(0, 2).sort()).toEqual(['推荐', '不错'].sort());
    expect(bad!.label.split(' / ').slice(0, 2).sort()).toEqual(['失望', '差'].sort());
    expect(bad!.keywords.map((keyword) => keyword.term)).not.toContain('书');
    expect(good!.keywords.map((keyword) => keyword.term).indexOf('书')).toBeGreaterThan(1);
    // Deterministic: same input, same output, whatever the map's order.
    expect(
      labelTopics(
        new Map([
          [1, complaints],
          [0, praise],
        ]),
      ),
    ).toEqual([good, bad]);
  });

  it('weighs a term by p(t|c) × ln(p(t|c) / p(t)) and keeps only over-represented terms', () => {
    const [a, b] = labelTopics(
      new Map<number, Counts[]>([
        [0, [{ x: 2, y: 1 }]],
        [1, [{ y: 1, z: 3 }]],
      ]),
    );
    // 7 tokens: p(x) = 2/7, p(y) = 2/7, p(z) = 3/7; y is 1/3 of topic 0 but only 1/4 of topic 1.
    expect(a!.label).toBe('x / y');
    expect(a!.keywords.map(({ term, reviews }) => [term, reviews])).toEqual([
      ['x', 1],
      ['y', 1],
    ]);
    expect(a!.keywords[0]!.weight).toBeCloseTo((2 / 3) * Math.log(2 / 3 / (2 / 7)), 12);
    expect(a!.keywords[1]!.weight).toBeCloseTo((1 / 3) * Math.log(1 / 3 / (2 / 7)), 12);
    expect(b!.keywords.map((keyword) => keyword.term)).toEqual(['z']);
    expect(b!.keywords[0]!.weight).toBeCloseTo((3 / 4) * Math.log(3 / 4 / (3 / 7)), 12);
  });

  it('gives topics distinct labels: a smaller topic whose label is taken swaps in its next term', () => {
    const bigger: Counts[] = Array.from({ length: 7 }, (_, i): Counts => (i < 2 ? { 电池: 3, 续航: 2, 发烫: 1 } : { 电池: 3, 续航: 2 }));
    const smaller: Counts[] = Array.from({ length: 6 }, (_, i): Counts => (i < 2 ? { 电池: 3, 续航: 2, 充电: 1 } : { 电池: 3, 续航: 2 }));
    const screen: Counts[] = Array.from({ length: 3 }, () => ({ 屏幕: 3, 清晰: 2 }));
    const groups = new Map([
      [0, smaller],
      [1, bigger],
      [2, screen],
    ]);
    const labels = labelTopics(groups, { labelTerms: 2 });
    // Both battery topics rank 电池 and 续航 first; the larger keeps that label.
    expect(labels.map((label) => label.keywords.slice(0, 2).map((keyword) => keyword.term))).toEqual([
      ['电池', '续航'],
      ['电池', '续航'],
      ['屏幕', '清晰'],
    ]);
    expect(labels.map((label) => label.label)).toEqual(['电池 / 充电', '电池 / 续航', '屏幕 / 清晰']);
    // No term left to tell two topics apart: the topic number does.
    const same = labelTopics(
      new Map<number, Counts[]>([
        [0, [{ a: 2 }]],
        [4, [{ a: 1 }]],
        [5, [{ b: 5 }]],
      ]),
    );
    expect(same.map((label) => label.label)).toEqual(['a', 'a (topic 4)', 'b']);
  });

  it('ignores a word only one review of five or more uses, however often', () => {
    const four: Counts[] = [{ 慢: 1 }, { 慢: 1 }, { 物流: 1 }, { 离谱: 5 }];
    expect(labelTopics(new Map([[0, four]]))[0]!.keywords[0]!.term).toBe('离谱');
    const five = [...four, { 慢: 1 }];
    const [topic] = labelTopics(new Map([[0, five]]));
    expect(topic!.keywords.map((keyword) => keyword.term)).toEqual(['慢']);
    expect(topic!.label).toBe('慢');
  });

  it('honours keywords and labelTerms, breaks ties by term, and falls back to `topic N`', () => {
    const groups = new Map<number, Counts[]>([
      [0, [{ d: 1, c: 1, b: 1, a: 1 }]],
      [3, []],
    ]);
    const [tied, empty] = labelTopics(groups, { keywords: 2, labelTerms: 3 });
    expect(tied!.keywords.map((keyword) => keyword.term)).toEqual(['a', 'b']);
    expect(tied!.label).toBe('a / b / c');
    expect(labelTopics(groups, { labelTerms: 1 })[0]!.label).toBe('a');
    expect(empty).toEqual({ topic: 3, label: 'topic 3', keywords: [] });
    expect(labelTopics(new Map())).toEqual([]);
  });

  it.each([
    ['a negative topic index', new Map([[-1, [{ a: 1 }]]]), {}],
    ['a fractional topic index', new Map([[1.5, [{ a: 1 }]]]), {}],
    ['a zero count', new Map([[0, [{ a: 0 }]]]), {}],
    ['a fractional count', new Map([[0, [{ a: 1.5 }]]]), {}],
    ['negative keywords', new Map([[0, [{ a: 1 }]]]), { keywords: -1 }],
    ['zero labelTerms', new Map([[0, [{ a: 1 }]]]), { labelTerms: 0 }],
  ])('rejects %s', (_, groups, options) => {
    expect(() => labelTopics(groups, options)).toThrow(TextError);
  });
});

describe('topicCoherence', () => {
  const docs = (...lists: string[][]) => lists.map((list) => new Set(list));

  it('is 1 for words always together, −1 for words never together, about 0 for independent ones', () => {
    const documents = docs(['a', 'b'], ['a', 'b'], ['c'], ['d'], ['c', 'x'], ['d', 'x'], ['c', 'y'], ['d', 'y']);
    const [together, apart, independent] = topicCoherence(
      [
        ['a', 'b'],
        ['c', 'd'],
        ['c', 'x'],
      ],
      documents,
    );
    expect(together).toBeCloseTo(1, 12);
    expect(apart).toBe(-1);
    // p(c) = 3/8, p(x) = 2/8, p(c, x) = 1/8: a little above chance.
    expect(independent).toBeCloseTo(Math.log(1 / 8 / ((3 / 8) * (2 / 8))) / -Math.log(1 / 8), 12);
  });

  it('averages over pairs of the first `top` terms, and is null for fewer than two', () => {
    const documents = docs(['a', 'b'], ['a', 'b', 'c'], ['c']);
    const [three, one] = topicCoherence([['a', 'b', 'c'], ['a']], documents);
    const pair = (joint: number, pa: number, pb: number) => Math.log(joint / (pa * pb)) / -Math.log(joint);
    expect(three).toBeCloseTo((pair(2 / 3, 2 / 3, 2 / 3) + 2 * pair(1 / 3, 2 / 3, 2 / 3)) / 3, 12);
    expect(one).toBeNull();
    expect(topicCoherence([['a', 'b', 'c']], documents, 2)[0]).toBeCloseTo(pair(2 / 3, 2 / 3, 2 / 3), 12);
    expect(() => topicCoherence([['a', 'b']], [])).toThrow(TextError);
  });
});
