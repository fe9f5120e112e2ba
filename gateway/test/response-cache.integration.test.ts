import { randomUUID } from 'node:crypto';
import { signAccessToken, type Identity, type Role } from '@serendip/federation';
import { createTestDatabases, dropRedisKeys, dropTestDatabases, postGraphQL, subgraphClient, testEnv } from '@serendip/testing';
import { startCatalogueSubgraph } from '../../subgraphs/catalogue/src/app';
import { loadCatalogueConfig } from '../../subgraphs/catalogue/src/config';
import { startFeedbackSubgraph } from '../../subgraphs/feedback/src/app';
import { loadFeedbackConfig } from '../../subgraphs/feedback/src/config';
import { startUserSubgraph } from '../../subgraphs/user/src/app';
import { loadUserConfig } from '../../subgraphs/user/src/config';
import { startGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';
import { CACHE_HEADER } from '../src/response-cache.plugin';

// A production gateway (the cache is on there by default) over real user, catalogue and feedback
// subgraphs sharing this file's Redis prefix, as one deployment's processes do.
const env = testEnv({ CATALOGUE_PORT: '0', FEEDBACK_PORT: '0', USER_PORT: '0' });
const catalogueConfig = loadCatalogueConfig(env);
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let feedback: Awaited<ReturnType<typeof startFeedbackSubgraph>>;
let user: Awaited<ReturnType<typeof startUserSubgraph>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let products: string[];
let ada: { id: string; headers: Record<string, string> };
let bob: { id: string; headers: Record<string, string> };

/** A session token the gateway accepts, as the user subgraph would sign it (this file's JWT_SECRET). */
const bearer = (userId: string, roles: Role[]) => ({
  authorization: `Bearer ${signAccessToken(env.JWT_SECRET!, { userId, roles, sessionId: randomUUID(), version: 0 }, 600).token}`,
});
const ADMIN: Identity = { userId: randomUUID(), roles: ['shopper', 'admin'] };
const asAdmin = bearer(ADMIN.userId!, ADMIN.roles);

const BROWSE = '{ products(first: 10) { nodes { id title price ratingSummary { count average } } } }';
type Browse = { products: { nodes: { id: string; title: string; price: number; ratingSummary: { count: number; average: number } | null }[] } };

/** A request and what the gateway said of its cache. */
async function browse(query = BROWSE, headers: Record<string, string> = {}) {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Browse & { me?: unknown }; errors?: unknown[] };
  return { cache: response.headers.get(CACHE_HEADER), body };
}

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'feedback', 'user']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  feedback = await startFeedbackSubgraph(loadFeedbackConfig({ ...env, CATALOGUE_URL: catalogue.url }));
  user = await startUserSubgraph(loadUserConfig(env));
  gateway = await startGateway(
    loadGatewayConfig({
      ...env,
      NODE_ENV: 'production',
      ARBITRARY_OPERATIONS: 'allow',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'error',
      CATALOGUE_URL: catalogue.url,
      FEEDBACK_URL: feedback.url,
      USER_URL: user.url,
    }),
  );
  const category = await postGraphQL<{ createCategory: { id: string } }>(
    gateway.url,
    'mutation { createCategory(input: { name: "Kitchen" }) { id } }',
    {},
    asAdmin,
  );
  products = [];
  for (const [index, title] of ['Kettle', 'Teapot', 'Pan'].entries()) {
    const created = await postGraphQL<{ createProduct: { id: string } }>(
      gateway.url,
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `RC-${index}`, title, categoryId: category.data!.createCategory.id, price: 10 + index } },
      asAdmin,
    );
    products.push(created.data!.createProduct.id);
  }
  const signUp = async (email: string) => {
    const response = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
      gateway.url,
      'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
      { input: { email, password: 'response-cache-password', displayName: email.split('@')[0] } },
    );
    return { id: response.data!.signUp.user.id, headers: { authorization: `Bearer ${response.data!.signUp.token}` } };
  };
  ada = await signUp('ada@cache.serendip.test');
  bob = await signUp('bob@cache.serendip.test');
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await user?.stop();
  await feedback?.stop();
  await catalogue?.stop();
  await dropTestDatabases(catalogueConfig, ['catalogue', 'feedback', 'user']);
  // The cached answers and the versions (which never expire).
  await dropRedisKeys(catalogueConfig.REDIS_URL, env.QUEUE_PREFIX!);
});

