import { analyseAspects, ASPECT_LEXICON, ASPECT_NAMES, aspectsOf, clauseOpinion, lexiconClassifier, lexiconPolarity, TextError, type Sentiment } from '../src';

const fallback = (text: string, language: string) => analyseAspects(text, language, lexiconClassifier(language));
const pairs = async (text: string, language: string) => (await fallback(text, language)).map((mention) => `${mention.aspect}:${mention.sentiment}`);

describe('ASPECT_LEXICON', () => {
  it('has Chinese and English terms for every aspect, without duplicates', () => {
    for (const name of ASPECT_NAMES) {
      const { zh, en } = ASPECT_LEXICON[name];
      expect(zh.length).toBeGreaterThanOrEqual(24);
      expect(en.length).toBeGreaterThanOrEqual(8);
      expect(new Set(zh).size).toBe(zh.length);
      expect(new Set(en).size).toBe(en.length);
      expect([...zh, ...en].every((term) => term.trim() === term && term !== '')).toBe(true);
    }
  });
});

describe('aspectsOf', () => {
  it.each([
    ['物流很快', 'zh', ['logistics']],
    ['送餐太慢', 'zh', ['logistics']],
    ['尺码偏小', 'zh', ['size_fit']],
    ['卖家服务态度很好', 'zh', ['service']],
    ['穿38码刚好', 'zh', ['size_fit']],
    ['密码忘了', 'zh', []],
    ['收到货的时候不新鲜', 'zh', ['taste']],
    ['电池续航差，屏幕还行', 'zh', ['performance']],
    ['Runs small', 'en', ['size_fit']],
    ['the fabric is lovely', 'en', ['quality']],
    ['true to size and the colors are gorgeous', 'en', ['size_fit', 'appearance']],
    ['the box was crushed in shipping', 'en', ['logistics', 'packaging']],
    ['iPhone电池 battery drains', 'zh', ['performance']],
    ['I love it', 'en', []],
  ])('%s → %j', (clause, language, expected) => {
    expect(aspectsOf(clause, language)).toEqual(expected);
  });

  // Clothing reviews narrate the parcel and use taste/portion in other senses; those must not
  // count, while real delivery and food remarks still do.
  it.each([
    ['when it arrived it was huge', ['size_fit']],
    ['had to ship it back', []],
    ['they were able to order & ship it free', []],
    ['received it in the mail', []],
    ['i put it on 3 times', []],
    ['a bit short for my taste', ['size_fit']],
    ['the upper portion is fitted', ['size_fit']],
    ['fresh take on a classic', []],
    ['shipping took forever', ['logistics']],
    ['it arrived late', ['logistics']],
    ['delivery was slow', ['logistics']],
    ['took two weeks to arrive', ['logistics']],
    ['took 2 weeks to arrive', ['logistics']],
    ['the courier left it outside', ['logistics']],
    ['the shipping cost was high', ['logistics', 'price']],
    ['the taste is bland', ['taste']],
    ['tastes like cardboard', ['taste']],
    ['a generous portion', ['taste']],
  ])('clothing sense vs delivery and food: %s → %j', (clause, expected) => {
    expect(aspectsOf(clause, 'en')).toEqual(expected);
  });

  it('leaves English terms alone for another named language', () => {
    expect(aspectsOf('size', 'de')).toEqual([]);
    expect(aspectsOf('尺码 size', 'de')).toEqual(['size_fit']);
  });
});

