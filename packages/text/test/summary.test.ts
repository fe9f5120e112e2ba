import {
  analyseAspects,
  binomialUpperTail,
  labelTopics,
  lexiconClassifier,
  summariseFeedback,
  TermStatistics,
  TextError,
  tokenize,
  type AnalysedReview,
  type AspectBaseline,
  type AspectName,
  type SentimentLabel,
  type SummaryOptions,
} from '../src';

type Spec = [id: string, rating: number, text: string, language: string, sentiment: [SentimentLabel, number] | null, topic: number | null];

/** A review as the platform stores it: lexicon-fallback aspects, counted tokens, a model's whole-review sentiment. */
async function analysed([id, rating, text, language, sentiment, topic]: Spec): Promise<AnalysedReview> {
  const terms: Record<string, number> = {};
  for (const token of tokenize(text, language)) terms[token] = (terms[token] ?? 0) + 1;
  return {
    id,
    rating,
    text,
    language,
    sentiment: sentiment && { label: sentiment[0], score: sentiment[1] },
    aspects: sentiment ? await analyseAspects(text, language, lexiconClassifier(language)) : [],
    terms,
    topic,
  };
}

// Topic 0: eight delivery complaints; topic 1: six reviews praising quality (q6 is praise given one
// star); two size complaints without a topic; one review not analysed yet.
const SPECS: Spec[] = [
  ['d1', 1, '物流太慢了，等了一个星期', 'zh', ['negative', 0.93], 0],
  ['d2', 3, '快递太慢了，衣服质量不错', 'zh', ['neutral', 0.6], 0],
  ['d3', 2, '发货慢，客服也不回复', 'zh', ['negative', 0.88], 0],
  ['d4', 1, '物流慢得离谱', 'zh', ['negative', 0.97], 0],
  ['d5', 2, '送货太慢，包装还破了', 'zh', ['negative', 0.9], 0],
  ['d6', 3, 'Shipping was so slow, but the fabric is lovely', 'en', ['neutral', 0.55], 0],
  ['d7', 2, 'Delivery was slow and the box was crushed', 'en', ['negative', 0.91], 0],
  ['d8', 1, 'Shipping took forever, still waiting for a refund', 'en', ['negative', 0.95], 0],
  ['q1', 5, '质量很好，做工精细', 'zh', ['positive', 0.96], 1],
  ['q2', 5, '面料舒服，质量不错，价格也实惠', 'zh', ['positive', 0.94], 1],
  ['q3', 5, 'Great quality, soft fabric', 'en', ['positive', 0.97], 1],
  ['q4', 4, 'The fabric is lovely and well made, a bit pricey', 'en', ['positive', 0.8], 1],
  ['q5', 5, '质量很好，物流也快', 'zh', ['positive', 0.95], 1],
  ['q6', 1, 'Beautiful dress, great quality, love it', 'en', ['positive', 0.95], 1],
  ['s1', 2, '尺码偏小，建议买大一码', 'zh', ['negative', 0.85], null],
  ['s2', 2, 'Runs small, size up', 'en', ['negative', 0.82], null],
  ['u1', 4, '还没穿，先给好评', 'zh', null, null],
];

