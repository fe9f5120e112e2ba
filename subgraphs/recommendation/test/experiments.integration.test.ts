import type { Identity } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { openRecommendationDataSource } from '../src';
import { ADAPTIVE_FLOOR } from '../src/experiments/experiment.service';

/**
 * Experiments served by the real slate engine and read back through the subgraph's schema:
 * definitions and their errors, sticky enrolment, segment targeting, consent, and adaptive
 * allocation moving traffic to the arm that earns clicks while logging its propensities.
 */
const env = testEnv({
  CATALOGUE_PORT: '0',
  RECOMMENDATION_PORT: '0',
  PRODUCT_INDEX_REFRESH_MS: '200',
  REVIEW_QUALITY_WEIGHT: '0',
  EXPERIMENT_REFRESH_MS: '50',
});
const catalogueConfig = loadCatalogueConfig(env);
let config: ReturnType<typeof loadRecommendationConfig>;
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let db: Awaited<ReturnType<typeof openRecommendationDataSource>>;
let call: ReturnType<typeof subgraphClient>;
const products: string[] = [];

const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
const shopper = (userId: string): Identity => ({ userId, roles: ['shopper'] });

const CREATE = 'mutation ($input: CreateExperimentInput!) { createExperiment(input: $input) { id status arms { index name share diversity } } }';
const START = 'mutation ($id: ID!) { startExperiment(id: $id) { status startedAt } }';
const STOP = 'mutation ($id: ID!) { stopExperiment(id: $id) { status stoppedAt } }';
const SLATE = `query ($slot: RecommendationSlot) { recommendations(slot: $slot, first: 3) { recommendationId policy experiment { id name arm } items { product { id } } } }`;
const RESULTS = `query ($id: ID!) { experimentResults(id: $id) {
  winner { name } verdict sampleRatio { observed mismatch }
  arms { arm { name } shoppers slates impressions clicks trafficShare ctr { value lower upper } comparisons { metric difference pValue significant } guardrails { guardrail value breached } }
} }`;

interface Slate {
  recommendationId: string;
  policy: string;
  experiment: { id: string; name: string; arm: string } | null;
  items: { product: { id: string } }[];
}
const slate = async (userId: string, slot = 'HOME'): Promise<Slate> => {
  const response = await call<{ recommendations: Slate }>(SLATE, { slot }, shopper(userId));
  expect(response.errors).toBeUndefined();
  return response.data!.recommendations;
};
const arms = (policies: ['THOMPSON' | 'LINUCB' | 'EPSILON_GREEDY', number][]) =>
  policies.map(([policy, exploration], i) => ({ name: `arm-${i}`, policy, exploration }));

async function create(input: Record<string, unknown>): Promise<string> {
  const created = await call<{ createExperiment: { id: string } }>(CREATE, { input }, ADMIN);
  expect(created.errors).toBeUndefined();
  return created.data!.createExperiment.id;
}
async function started(input: Record<string, unknown>): Promise<string> {
  const id = await create(input);
  expect((await call(START, { id }, ADMIN)).errors).toBeUndefined();
  return id;
}

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  const admin = subgraphClient(catalogue.url);
  const category = await admin<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Teas" }) { id } }', {}, ADMIN);
  for (let i = 0; i < 6; i += 1) {
    const product = await admin<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `tea-${i}`, title: `Tea ${i}`, categoryId: category.data!.createCategory.id, price: 4 + i } },
      ADMIN,
    );
    products.push(product.data!.createProduct.id);
  }
  config = loadRecommendationConfig({ ...env, CATALOGUE_URL: catalogue.url });
  subgraph = await startRecommendationSubgraph(config);
  db = await openRecommendationDataSource(config);
  call = subgraphClient(subgraph.url);
  // Trending candidates: every slate below has products to show without any interest profile.
  const seed = randomUUID();
  const seeded = await call(
    'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }',
    { events: products.map((productId, i) => ({ type: 'VIEW', productId, sessionId: 's', clientEventId: `seed-${i}` })) },
    shopper(seed),
  );
  expect(seeded.errors).toBeUndefined();
}, 60_000);

afterAll(async () => {
  await db?.dataSource.destroy();
  await subgraph?.stop();
  await catalogue?.stop();
  await dropTestDatabases({ ...catalogueConfig, REDIS_URL: config.REDIS_URL }, ['catalogue', 'recommendation']);
});