describe('the response cache', () => {
  it("answers an anonymous visitor's repeated catalogue read from the cache, with the same data", async () => {
    const first = await browse();
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.products.nodes.map((node) => node.title).sort()).toEqual(['Kettle', 'Pan', 'Teapot']);
    const again = await browse();
    expect(again.cache).toBe('hit');
    expect(again.body).toEqual(first.body);
  });

  it('shows a product update through the gateway at once, and caches the new answer', async () => {
    await browse();
    expect((await browse()).cache).toBe('hit');
    const updated = await postGraphQL(
      gateway.url,
      'mutation ($id: ID!) { updateProduct(id: $id, input: { title: "Copper kettle" }) { id } }',
      { id: products[0] },
      asAdmin,
    );
    expect(updated.errors).toBeUndefined();
    const after = await browse();
    expect(after.cache).toBe('miss');
    expect(after.body.data!.products.nodes.find((node) => node.id === products[0])!.title).toBe('Copper kettle');
    expect((await browse()).cache).toBe('hit');
  });

  it("shows a write that never passed through the gateway at once: a review's rating, sent straight to the feedback subgraph", async () => {
    await browse();
    const review = await subgraphClient(feedback.url, env.GATEWAY_SECRET)(
      'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }',
      { input: { productId: products[1], rating: 4, text: 'Pours well and keeps the tea hot.' } },
      { userId: ada.id, roles: ['shopper'] },
    );
    expect(review.errors).toBeUndefined();
    const after = await browse();
    expect(after.cache).toBe('miss');
    expect(after.body.data!.products.nodes.find((node) => node.id === products[1])!.ratingSummary).toEqual({ count: 1, average: 4 });
  });

  it('never serves or keeps a signed-in request, even for the same public query', async () => {
    await browse();
    expect((await browse()).cache).toBe('hit');
    const shopper = bearer(randomUUID(), ['shopper']);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const signedIn = await browse(BROWSE, shopper);
      expect(signedIn.body.errors).toBeUndefined();
      expect(signedIn.cache).toBeNull();
    }
  });

  it("never serves one shopper's personal answer to another: `me` is computed for each", async () => {
    const ME = '{ me { id email } }';
    for (const [shopper, email] of [
      [ada, 'ada@cache.serendip.test'],
      [bob, 'bob@cache.serendip.test'],
      [ada, 'ada@cache.serendip.test'],
    ] as const) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...shopper.headers },
        body: JSON.stringify({ query: ME }),
      });
      expect(response.headers.get(CACHE_HEADER)).toBeNull();
      expect(await response.json()).toEqual({ data: { me: { id: shopper.id, email } } });
    }
    // Anonymous, the same query is refused each time, never answered from a shopper's entry.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const anonymous = await browse(ME);
      expect(anonymous.cache).not.toBe('hit');
      expect(anonymous.body.data?.me ?? null).toBeNull();
    }
  });

  it('never keeps an anonymous answer that needed a subgraph outside the catalogue and feedback', async () => {
    // Review authors come from the user subgraph.
    const query = `{ product(id: "${products[1]}") { reviews { nodes { author { displayName } } } } }`;
    const first = await browse(query);
    expect(first.body).toEqual({ data: { product: { reviews: { nodes: [{ author: { displayName: 'ada' } }] } } } });
    expect(first.cache).toBe('miss');
    // Known uncacheable from then on: not even looked up.
    expect((await browse(query)).cache).toBeNull();
  });
});
