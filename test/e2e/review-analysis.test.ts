import { randomBytes } from 'node:crypto';
import { admin as signInAdmin, signUp } from '../support/gateway';

interface Analysis {
  status: string;
  sentiment: { label: string; score: number } | null;
  model: string | null;
}

const REVIEW = 'query ($id: ID!) { review(id: $id) { id text language analysis { status sentiment { label score } model } } }';

describe('review analysis through the gateway', () => {
  it('analyses Chinese and English reviews within seconds of their submission', async () => {
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

    const deadline = Date.now() + 20_000;
    for (const [index, id] of ids.entries()) {
      for (;;) {
        const response = await admin.call<{ review: { language: string; analysis: Analysis } }>(REVIEW, { id });
        expect(response.errors).toBeUndefined();
        const { analysis, language } = response.data!.review;
        if (analysis.status !== 'PENDING') {
          expect(language).toBe(reviews[index]!.language);
          expect(analysis.status).toBe('DONE');
          expect(analysis.sentiment!.label).toBe(reviews[index]!.label);
          expect(analysis.sentiment!.score).toBeGreaterThan(0.5);
          expect(analysis.model).toMatch(/^serendip-sentiment-zh-en@/);
          break;
        }
        if (Date.now() > deadline) throw new Error(`review ${id} still pending after 20 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
});