describe('summariseFeedback', () => {
  let reviews: AnalysedReview[];
  let byId: Map<string, AnalysedReview>;
  let labels: Map<number, string>;

  beforeAll(async () => {
    reviews = await Promise.all(SPECS.map(analysed));
    byId = new Map(reviews.map((review) => [review.id, review]));
    const groups = new Map<number, Record<string, number>[]>();
    for (const review of reviews) {
      if (review.topic !== null) groups.set(review.topic, [...(groups.get(review.topic) ?? []), review.terms]);
    }
    labels = new Map(labelTopics(groups).map(({ topic, label }) => [topic, label]));
  });

  const expectQuoted = (quotes: readonly { reviewId: string; text: string }[]) => {
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(byId.get(quote.reviewId)!.text).toContain(quote.text);
    expect(new Set(quotes.map((quote) => quote.text)).size).toBe(quotes.length);
  };

  it('averages stars over all reviews and sentiment over the analysed ones', () => {
    const summary = summariseFeedback(reviews);
    expect(summary.ratingCount).toBe(17);
    expect(summary.ratingAverage).toBe(48 / 17);
    expect(summary.analysedCount).toBe(16);
    expect(summary.sentiment).toEqual({ positive: 6 / 16, neutral: 2 / 16, negative: 8 / 16 });
  });

  it('flags the one-star review whose text is confidently positive', () => {
    expect(summariseFeedback(reviews).flaggedCount).toBe(1);
    const corrected = reviews.map((review) => (review.id === 'q6' ? { ...review, rating: 5 } : review));
    expect(summariseFeedback(corrected).flaggedCount).toBe(0);
  });

  it('ranks pooled keywords by TF-IDF and leaves out words of a single review', () => {
    const { topKeywords } = summariseFeedback(reviews, { keywords: 1000 });
    const tokens = reviews.reduce((sum, review) => sum + Object.values(review.terms).reduce((a, b) => a + b, 0), 0);
    expect(topKeywords[0]).toEqual({ term: '慢', weight: (5 / tokens) * (Math.log(18 / 6) + 1), reviews: 5 });
    expect(topKeywords.every((keyword) => keyword.reviews >= 2)).toBe(true);
    expect(topKeywords.map((keyword) => keyword.term)).not.toContain('离谱');
    expect(summariseFeedback(reviews).topKeywords).toHaveLength(10);
    // Fewer than five reviews: every word may rank.
    expect(summariseFeedback(reviews.slice(0, 3)).topKeywords.map((keyword) => keyword.term)).toContain('星期');
  });

  it('weighs keywords against the category when its statistics are given', () => {
    const category = new TermStatistics();
    for (let i = 0; i < 50; i += 1) category.add(['慢', '物流', i % 2 === 0 ? '质量' : 'fabric']);
    category.add(['slow']);
    const terms = summariseFeedback(reviews, { categoryStats: category }).topKeywords.map((keyword) => keyword.term);
    expect(terms.indexOf('slow')).toBeLessThan(terms.indexOf('慢'));
    expect(terms[0]).not.toBe('慢');
  });

  it('summarises aspects by mentions, with review-level shares and verbatim examples', () => {
    const { aspects } = summariseFeedback(reviews);
    expect(aspects.map((aspect) => [aspect.name, aspect.count])).toEqual([
      ['quality', 12],
      ['logistics', 10],
      ['size_fit', 4],
      ['comfort', 2],
      ['packaging', 2],
      ['price', 2],
      ['service', 2],
      ['appearance', 1],
    ]);
    const logistics = aspects.find((aspect) => aspect.name === 'logistics')!;
    expect(logistics.reviews).toBe(9);
    expect(logistics.sentiment).toEqual({ positive: 1 / 9, neutral: 1 / 9, negative: 7 / 9 });
    expect(logistics.score).toBeCloseTo(-6 / 9, 12);
    expect(logistics.examples.map((quote) => quote.sentiment)).toEqual(['negative', 'negative', 'negative']);
    const quality = aspects.find((aspect) => aspect.name === 'quality')!;
    expect(quality.examples[0]!.sentiment).toBe('positive');
    for (const aspect of aspects) expectQuoted(aspect.examples);
    expect(summariseFeedback(reviews, { examples: 1 }).aspects.every((aspect) => aspect.examples.length === 1)).toBe(true);
  });

  /** A category where 5 %, 10 % and 6 % of reviews complain of delivery, quality and size: 7 % for a typical aspect. */
  const calmCategory: AspectBaseline = {
    reviews: 100,
    aspects: { logistics: { reviews: 30, complaints: 5 }, quality: { reviews: 60, complaints: 10 }, size_fit: { reviews: 20, complaints: 6 } },
  };

  it('suggests fixing delivery with its complaints against the category rate and the dominant word, quoting complaints', () => {
    const { suggestions } = summariseFeedback(reviews, { baseline: calmCategory });
    expect(suggestions.map((suggestion) => suggestion.aspect)).toEqual(['logistics']);
    const [delivery] = suggestions;
    expect(delivery!.text).toBe(
      'Delivery: 7 of 16 reviews complain of it (44%, against 7% for a typical aspect in this category and 5% for this one; 9 mention it); 5 of them say "慢"',
    );
    expect(delivery).toMatchObject({ evidenceCount: 9, complaints: 7, negativeShare: 7 / 9 });
    expect(delivery!.baselineShare).toBeCloseTo(0.07, 12);
    expect(delivery!.pValue).toBeCloseTo(binomialUpperTail(7, 16, 0.07), 15);
    expect(delivery!.pValue).toBeLessThan(1e-4);
    expect(delivery!.examples.every((quote) => quote.sentiment === 'negative')).toBe(true);
    expectQuoted(delivery!.examples);
  });

  it('makes no suggestion of a complaint rate the category shares, nor below the evidence floor', () => {
    const grumpy: AspectBaseline = { reviews: 100, aspects: { logistics: { reviews: 100, complaints: 50 } } };
    expect(summariseFeedback(reviews, { baseline: grumpy }).suggestions).toEqual([]);
    expect(summariseFeedback(reviews, { baseline: calmCategory, minEvidence: 8 }).suggestions).toEqual([]);
    // Two size complaints among sixteen reviews are not above a typical aspect's 7 %...
    const suggested = (baseline: AspectBaseline) => summariseFeedback(reviews, { baseline, minEvidence: 2 }).suggestions.map((suggestion) => suggestion.aspect);
    expect(suggested(calmCategory)).toEqual(['logistics']);
    // ...but are above 0.5 %. The two packaging complaints are also delivery complaints (d5, d7):
    // they restate the larger suggestion and are dropped.
    const quiet: AspectBaseline = { reviews: 1000, aspects: { logistics: { reviews: 30, complaints: 5 }, size_fit: { reviews: 20, complaints: 5 } } };
    expect(suggested(quiet)).toEqual(['logistics', 'size_fit']);
  });

  it('tests against the product’s own aspects without a category baseline', () => {
    const [delivery] = summariseFeedback(reviews).suggestions;
    expect(delivery!.aspect).toBe('logistics');
    expect(delivery!.text).toContain('for a typical aspect of this product');
    expect(delivery!.baselineShare).toBeGreaterThan(0.05);
    expect(delivery!.baselineShare).toBeLessThan(7 / 16);
  });

  it('ranks by complaining reviews, so four complaints never outrank eighty, and keeps at most five', () => {
    const many: AnalysedReview[] = [];
    const add = (id: string, aspect: AspectName, sentiment: SentimentLabel, clause: string) =>
      many.push({
        id,
        rating: sentiment === 'negative' ? 2 : 5,
        text: clause,
        language: 'en',
        sentiment: { label: sentiment, score: 0.9 },
        aspects: [{ aspect, sentiment, score: 0.9, clause }],
        terms: {},
        topic: null,
      });
    for (let i = 0; i < 300; i += 1)
      add(`size${i}`, 'size_fit', i < 80 ? 'negative' : 'positive', i < 80 ? `runs small, number ${i}` : `fits well, number ${i}`);
    for (let i = 0; i < 5; i += 1) add(`ship${i}`, 'logistics', i < 4 ? 'negative' : 'positive', `shipping number ${i}`);
    // Complaints are rare in this category (0.02 % of reviews for a typical aspect): every count of three or more is significant.
    const baseline: AspectBaseline = {
      reviews: 500_000,
      aspects: { size_fit: { reviews: 2000, complaints: 200 }, logistics: { reviews: 200, complaints: 20 } },
    };
    const ranked = summariseFeedback(many, { baseline }).suggestions;
    expect(ranked.map((suggestion) => [suggestion.aspect, suggestion.complaints])).toEqual([
      ['size_fit', 80],
      ['logistics', 4],
    ]);
    // Four of five is the larger share and the smaller p-value: neither outranks eighty reviews.
    expect(ranked[1]!.negativeShare).toBeGreaterThan(ranked[0]!.negativeShare);
    const others: AspectName[] = ['quality', 'price', 'service', 'packaging', 'appearance'];
    others.forEach((aspect, a) => {
      for (let i = 0; i < 3 + a; i += 1) add(`${aspect}${i}`, aspect, 'negative', `${aspect} complaint ${i}`);
    });
    const capped = summariseFeedback(many, { baseline }).suggestions;
    expect(capped).toHaveLength(5);
    expect(capped.map((suggestion) => suggestion.complaints)).toEqual([80, 7, 6, 5, 4]);
    expect(summariseFeedback(many, { baseline, maxSuggestions: 2 }).suggestions).toHaveLength(2);
  });

  it('suggests a complaint topic against its category share, and drops it where it restates an aspect', () => {
    const topicBaseline = new Map([
      [0, { polarity: 'negative' as const, share: 0.02 }],
      [1, { polarity: 'positive' as const, share: 0.5 }],
    ]);
    const both = summariseFeedback(reviews, { topicLabels: labels, baseline: calmCategory, topicBaseline }).suggestions;
    expect(both.map((suggestion) => [suggestion.aspect, suggestion.topic])).toEqual([['logistics', null]]);
    const withoutAspects = reviews.map((review) => ({ ...review, aspects: [] }));
    const [topic] = summariseFeedback(withoutAspects, { topicLabels: labels, topicBaseline }).suggestions;
    expect(topic).toMatchObject({ aspect: null, topic: 0, complaints: 6, evidenceCount: 8, negativeShare: 6 / 8, baselineShare: 0.02 });
    expect(topic!.text).toBe(`Complaints about "${labels.get(0)}": 6 reviews, 38% of this product's analysed reviews against 2% in the category`);
    expect(topic!.examples).toHaveLength(3);
    expectQuoted(topic!.examples);
  });

  it('quotes first the clauses that name the suggested aspect alone', async () => {
    const specs: Spec[] = [
      ['x1', 2, 'Sadly I had to exchange it for a smaller size', 'en', ['negative', 0.9], null],
      ['x2', 1, 'Customer service was rude', 'en', ['negative', 0.9], null],
      ['x3', 1, 'The seller was rude', 'en', ['negative', 0.9], null],
      ['x4', 1, 'Service was terrible', 'en', ['negative', 0.9], null],
    ];
    const baseline: AspectBaseline = { reviews: 100, aspects: { service: { reviews: 100, complaints: 5 } } };
    // The sizing clause is the most confident of the four, and still quoted last: it is about size.
    const exchanged = (await Promise.all(specs.map(analysed))).map((review) =>
      review.id === 'x1' ? { ...review, aspects: review.aspects.map((mention) => ({ ...mention, score: 0.99 })) } : review,
    );
    const service = summariseFeedback(exchanged, { baseline, examples: 4 }).suggestions.find((suggestion) => suggestion.aspect === 'service')!;
    expect(service.examples.map((quote) => quote.reviewId)).toHaveLength(4);
    expect(service.examples.map((quote) => quote.reviewId).at(-1)).toBe('x1');
  });

  it('quotes no word that fewer than two complaints share, nor a word that only names the aspect', async () => {
    const quiet: AspectBaseline = { reviews: 1000, aspects: { logistics: { reviews: 30, complaints: 5 }, size_fit: { reviews: 20, complaints: 5 } } };
    const sizes = summariseFeedback(reviews, { baseline: quiet, minEvidence: 2 }).suggestions.find((suggestion) => suggestion.aspect === 'size_fit')!;
    expect(sizes.text).toBe(
      'Size and fit: 2 of 16 reviews complain of it (13%, against 0.5% for a typical aspect in this category and 0.5% for this one; 2 mention it)',
    );
    const named = await Promise.all(
      (
        [
          ['n1', 1, '物流太慢', 'zh', ['negative', 0.9], null],
          ['n2', 1, '物流慢', 'zh', ['negative', 0.9], null],
          ['n3', 2, '物流差劲', 'zh', ['negative', 0.9], null],
        ] satisfies Spec[]
      ).map(analysed),
    );
    expect(summariseFeedback(named, { baseline: calmCategory }).suggestions[0]!.text).toBe(
      'Delivery: 3 of 3 reviews complain of it (100%, against 7% for a typical aspect in this category and 5% for this one; 3 mention it); 2 of them say "慢"',
    );
  });

  it('quotes the word typical of complaints, not one that praise uses as often', async () => {
    const specs: Spec[] = [
      ...['c1', 'c2', 'c3'].map((id): Spec => [id, 1, 'The dress shipping was slow', 'en', ['negative', 0.9], null]),
      ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id): Spec => [id, 5, 'The dress shipping was fast', 'en', ['positive', 0.9], null]),
    ];
    const baseline: AspectBaseline = { reviews: 100, aspects: { logistics: { reviews: 100, complaints: 5 } } };
    const [suggestion] = summariseFeedback(await Promise.all(specs.map(analysed)), { baseline }).suggestions;
    expect(suggestion!.text).toBe(
      'Delivery: 3 of 9 reviews complain of it (33%, against 5% for a typical aspect in this category and 5% for this one; 9 mention it); 3 of them say "slow"',
    );
  });

  it('quotes a phrase where the shared word alone says nothing', async () => {
    const specs: Spec[] = [
      ['r1', 2, 'Sadly it runs small', 'en', ['negative', 0.9], null],
      ['r2', 2, 'Disappointing, runs small in the chest', 'en', ['negative', 0.9], null],
      ['r3', 1, 'Sadly the dress runs small and short', 'en', ['negative', 0.9], null],
      ['r4', 2, 'Sadly it runs large', 'en', ['negative', 0.9], null],
    ];
    const analysedSpecs = await Promise.all(specs.map(analysed));
    for (const review of analysedSpecs) expect(review.aspects.map((mention) => [mention.aspect, mention.sentiment])).toContainEqual(['size_fit', 'negative']);
    const baseline: AspectBaseline = { reviews: 100, aspects: { size_fit: { reviews: 100, complaints: 5 } } };
    const [sizes] = summariseFeedback(analysedSpecs, { baseline }).suggestions;
    expect(sizes!.text).toMatch(/; 3 of them say "run small"$/);
  });

  it('never quotes a clause that is no longer in the review text', () => {
    const edited = reviews.map((review) => (review.id === 'd4' ? { ...review, text: '已经收到了' } : review));
    const { aspects, suggestions } = summariseFeedback(edited, { examples: 10 });
    const quoted = [...aspects, ...suggestions].flatMap((item) => item.examples);
    expect(quoted.some((quote) => quote.reviewId === 'd4' && quote.text !== '已经收到了')).toBe(false);
    expect(aspects.find((aspect) => aspect.name === 'logistics')!.count).toBe(10);
  });

  it('groups analysed reviews by topic, largest first, with labels or a fallback', () => {
    expect(summariseFeedback(reviews, { topicLabels: labels }).topics).toEqual([
      { topic: 0, label: labels.get(0), polarity: null, size: 8, sentiment: { positive: 0, neutral: 2 / 8, negative: 6 / 8 } },
      { topic: 1, label: labels.get(1), polarity: null, size: 6, sentiment: { positive: 1, neutral: 0, negative: 0 } },
    ]);
    expect(summariseFeedback(reviews).topics.map((topic) => topic.label)).toEqual(['topic 0', 'topic 1']);
    const unanalysedTopic = reviews.map((review) => (review.id === 'u1' ? { ...review, topic: 1 } : review));
    expect(summariseFeedback(unanalysedTopic).topics[1]!.size).toBe(6);
  });

  it('gives the same summary whatever the order of the reviews', () => {
    const options = { topicLabels: labels, minEvidence: 2, topicBaseline: new Map([[0, { polarity: 'negative' as const, share: 0.02 }]]) };
    const expected = summariseFeedback(reviews, options);
    const interleaved = [...reviews.filter((_, i) => i % 2 === 1), ...reviews.filter((_, i) => i % 2 === 0)];
    expect(summariseFeedback([...reviews].reverse(), options)).toEqual(expected);
    expect(summariseFeedback(interleaved, options)).toEqual(expected);
  });

  it('summarises no reviews as empty', () => {
    expect(summariseFeedback([])).toEqual({
      ratingAverage: null,
      ratingCount: 0,
      analysedCount: 0,
      flaggedCount: 0,
      sentiment: { positive: 0, neutral: 0, negative: 0 },
      topKeywords: [],
      aspects: [],
      topics: [],
      suggestions: [],
    });
  });

  it.each([
    ['rating 0', { rating: 0 }, 'reviews[0].rating'],
    ['rating 6', { rating: 6 }, 'reviews[0].rating'],
    ['fractional rating', { rating: 4.5 }, 'reviews[0].rating'],
    ['sentiment score above 1', { sentiment: { label: 'positive', score: 1.5 } }, 'reviews[0].sentiment.score'],
    ['unknown aspect', { aspects: [{ aspect: 'colour', sentiment: 'negative', score: 0.9, clause: 'x' }] }, 'reviews[0].aspects[0].aspect'],
    ['negative topic', { topic: -1 }, 'reviews[0].topic'],
    ['zero term count', { terms: { 慢: 0 } }, 'reviews[0].terms.慢'],
  ])('rejects a review with %s', (_, patch, field) => {
    const bad = { ...reviews[0]!, ...patch } as AnalysedReview;
    expect(() => summariseFeedback([bad, ...reviews.slice(1)])).toThrow(expect.objectContaining({ name: 'TextError', field }));
  });

  it('rejects duplicate ids and bad options', () => {
    expect(() => summariseFeedback([reviews[0]!, reviews[0]!])).toThrow(TextError);
    const bad: SummaryOptions[] = [
      { keywords: -1 },
      { examples: 1.5 },
      { minEvidence: 0 },
      { significance: 0 },
      { significance: 1 },
      { maxSuggestions: -1 },
      { categoryStats: { idf: () => 1 } as unknown as TermStatistics },
    ];
    for (const options of bad) expect(() => summariseFeedback(reviews, options)).toThrow(TextError);
  });
});
