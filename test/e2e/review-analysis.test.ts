import { randomBytes } from 'node:crypto';
import { admin as signInAdmin, signUp } from '../support/gateway';
import { waitFor } from '../support/wait';

interface Analysis {
  status: string;
  sentiment: { label: string; score: number } | null;
  model: string | null;
}

const REVIEW =
  'query ($id: ID!) { review(id: $id) { id text language analysis { status sentiment { label score } model keywords aspects { aspect sentiment clause } flags } } }';

interface Summary {
  ratingAverage: number | null;
  ratingCount: number;
  analysedCount: number;
  flaggedCount: number;
  sentiment: { positive: number; neutral: number; negative: number };
  topKeywords: { term: string; reviews: number }[];
  aspects: { name: string; count: number; sentiment: { positive: number; negative: number }; examples: { reviewId: string; text: string }[] }[];
  topics: { label: string }[];
  suggestions: { text: string }[];
}

const SUMMARY = `query ($id: ID!) { product(id: $id) { feedbackSummary {
  ratingAverage ratingCount analysedCount flaggedCount sentiment { positive neutral negative } topKeywords { term reviews }
  aspects { name count sentiment { positive negative } examples { reviewId text } } topics { label } suggestions { text }
} } }`;

describe('review analysis through the gateway', () => {
  it('analyses Chinese and English reviews within seconds of their submission, and the product summary reflects them', async () => {
    const admin = await signInAdmin();
    const run = randomBytes(3).toString('hex');
    const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
      name: `Reviewed ${run}`,
    });
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `E2E-REVIEW-${run}`, title: 'Rain jacket', categoryId: category.data!.createCategory.id, price: 89, currency: 'EUR', tags: [] },
    });
    const productId = product.data!.createProduct.id;
    const reviews = [
      { text: '质量很好，穿着舒服，物流也很快，非常满意！', rating: 5, label: 'positive', language: 'zh' },
      { text: 'Terrible jacket. The seams leaked on the first rainy day and the zip broke.', rating: 1, label: 'negative', language: 'en' },
      // One star for glowing text: kept, and flagged for a second look.
      { text: 'Absolutely love this jacket, beautiful colour and perfect fit, great quality!', rating: 1, label: 'positive', language: 'en' },
    ];
    const ids: string[] = [];
    for (const review of reviews) {
      const shopper = await signUp();
      const submitted = await shopper.call<{ submitReview: { id: string; analysis: Analysis } }>(
        'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id analysis { status sentiment { label } } } }',
        { input: { productId, rating: review.rating, text: review.text } },
      );
      expect(submitted.errors).toBeUndefined();
      // Stored and queued together: pending until the worker answers.
      expect(submitted.data!.submitReview.analysis).toEqual({ status: 'PENDING', sentiment: null });
      ids.push(submitted.data!.submitReview.id);
    }

    for (const [index, id] of ids.entries()) {
      const response = await waitFor(
        `analysis of review ${id}`,
        () =>
          admin.call<{
            review: { language: string; analysis: Analysis & { keywords: string[]; aspects: { aspect: string; clause: string }[]; flags: string[] } };
          }>(REVIEW, { id }),
        (reply) => reply.errors !== undefined || reply.data?.review.analysis.status !== 'PENDING',
      );
      expect(response.errors).toBeUndefined();
      const { analysis, language } = response.data!.review;
      expect(language).toBe(reviews[index]!.language);
      expect(analysis.status).toBe('DONE');
      expect(analysis.sentiment!.label).toBe(reviews[index]!.label);
      expect(analysis.sentiment!.score).toBeGreaterThan(0.5);
      expect(analysis.model).toMatch(/^serendip-sentiment-zh-en@/);
      expect(analysis.keywords.length).toBeGreaterThan(0);
      for (const mention of analysis.aspects) expect(reviews[index]!.text).toContain(mention.clause);
      expect(analysis.flags).toEqual(index === 2 ? ['RATING_TEXT_MISMATCH'] : []);
    }
    const zhAspects = (await admin.call<{ review: { analysis: { aspects: { aspect: string; sentiment: string }[] } } }>(REVIEW, { id: ids[0] })).data!.review
      .analysis.aspects;
    expect(zhAspects).toEqual(
      expect.arrayContaining([expect.objectContaining({ aspect: 'QUALITY', sentiment: 'positive' }), expect.objectContaining({ aspect: 'LOGISTICS' })]),
    );

    // Public: any visitor sees the summary, as soon as the analyses are stored.
    const visitor = await signUp();
    const reply = await waitFor(
      'a summary of all three reviews',
      () => visitor.call<{ product: { feedbackSummary: Summary } }>(SUMMARY, { id: productId }),
      (value) => value.errors !== undefined || value.data?.product.feedbackSummary.analysedCount === reviews.length,
    );
    expect(reply.errors).toBeUndefined();
    const summary = reply.data!.product.feedbackSummary;
    expect(summary.ratingCount).toBe(3);
    expect(summary.ratingAverage).toBeCloseTo(7 / 3);
    expect(summary.flaggedCount).toBe(1);
    expect(summary.sentiment.positive).toBeCloseTo(2 / 3);
    expect(summary.sentiment.negative).toBeCloseTo(1 / 3);
    const aspectNames = summary.aspects.map((aspect) => aspect.name);
    expect(aspectNames).toEqual(expect.arrayContaining(['QUALITY', 'LOGISTICS']));
    const texts = new Map(reviews.map((review, index) => [ids[index]!, review.text]));
    for (const aspect of summary.aspects) for (const example of aspect.examples) expect(texts.get(example.reviewId)).toContain(example.text);
    expect(summary.topKeywords.length).toBeGreaterThan(0);
    // Three reviews are too few evidence for a suggestion, and too few for topics.
    expect(summary.suggestions).toEqual([]);
    expect(summary.topics).toEqual([]);

    const insights = '{ feedbackInsights(categoryId: $id) { categoryId reviewsSummarised summary { analysedCount } } }';
    const forbidden = await visitor.call(`query ($id: ID!) ${insights}`, { id: category.data!.createCategory.id });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const merchant = await admin.call<{ feedbackInsights: { reviewsSummarised: number; summary: { analysedCount: number } } }>(`query ($id: ID!) ${insights}`, {
      id: category.data!.createCategory.id,
    });
    expect(merchant.errors).toBeUndefined();
    expect(merchant.data!.feedbackInsights).toMatchObject({ reviewsSummarised: 3, summary: { analysedCount: 3 } });
  });
});
