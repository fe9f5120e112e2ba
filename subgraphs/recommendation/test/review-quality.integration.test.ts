import type { Identity } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, TEST_GATEWAY_SECRET, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { resolveEmbeddingModel } from '../../../packages/inference/src';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { openCatalogueDataSource } from '../../catalogue/src/data-source';
import { ProductEmbeddingStore } from '../../catalogue/src/embedding/product-embedding.store';
import { ReviewAnalysisStore } from '../../feedback/src/analysis/review-analysis.store';
import { startFeedbackSubgraph } from '../../feedback/src/app';
import { loadFeedbackConfig } from '../../feedback/src/config';
import { ReviewStore } from '../../feedback/src/review/review.store';
import { InterestStore, openRecommendationDataSource } from '../src';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { ReviewQuality, ReviewTallyFeedClient } from '../src/quality/review-quality';

/**
 * Review quality in ranking, with the real catalogue (product vectors), feedback (reviews and
 * their analyses, read through its tally feed) and recommendation subgraphs. No worker runs: the
 * analyses are stored as the worker would store them.
 */
const env = testEnv({ CATALOGUE_PORT: '0', FEEDBACK_PORT: '0', RECOMMENDATION_PORT: '0', PRODUCT_INDEX_REFRESH_MS: '200', REVIEW_QUALITY_REFRESH_MS: '200' });
const catalogueConfig = loadCatalogueConfig(env);
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let feedback: Awaited<ReturnType<typeof startFeedbackSubgraph>>;
let recommendation: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let recommendationDb: Awaited<ReturnType<typeof openRecommendationDataSource>>;
const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
const products: string[] = [];

/** Unit vectors along one axis, tilted a little more for each product, so product 0 fits the interest best. */
const direction = (tilt: number) => {
  const vector = new Float32Array(8);
  vector[0] = 1;
  vector[1] = tilt;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

async function review(productId: string, rating: number, label: 'negative' | 'positive', count: number): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  await new ReviewStore(feedback.dataSource).insertReviews(
    Array.from({ length: count }, (_, index) => ({
      userId: randomUUID(),
      productId,
      rating,
      text: label === 'negative' ? 'Broke after a day, very disappointed' : 'Works perfectly, very happy with it',
      createdAt: new Date(),
      clientReviewId: `${tag}-${index}`,
    })),
  );
  const rows: { id: string | number }[] = await feedback.dataSource.query('SELECT id FROM review WHERE product_id = ?', [productId]);
  await new ReviewAnalysisStore(feedback.dataSource).saveResults(
    rows.map((row) => ({
      reviewId: String(row.id),
      language: 'en',
      sentiment: { label, score: 0.9, scores: { negative: label === 'negative' ? 0.9 : 0.05, neutral: 0.05, positive: label === 'positive' ? 0.9 : 0.05 } },
      embedding: new Float32Array(8).fill(0.25),
      aspects: [],
      terms: {},
      keywords: [],
      model: 'test',
      version: '1',
    })),
    new Date(),
  );
}

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'feedback', 'recommendation']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  const admin = subgraphClient(catalogue.url);
  const category = await admin<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Kettles" }) { id } }', {}, ADMIN);
  for (let index = 0; index < 4; index += 1) {
    const product = await admin<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `KETTLE-${index}`, title: `Kettle ${index}`, categoryId: category.data!.createCategory.id, price: 30 } },
      ADMIN,
    );
    products.push(product.data!.createProduct.id);
  }
  const model = resolveEmbeddingModel(catalogueConfig);
  const catalogueDb = await openCatalogueDataSource(catalogueConfig);
  await new ProductEmbeddingStore(catalogueDb.dataSource).upsert(
    model.name,
    model.version,
    products.map((productId, index) => ({ productId, textHash: 'x'.repeat(64), vector: direction(0.05 * index) })),
  );
  await catalogueDb.dataSource.destroy();
  feedback = await startFeedbackSubgraph(loadFeedbackConfig({ ...env, CATALOGUE_URL: catalogue.url }));
  // The best fit disappoints; the third fit delights.
  await review(products[0]!, 1, 'negative', 8);
  await review(products[2]!, 5, 'positive', 8);
  const config = loadRecommendationConfig({ ...env, CATALOGUE_URL: catalogue.url, FEEDBACK_URL: feedback.url });
  recommendation = await startRecommendationSubgraph(config);
  recommendationDb = await openRecommendationDataSource(config);
}, 60_000);