describe('lexiconPolarity', () => {
  it.each([
    ['物流很快', 'zh', 'positive'],
    ['尺码偏小', 'zh', 'negative'],
    ['菜太咸了', 'zh', 'negative'],
    ['太好了', 'zh', 'positive'],
    ['不太合适', 'zh', 'negative'],
    ['价格不贵', 'zh', 'positive'],
    ['没有想象中的好', 'zh', 'negative'],
    ['不知道是哪个环节的问题', 'zh', 'negative'],
    ['不过物流速度挺快', 'zh', 'positive'],
    ['包装不怎么样', 'zh', 'negative'],
    ['收到了', 'zh', 'neutral'],
    ['Runs small', 'en', 'negative'],
    ['the fabric is lovely', 'en', 'positive'],
    ['not too small', 'en', 'positive'],
    ["it isn't flattering", 'en', 'negative'],
    ['a bit tight', 'en', 'negative'],
    ['way too cute', 'en', 'positive'],
    ['no complaints', 'en', 'positive'],
    ['fits true to size', 'en', 'positive'],
    ['I ordered a small', 'en', 'neutral'],
  ])('%s → %s', (clause, language, expected) => {
    expect(lexiconPolarity(clause, language).label).toBe(expected);
  });

  it('is more confident with more cues and stays in [0.5, 1)', () => {
    const one = lexiconPolarity('质量好', 'zh');
    const two = lexiconPolarity('质量好，很漂亮', 'zh');
    expect(one.score).toBeGreaterThan(0.5);
    expect(two.score).toBeGreaterThan(one.score);
    expect(two.score).toBeLessThan(1);
    expect(lexiconPolarity('收到了', 'zh').score).toBe(0.5);
  });
});

describe('analyseAspects', () => {
  it('gives each aspect its own clause sentiment with the lexicon fallback', async () => {
    expect(await pairs('物流很快，但是尺码偏小', 'zh')).toEqual(['logistics:positive', 'size_fit:negative']);
    expect(await pairs('Runs small but the fabric is lovely', 'en')).toEqual(['size_fit:negative', 'quality:positive']);
    expect(await pairs('准时送达，味道非常鲜美，就是餐盒漏了', 'zh')).toEqual(['logistics:positive', 'taste:positive', 'packaging:negative']);
  });

  it('returns the clause as evidence and keeps repeated aspects per clause', async () => {
    const mentions = await fallback('物流很快。物流的小哥态度很差', 'zh');
    expect(mentions.map((m) => [m.aspect, m.sentiment, m.clause])).toEqual([
      ['logistics', 'positive', '物流很快'],
      ['logistics', 'negative', '物流的小哥态度很差'],
      ['service', 'negative', '物流的小哥态度很差'],
    ]);
  });

  it('classifies all aspect clauses of a review in one call and skips the call when there are none', async () => {
    const calls: string[][] = [];
    const classify = (clauses: string[]): Promise<Sentiment[]> => {
      calls.push(clauses);
      return Promise.resolve(clauses.map(() => ({ label: 'neutral', score: 0.9 })));
    };
    const mentions = await analyseAspects('Love it! The color is great, shipping was slow, so happy', 'en', classify);
    expect(calls).toEqual([['The color is great', 'shipping was slow']]);
    expect(mentions.map((m) => [m.aspect, m.sentiment, m.score])).toEqual([
      ['appearance', 'neutral', 0.9],
      ['logistics', 'neutral', 0.9],
    ]);
    expect(await analyseAspects('Love it!', 'en', classify)).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('rejects a classifier that returns the wrong number of results', async () => {
    const broken = () => Promise.resolve([] as Sentiment[]);
    await expect(analyseAspects('物流很快', 'zh', broken)).rejects.toMatchObject({
      name: 'TextError',
      code: 'INTERNAL_SERVER_ERROR',
      field: 'classify',
    });
    await expect(analyseAspects(42 as unknown as string, 'zh', broken)).rejects.toThrow(TextError);
  });
});

describe('clauseOpinion', () => {
  it("keeps the model's positive or negative answer, even against the rules", () => {
    expect(clauseOpinion({ label: 'negative', score: 0.7 }, '物流很快', 'zh')).toEqual({ label: 'negative', score: 0.7 });
    expect(clauseOpinion({ label: 'positive', score: 0.9 }, 'runs small', 'en')).toEqual({ label: 'positive', score: 0.9 });
  });

  it('lets the rules decide where the model says neutral, and stays neutral where they see no cue', () => {
    expect(clauseOpinion({ label: 'neutral', score: 0.6 }, '物流太慢', 'zh')).toEqual(lexiconPolarity('物流太慢', 'zh'));
    expect(lexiconPolarity('物流太慢', 'zh').label).toBe('negative');
    expect(clauseOpinion({ label: 'neutral', score: 0.6 }, 'As soon as i opened the package', 'en')).toEqual({ label: 'neutral', score: 0.6 });
  });
});