describe('experiments', () => {
  it('refuses bad definitions and non-admins with coded errors and writes nothing', async () => {
    const count = async () => Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM experiment'))[0].n);
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'one arm', slot: 'HOME', arms: arms([['THOMPSON', 0.3]]) }, 'BAD_USER_INPUT'],
      [
        {
          name: 'too wild',
          slot: 'HOME',
          arms: arms([
            ['THOMPSON', 0.3],
            ['LINUCB', 1.5],
          ]),
        },
        'BAD_USER_INPUT',
      ],
      [
        {
          name: 'twins',
          slot: 'HOME',
          arms: [
            { name: 'a', policy: 'THOMPSON', exploration: 0.1 },
            { name: 'a', policy: 'LINUCB', exploration: 0.1 },
          ],
        },
        'BAD_USER_INPUT',
      ],
      [
        {
          name: 'half shares',
          slot: 'HOME',
          arms: [
            { name: 'a', policy: 'THOMPSON', exploration: 0.1, share: 1 },
            { name: 'b', policy: 'LINUCB', exploration: 0.1 },
          ],
        },
        'BAD_USER_INPUT',
      ],
      [
        {
          name: '',
          slot: 'HOME',
          arms: arms([
            ['THOMPSON', 0.3],
            ['LINUCB', 0.3],
          ]),
        },
        'BAD_USER_INPUT',
      ],
    ];
    for (const [input, code] of cases) expect(errorCodes(await call(CREATE, { input }, ADMIN))).toEqual([code]);
    const valid = {
      name: `valid ${randomUUID()}`,
      slot: 'HOME',
      arms: [
        { name: 'a', policy: 'THOMPSON', exploration: 0.1 },
        { name: 'b', policy: 'LINUCB', exploration: 0.2 },
      ],
    };
    expect(errorCodes(await call(CREATE, { input: valid }, shopper(randomUUID())))).toEqual(['FORBIDDEN']);
    expect(await count()).toBe(before);

    const id = await create(valid);
    expect(errorCodes(await call(CREATE, { input: valid }, ADMIN))).toEqual(['CONFLICT']);
    expect(errorCodes(await call(START, { id: randomUUID() }, ADMIN))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(START, { id: 'not-an-id' }, ADMIN))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await call(RESULTS, { id }, shopper(randomUUID())))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(STOP, { id }, ADMIN))).toEqual([]);
    expect(errorCodes(await call(STOP, { id }, ADMIN))).toEqual(['CONFLICT']);
    expect(errorCodes(await call(START, { id }, ADMIN))).toEqual(['CONFLICT']);
  });

  it('enrols a consenting shopper for good at their first slate, logs the arm on every slate, and lets go when stopped', async () => {
    const id = await started({
      name: `sticky ${randomUUID()}`,
      slot: 'PRODUCT',
      arms: [
        { name: 'ts', policy: 'THOMPSON', exploration: 0.3 },
        { name: 'greedy', policy: 'EPSILON_GREEDY', exploration: 0.1 },
      ],
    });
    const other = await create({
      name: `rival ${randomUUID()}`,
      slot: 'PRODUCT',
      arms: arms([
        ['THOMPSON', 0],
        ['LINUCB', 0],
      ]),
    });
    expect(errorCodes(await call(START, { id: other }, ADMIN))).toEqual(['CONFLICT']);

    const userId = randomUUID();
    const first = await slate(userId, 'PRODUCT');
    expect(first.experiment).toMatchObject({ id, arm: expect.stringMatching(/^(ts|greedy)$/) });
    expect(first.policy).toMatch(first.experiment!.arm === 'ts' ? /^thompson/ : /^epsilon-greedy/);
    for (let i = 0; i < 3; i += 1) expect((await slate(userId, 'PRODUCT')).experiment?.arm).toBe(first.experiment!.arm);
    // Other slots are not in the experiment.
    expect((await slate(userId, 'HOME')).experiment).toBeNull();
    const logged: { arm: number; propensity: number }[] = await db.dataSource.query(
      'SELECT experiment_arm AS arm, arm_propensity AS propensity FROM recommendation_slate WHERE user_id = ? AND experiment_id = ?',
      [userId, id],
    );
    expect(logged).toHaveLength(4);
    expect(new Set(logged.map((row) => row.arm)).size).toBe(1);
    expect(logged.every((row) => row.propensity === 0.5)).toBe(true);

    // Without consent a shopper is neither kept nor enrolled.
    const consent = 'mutation ($userId: ID!, $on: Boolean!) { recordConsent(userId: $userId, personalisation: $on) }';
    const declined = await call(consent, { userId, on: false }, { userId: null, roles: ['service'], service: 'user' });
    expect(declined.errors).toBeUndefined();
    expect((await slate(userId, 'PRODUCT')).experiment).toBeNull();
    expect(await db.dataSource.query('SELECT * FROM experiment_assignment WHERE user_id = ?', [userId])).toEqual([]);

    // Over many shoppers the split follows the shares: a chi-square on the assignments does not flag it.
    for (let i = 0; i < 40; i += 1) await slate(randomUUID(), 'PRODUCT');
    const results = await call<{ experimentResults: { sampleRatio: { observed: number[]; mismatch: boolean }; arms: { shoppers: number }[] } }>(
      RESULTS,
      { id },
      ADMIN,
    );
    expect(results.errors).toBeUndefined();
    const { sampleRatio } = results.data!.experimentResults;
    expect(sampleRatio.observed.reduce((a, b) => a + b, 0)).toBe(41);
    expect(sampleRatio.observed.every((count) => count > 5)).toBe(true);

    expect((await call(STOP, { id }, ADMIN)).errors).toBeUndefined();
    // Another instance would notice within EXPERIMENT_REFRESH_MS; this one at once.
    expect((await slate(randomUUID(), 'PRODUCT')).experiment).toBeNull();
  });

  it('enrols only shoppers of its target segment', async () => {
    const inSegment = randomUUID();
    const outside = randomUUID();
    await db.dataSource.query('INSERT INTO shopper_segment (user_id, segment, assigned_at) VALUES (?, 2, NOW(3)), (?, 1, NOW(3))', [inSegment, outside]);
    const id = await started({
      name: `segment ${randomUUID()}`,
      slot: 'CART',
      targetSegment: 2,
      arms: [
        { name: 'a', policy: 'THOMPSON', exploration: 0.2 },
        { name: 'b', policy: 'LINUCB', exploration: 0.2 },
      ],
    });
    expect((await slate(inSegment, 'CART')).experiment?.id).toBe(id);
    expect((await slate(outside, 'CART')).experiment).toBeNull();
    expect((await slate(randomUUID(), 'CART')).experiment).toBeNull();
    expect((await call(STOP, { id }, ADMIN)).errors).toBeUndefined();
  });

  it('adaptive allocation moves new shoppers to the arm that earns clicks, logging each probability', async () => {
    const id = await started({
      name: `adaptive ${randomUUID()}`,
      slot: 'HOME',
      allocation: 'ADAPTIVE',
      arms: [
        { name: 'dull', policy: 'THOMPSON', exploration: 0.3 },
        { name: 'loved', policy: 'THOMPSON', exploration: 0.3 },
      ],
    });
    // Simulated shoppers click on the "loved" arm's slates and never on the "dull" arm's.
    for (let i = 0; i < 60; i += 1) {
      const userId = randomUUID();
      const served = await slate(userId);
      expect(served.experiment?.id).toBe(id);
      if (served.experiment!.arm === 'loved') {
        const clicked = await call(
          'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }',
          {
            events: [
              { type: 'CLICK', productId: served.items[0]!.product.id, recommendationId: served.recommendationId, sessionId: 's', clientEventId: randomUUID() },
            ],
          },
          shopper(userId),
        );
        expect(clicked.errors).toBeUndefined();
      }
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    const propensities: { arm: number; propensity: number }[] = await db.dataSource.query(
      'SELECT arm, propensity FROM experiment_assignment WHERE experiment_id = ? ORDER BY assigned_at',
      [id],
    );
    expect(propensities).toHaveLength(60);
    // The floor mix can land a rounding step outside [floor, 1 − floor].
    expect(propensities.every((row) => row.propensity >= ADAPTIVE_FLOOR - 1e-9 && row.propensity <= 1 - ADAPTIVE_FLOOR + 1e-9)).toBe(true);
    // Later shoppers mostly go to the loved arm.
    const late = propensities.slice(30);
    expect(late.filter((row) => row.arm === 1).length).toBeGreaterThan(20);

    const results = await call<{
      experimentResults: { sampleRatio: unknown; winner: { name: string } | null; arms: { trafficShare: number; clicks: number; shoppers: number }[] };
    }>(RESULTS, { id }, ADMIN);
    expect(results.errors).toBeUndefined();
    const read = results.data!.experimentResults;
    expect(read.sampleRatio).toBeNull();
    expect(read.arms[1]!.trafficShare).toBeGreaterThan(0.9);
    expect(read.arms[0]!.clicks).toBe(0);
    expect(read.arms[1]!.clicks).toBe(read.arms[1]!.shoppers);
    expect((await call(STOP, { id }, ADMIN)).errors).toBeUndefined();
  }, 60_000);
});
