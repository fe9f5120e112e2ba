import { CatalogueClient, type Identity } from '@serendip/federation';
import { seededRng } from '@serendip/recsys';
import { aspectClauses, aspectMentions, detectLanguage, lexiconPolarity, tokenize } from '@serendip/text';
import { withLease } from '@serendip/db';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, TEST_GATEWAY_SECRET, testEnv } from '@serendip/testing';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { ReviewAnalysisStore, type AnalysisResult } from '../src/analysis/review-analysis.store';
import { startFeedbackSubgraph } from '../src/app';
import { loadFeedbackConfig } from '../src/config';
import { CategoryBackfill } from '../src/insights/category-backfill';
import { InsightsStore, NO_TOPIC } from '../src/insights/insights.store';
import { TopicMaintainer } from '../src/insights/topic-maintainer';
import { TopicModel } from '../src/insights/topic-model';
import { ReviewStore } from '../src/review/review.store';

const env = testEnv({ CATALOGUE_PORT: '0', FEEDBACK_PORT: '0' });
const catalogueConfig = loadCatalogueConfig(env);
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startFeedbackSubgraph>>;
let call: ReturnType<typeof subgraphClient>;
let insights: InsightsStore;
let maintainer: TopicMaintainer;

const ADMIN: Identity = { userId: 'admin-1', roles: ['admin'] };
const SHOPPER: Identity = { userId: 'shopper-1', roles: ['shopper'] };
let phones: string;
let fruit: string;
let phoneProducts: string[];
let fruitProduct: string;

/** Reviews of three kinds; their embeddings are planted near one direction per kind, as a text model would put them. */
const DELIVERY = ['物流太慢了，等了一个星期才到', '送货太慢了，等了很久', '快递慢，物流太慢', '快递太慢，一直没到', '物流很慢，客服也不回复'];
/**
 * Complaints about another subject than delivery: topics within the negative reviews must tell the
 * two apart. Both kinds are in one language, as a category's reviews mostly are: topics weigh words
 * too, and reviews in two languages share none.
 */
const BROKEN = ['质量太差，做工粗糙', '质量很差，做工太差', '做工粗糙，质量差', '质量太差了，很失望'];
const QUALITY = ['质量很好，做工精致', 'Great quality, the stitching is solid', '质量不错，做工很好', 'Excellent build quality and materials'];
const GLOWING = 'Absolutely love it, great quality and beautiful design!';