afterAll(async () => {
  await recommendationDb?.dataSource.destroy();
  await recommendation?.stop();
  await feedback?.stop();
  await catalogue?.stop();
  await dropTestDatabases(catalogueConfig, ['catalogue', 'feedback', 'recommendation']);
});

describe('review quality in ranking', () => {
  it('serves the feedback tallies to services only, in pages', async () => {
    const call = subgraphClient(feedback.url);
    const query =
      'query ($after: ID, $first: Int) { reviewTallyFeed(after: $after, first: $first) { hasNextPage endCursor items { productId ratings ratingSum analysed positive negative } } }';
    const first = await call<{ reviewTallyFeed: { hasNextPage: boolean; endCursor: string; items: unknown[] } }>(
      query,
      { first: 1 },
      { userId: null, roles: ['service'], service: 'recommendation' },
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.reviewTallyFeed).toEqual({
      hasNextPage: true,
      endCursor: products[0],
      items: [{ productId: products[0], ratings: 8, ratingSum: 8, analysed: 8, positive: 0, negative: 8 }],
    });
    const second = await call<{ reviewTallyFeed: { hasNextPage: boolean; items: { productId: string; ratingSum: number }[] } }>(
      query,
      { first: 1, after: first.data!.reviewTallyFeed.endCursor },
      { userId: null, roles: ['service'], service: 'recommendation' },
    );
    expect(second.data!.reviewTallyFeed).toMatchObject({ hasNextPage: false, items: [{ productId: products[2], ratingSum: 40 }] });
    expect(errorCodes(await call(query, {}, { userId: null, roles: [] }))).toEqual(['UNAUTHENTICATED']);
    // An admin is not a service: service-only fields take service identities alone.
    expect(errorCodes(await call(query, {}, { userId: null, roles: ['admin'] }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(query, {}, { userId: randomUUID(), roles: ['shopper'] }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(query, { after: 'x' }, { userId: null, roles: ['service'], service: 'recommendation' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('turns tallies into ranking factors: below 1 for a disappointing product, above for a praised one, 1 for the unreviewed', async () => {
    const quality = new ReviewQuality(new ReviewTallyFeedClient(feedback.url, TEST_GATEWAY_SECRET), { weight: 0.3, refreshMs: 60_000, pageSize: 1 });
    expect(await quality.refresh()).toBe(2);
    expect(quality.multiplier(products[0]!)).toBeLessThan(0.85);
    expect(quality.multiplier(products[2]!)).toBeGreaterThan(1.05);
    expect(quality.multiplier(products[1]!)).toBe(1);
    const off = new ReviewQuality(new ReviewTallyFeedClient(feedback.url, TEST_GATEWAY_SECRET), { weight: 0, refreshMs: 60_000 });
    expect(off.multiplier(products[0]!)).toBe(1);
  });

  it('ranks the closest match below a slightly less close one once shoppers have panned it', async () => {
    const userId = randomUUID();
    await new InterestStore(recommendationDb.dataSource).save({
      userId,
      profile: { interests: [{ centroid: direction(0), weight: 1, strength: 3, categories: [], keywords: [], signals: 3 }], avoid: [] },
      signals: 3,
      model: 'test',
      modelVersion: '1',
      updatedAt: new Date(),
      sequenceQueries: [],
    });
    const call = subgraphClient(recommendation.url);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await call<{ recommendations: { items: { product: { id: string }; score: number; source: string }[] } }>(
        'query { recommendations(slot: CART, first: 10) { items { product { id } score source } } }',
        {},
        { userId, roles: ['shopper'] },
      );
      expect(response.errors).toBeUndefined();
      const score = new Map(response.data!.recommendations.items.map((item) => [item.product.id, item.score]));
      // Index and tallies load in the background; once both are in, the order of scores is settled.
      if (products.every((id) => score.has(id)) && score.get(products[0]!)! < score.get(products[1]!)!) return;
      if (Date.now() > deadline) throw new Error(`review quality never reached the slate: ${JSON.stringify([...score])}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