const rng = seededRng(7);
function planted(direction: number): Float32Array {
  const vector = Float32Array.from({ length: 8 }, (_, index) => (index === direction ? 1 : 0) + (rng() - 0.5) * 0.2);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/** What the worker would store, with the lexicon standing in for the sentiment model. */
function analysis(reviewId: string, text: string, direction: number): AnalysisResult {
  const language = detectLanguage(text);
  const clauses = aspectClauses(text, language);
  const whole = lexiconPolarity(text, language);
  const terms: Record<string, number> = {};
  for (const token of tokenize(text, language)) terms[token] = (terms[token] ?? 0) + 1;
  return {
    reviewId,
    language,
    sentiment: {
      label: whole.label,
      score: 0.95,
      scores: {
        negative: whole.label === 'negative' ? 0.95 : 0.025,
        neutral: whole.label === 'neutral' ? 0.95 : 0.025,
        positive: whole.label === 'positive' ? 0.95 : 0.025,
      },
    },
    embedding: planted(direction),
    aspects: aspectMentions(
      clauses,
      clauses.map(({ clause }) => lexiconPolarity(clause, language)),
    ),
    terms,
    keywords: Object.keys(terms).slice(0, 3),
    model: 'lexicon',
    version: '1',
  };
}

let nextUser = 0;
/** Imports reviews (no category, as imports are) and stores their analyses; returns their ids. */
async function importAnalysed(productId: string, reviews: { text: string; rating: number; direction: number }[]): Promise<string[]> {
  const store = new ReviewStore(subgraph.dataSource);
  const tags = reviews.map(() => `insight-${(nextUser += 1)}`);
  await store.insertReviews(
    reviews.map((review, index) => ({
      userId: `00000000-0000-4000-8000-${String(nextUser * 100 + index).padStart(12, '0')}`,
      productId,
      rating: review.rating,
      text: review.text,
      createdAt: new Date(Date.UTC(2025, 0, 1) + nextUser * 60_000 + index),
      clientReviewId: tags[index]!,
    })),
  );
  const rows: { id: string | number; client: string }[] = await subgraph.dataSource.query(
    'SELECT id, client_review_id AS client FROM review WHERE client_review_id IN (?)',
    [tags],
  );
  const idOf = new Map(rows.map((row) => [row.client, String(row.id)]));
  const ids = tags.map((tag) => idOf.get(tag)!);
  await new ReviewAnalysisStore(subgraph.dataSource).saveResults(
    reviews.map((review, index) => analysis(ids[index]!, review.text, review.direction)),
    new Date(),
  );
  return ids;
}

async function topicsOf(ids: readonly string[]): Promise<(number | null)[]> {
  const rows: { id: string | number; topic: number | null }[] = await subgraph.dataSource.query(
    'SELECT review_id AS id, topic FROM review_analysis WHERE review_id IN (?)',
    [ids],
  );
  const byId = new Map(rows.map((row) => [String(row.id), row.topic]));
  return ids.map((id) => byId.get(id) ?? null);
}

async function model(categoryId: string) {
  const [row] = await insights.models([categoryId]);
  const parsed = row ? TopicModel.parse(row.model) : null;
  return row && parsed ? { row, model: parsed } : null;
}

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['feedback', 'catalogue']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  // Upkeep is driven by the test through its own maintainer; the subgraph's runs once at start.
  subgraph = await startFeedbackSubgraph(loadFeedbackConfig({ ...env, CATALOGUE_URL: catalogue.url, TOPIC_REFRESH_MS: '3600000' }));
  call = subgraphClient(subgraph.url);
  insights = new InsightsStore(subgraph.dataSource);
  maintainer = new TopicMaintainer(
    subgraph.dataSource,
    insights,
    new CategoryBackfill(insights, new CatalogueClient('feedback', catalogue.url, TEST_GATEWAY_SECRET)),
    {
      everyMs: 3_600_000,
    },
  );
  const admin = subgraphClient(catalogue.url);
  const category = async (name: string) =>
    (await admin<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', { name }, ADMIN)).data!
      .createCategory.id;
  const product = async (sku: string, categoryId: string) =>
    (
      await admin<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        { input: { sku, title: sku, categoryId, price: 10 } },
        ADMIN,
      )
    ).data!.createProduct.id;
  phones = await category('Phones');
  fruit = await category('Fruit');
  phoneProducts = [await product('PHONE-1', phones), await product('PHONE-2', phones), await product('PHONE-3', phones)];
  fruitProduct = await product('APPLE-1', fruit);
}, 60_000);

afterAll(async () => {
  await subgraph?.stop();
  await catalogue?.stop();
  await dropTestDatabases(catalogueConfig, ['feedback', 'catalogue']);
});

const SUMMARY = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { id feedbackSummary {
  ratingAverage ratingCount analysedCount flaggedCount sentiment { positive neutral negative } topKeywords { term reviews }
  aspects { name count reviews sentiment { positive negative } examples { reviewId text sentiment } }
  topics { topic label polarity size sentiment { negative } } suggestions { text evidenceCount complaints negativeShare baselineShare pValue aspect examples { reviewId text } }
} } } }`;

interface SummaryView {
  ratingAverage: number | null;
  ratingCount: number;
  analysedCount: number;
  flaggedCount: number;
  sentiment: { positive: number; neutral: number; negative: number };
  topKeywords: { term: string; reviews: number }[];
  aspects: {
    name: string;
    count: number;
    reviews: number;
    sentiment: { positive: number; negative: number };
    examples: { reviewId: string; text: string }[];
  }[];
  topics: { topic: number; label: string; polarity: string | null; size: number; sentiment: { negative: number } }[];
  suggestions: {
    text: string;
    evidenceCount: number;
    complaints: number;
    negativeShare: number;
    baselineShare: number;
    pValue: number;
    aspect: string | null;
    examples: { reviewId: string; text: string }[];
  }[];
}

describe('review insights on MariaDB with the real catalogue', () => {
  const texts = new Map<string, string>();
  let delivery: string[] = [];
  let quality: string[] = [];

  let broken: string[] = [];

  it('gives imported reviews their category, fits topics within each polarity and labels them by their words', async () => {
    for (const text of [...DELIVERY, ...BROKEN]) expect(lexiconPolarity(text, detectLanguage(text)).label).toBe('negative');
    for (const text of QUALITY) expect(lexiconPolarity(text, detectLanguage(text)).label).toBe('positive');
    // Phones: 24 complaints (enough for topics: delivery and broken), 10 praises (too few); Fruit: 3 reviews.
    const deliveryReviews = Array.from({ length: 14 }, (_, i) => ({ text: DELIVERY[i % DELIVERY.length]!, rating: 1 + (i % 2), direction: 0 }));
    const brokenReviews = Array.from({ length: 10 }, (_, i) => ({ text: BROKEN[i % BROKEN.length]!, rating: 1, direction: 3 }));
    const qualityReviews = Array.from({ length: 10 }, (_, i) => ({ text: QUALITY[i % QUALITY.length]!, rating: 5, direction: 1 }));
    delivery = await importAnalysed(phoneProducts[0]!, deliveryReviews.slice(0, 10));
    delivery.push(...(await importAnalysed(phoneProducts[1]!, deliveryReviews.slice(10))));
    broken = await importAnalysed(phoneProducts[1]!, brokenReviews);
    quality = await importAnalysed(phoneProducts[2]!, qualityReviews);
    [...deliveryReviews, ...brokenReviews, ...qualityReviews].forEach((review, index) => texts.set([...delivery, ...broken, ...quality][index]!, review.text));
    await importAnalysed(fruitProduct, [
      { text: '苹果很新鲜，很甜', rating: 5, direction: 2 },
      { text: '水果烂了好几个', rating: 1, direction: 3 },
      { text: 'Fresh and sweet apples', rating: 5, direction: 2 },
    ]);

    expect((await maintainer.pass()).sort()).toEqual([phones, fruit].sort());
    const categories: { category: string | number | null }[] = await subgraph.dataSource.query('SELECT DISTINCT category_id AS category FROM review');
    expect(categories.map((row) => String(row.category)).sort()).toEqual([phones, fruit].sort());

    const phoneModel = (await model(phones))!;
    expect(phoneModel.row.fittedReviews).toBe(34);
    expect(phoneModel.model.topics.map((topic) => topic.polarity)).toEqual(['negative', 'negative']);
    expect(phoneModel.model.terms.documents).toBe(34);
    expect(phoneModel.model.aspects.reviews).toBe(34);
    expect(phoneModel.model.aspects.aspects.logistics!.complaints).toBe(14);
    const deliveryTopics = new Set(await topicsOf(delivery));
    const brokenTopics = new Set(await topicsOf(broken));
    expect(deliveryTopics.size).toBe(1);
    expect(brokenTopics.size).toBe(1);
    const [deliveryTopic] = [...deliveryTopics] as [number];
    expect(brokenTopics.has(deliveryTopic)).toBe(false);
    const labelOf = (topic: number) => phoneModel.model.topics[topic]!.label.label;
    expect(labelOf(deliveryTopic)).toMatch(/物流|slow|慢/);
    expect(labelOf([...brokenTopics][0]!)).toMatch(/质量|做工|quality|差/);
    for (const topic of phoneModel.model.topics) expect(topic.coherence).not.toBeNull();
    // Praise has too few reviews for topics of its own: placed, without a topic.
    expect(new Set(await topicsOf(quality))).toEqual(new Set([NO_TOPIC]));

    const fruitModel = (await model(fruit))!;
    expect(fruitModel.model.topics).toEqual([]);
    expect(fruitModel.model.terms.documents).toBe(3);

    // Nothing changed, nothing to do.
    expect(await maintainer.pass()).toEqual([]);
  });

  it('places new reviews in the nearest topic of their polarity without refitting, and refits once the category has doubled', async () => {
    const before = (await model(phones))!;
    const added = await importAnalysed(
      phoneProducts[0]!,
      DELIVERY.slice(0, 4).map((text) => ({ text, rating: 1, direction: 0 })),
    );
    added.forEach((id, index) => texts.set(id, DELIVERY[index]!));
    delivery.push(...added);
    expect(await maintainer.pass()).toEqual([phones]);
    const after = (await model(phones))!;
    expect(after.row.fittedReviews).toBe(34);
    expect(after.row.fittedAt.getTime()).toBe(before.row.fittedAt.getTime());
    expect(after.model.reviews).toBe(38);
    expect(after.model.terms.documents).toBe(38);
    expect(after.model.aspects.aspects.logistics!.complaints).toBe(18);
    const [deliveryTopic] = await topicsOf(delivery.slice(0, 1));
    expect(await topicsOf(added)).toEqual(added.map(() => deliveryTopic));
    expect(after.model.topics.reduce((sum, topic) => sum + topic.size, 0)).toBe(28);
    expect(await maintainer.pass()).toEqual([]);

    const more = await importAnalysed(
      phoneProducts[2]!,
      Array.from({ length: 30 }, (_, i) => ({ text: QUALITY[i % QUALITY.length]!, rating: 4, direction: 1 })),
    );
    more.forEach((id, index) => texts.set(id, QUALITY[index % QUALITY.length]!));
    quality.push(...more);
    expect(await maintainer.pass()).toEqual([phones]);
    const refitted = (await model(phones))!;
    expect(refitted.row.fittedReviews).toBe(68);
    expect(refitted.row.fittedAt.getTime()).toBeGreaterThan(before.row.fittedAt.getTime());
    // Forty praises now have topics of their own, apart from the complaints'.
    const praised = new Set(await topicsOf(quality));
    expect([...praised].every((topic) => topic !== null && refitted.model.topics[topic]?.polarity === 'positive')).toBe(true);
  });

  it('fits large categories on a sample and still places every review', async () => {
    const sampled = new TopicMaintainer(
      subgraph.dataSource,
      insights,
      new CategoryBackfill(insights, new CatalogueClient('feedback', catalogue.url, TEST_GATEWAY_SECRET)),
      {
        everyMs: 3_600_000,
        fitSample: 20,
      },
    );
    await subgraph.dataSource.query('DELETE FROM review_topic_model WHERE category_id = ?', [phones]);
    expect(await sampled.pass()).toEqual([phones]);
    const refitted = (await model(phones))!;
    expect(refitted.model.topics.filter((topic) => topic.polarity === 'negative')).toHaveLength(2);
    expect(refitted.model.topics.reduce((sum, topic) => sum + topic.size, 0)).toBe(68);
    const [deliveryTopics, brokenTopics] = [new Set(await topicsOf(delivery)), new Set(await topicsOf(broken))];
    expect([deliveryTopics.size, brokenTopics.size]).toEqual([1, 1]);
    expect(deliveryTopics).not.toEqual(brokenTopics);
  });

  it('refits a stored model of the earlier version on the next pass', async () => {
    await subgraph.dataSource.query('UPDATE review_topic_model SET model = ? WHERE category_id = ?', [
      JSON.stringify({ version: 1, reviews: 68, centroids: [], sizes: [], labels: [], terms: { documents: 0, frequencies: {} } }),
      phones,
    ]);
    expect(await maintainer.pass()).toEqual([phones]);
    expect((await model(phones))!.model.topics.length).toBeGreaterThan(2);
  });

  it('works in one instance at a time: a pass finds the lease held and does nothing', async () => {
    await importAnalysed(phoneProducts[1]!, [{ text: DELIVERY[0]!, rating: 2, direction: 0 }]);
    const other = await withLease(subgraph.dataSource, 'review-topics', {}, () => maintainer.pass());
    expect(other).toEqual({ held: true, value: [] });
    expect(await maintainer.pass()).toEqual([phones]);
  });

  it("summarises a product's reviews with grounded suggestions quoting them word for word", async () => {
    const response = await call<{ _entities: { id: string; feedbackSummary: SummaryView }[] }>(SUMMARY, {
      reps: [phoneProducts[0], fruitProduct, '999999'].map((id) => ({ __typename: 'Product', id })),
    });
    expect(response.errors).toBeUndefined();
    const [phone, apple, unknown] = response.data!._entities.map((entity) => entity.feedbackSummary) as [SummaryView, SummaryView, SummaryView];
    const reviewed: { rating: number }[] = await subgraph.dataSource.query('SELECT rating FROM review WHERE product_id = ?', [phoneProducts[0]]);
    expect(phone.ratingCount).toBe(reviewed.length);
    expect(phone.ratingAverage).toBeCloseTo(reviewed.reduce((sum, row) => sum + row.rating, 0) / reviewed.length);
    expect(phone.analysedCount).toBe(reviewed.length);
    expect(phone.sentiment.negative).toBeGreaterThan(0.5);
    const logistics = phone.aspects.find((aspect) => aspect.name === 'LOGISTICS')!;
    expect(logistics.sentiment.negative).toBeGreaterThan(0.5);
    const suggestion = phone.suggestions.find((candidate) => candidate.aspect === 'LOGISTICS')!;
    expect(suggestion.text).toContain(`Delivery: ${suggestion.complaints} of ${phone.analysedCount} reviews complain of it`);
    expect(suggestion.text).toContain(`${suggestion.evidenceCount} mention it`);
    expect(suggestion.pValue).toBeLessThan(0.05);
    expect(phone.suggestions.length).toBeLessThanOrEqual(5);
    expect(suggestion.evidenceCount).toBeGreaterThanOrEqual(3);
    expect(suggestion.examples.length).toBeGreaterThan(0);
    for (const example of [...suggestion.examples, ...logistics.examples]) expect(texts.get(example.reviewId)).toContain(example.text);
    expect(phone.topics.length).toBeGreaterThan(0);
    expect(phone.topics[0]!.label).toMatch(/物流|slow|慢/);
    expect(phone.topics[0]!.polarity).toBe('negative');
    expect(phone.topKeywords.map((keyword) => keyword.term)).toEqual(expect.arrayContaining(['慢']));

    expect(apple.ratingCount).toBe(3);
    expect(apple.topics).toEqual([]);
    expect(apple.suggestions).toEqual([]);
    expect(unknown).toMatchObject({ ratingCount: 0, ratingAverage: null, analysedCount: 0, aspects: [], suggestions: [] });
  });

  it('flags a one-star review with glowing text, and counts it in the summary', async () => {
    const [id] = await importAnalysed(fruitProduct, [{ text: GLOWING, rating: 1, direction: 2 }]);
    const response = await call<{ review: { analysis: { flags: string[]; keywords: string[] } } }>(
      'query ($id: ID!) { review(id: $id) { analysis { flags keywords } } }',
      { id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.review.analysis.flags).toEqual(['RATING_TEXT_MISMATCH']);
    const summary = await call<{ _entities: { feedbackSummary: SummaryView }[] }>(SUMMARY, { reps: [{ __typename: 'Product', id: fruitProduct }] });
    expect(summary.data!._entities[0]!.feedbackSummary.flaggedCount).toBe(1);
  });

  it("gives merchants a category's insights, and only merchants", async () => {
    const query = `query ($id: ID!) { feedbackInsights(categoryId: $id) {
      categoryId reviewsSummarised topicsFittedAt summary { analysedCount suggestions { aspect } }
      topics { topic label polarity coherence size keywords { term } } mostCriticised { productId reviews negativeShare }
    } }`;
    const response = await call<{
      feedbackInsights: {
        reviewsSummarised: number;
        topicsFittedAt: string | null;
        summary: { analysedCount: number; suggestions: { aspect: string | null }[] };
        topics: { topic: number; label: string; polarity: string; coherence: number | null; size: number; keywords: { term: string }[] }[];
        mostCriticised: { productId: string; reviews: number; negativeShare: number }[];
      };
    }>(query, { id: phones }, ADMIN);
    expect(response.errors).toBeUndefined();
    const result = response.data!.feedbackInsights;
    expect(result.reviewsSummarised).toBe(69);
    expect(result.summary.analysedCount).toBe(69);
    expect(result.topics.filter((topic) => topic.polarity === 'negative').length).toBeGreaterThanOrEqual(2);
    expect(result.topics.reduce((sum, topic) => sum + topic.size, 0)).toBe(69);
    for (const topic of result.topics) {
      expect(topic.keywords.length).toBeGreaterThan(0);
      expect(topic.coherence).toBeGreaterThanOrEqual(-1);
      expect(topic.coherence).toBeLessThanOrEqual(1);
    }
    expect(result.summary.suggestions.map((suggestion) => suggestion.aspect)).toContain('LOGISTICS');
    // The praised product comes last, behind the two with delivery complaints.
    expect(result.mostCriticised.map((product) => product.productId)).toHaveLength(3);
    expect(result.mostCriticised[2]!).toMatchObject({ productId: phoneProducts[2], reviews: 40 });
    expect(result.mostCriticised[0]!.negativeShare).toBeGreaterThan(result.mostCriticised[2]!.negativeShare);
    expect(Date.parse(result.topicsFittedAt!)).not.toBeNaN();

    expect(errorCodes(await call(query, { id: phones }, SHOPPER))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(query, { id: 'phones' }, ADMIN))).toEqual(['BAD_USER_INPUT']);
    const empty = await call<{ feedbackInsights: { reviewsSummarised: number; topics: unknown[] } }>(query, { id: '987654321' }, ADMIN);
    expect(empty.data!.feedbackInsights).toMatchObject({ reviewsSummarised: 0, topics: [] });
  });
});
