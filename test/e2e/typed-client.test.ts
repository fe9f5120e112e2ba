import {
  ClientError,
  LiveRecommendationsDocument,
  ProductPageDocument,
  ProductsDocument,
  SerendipClient,
  SignUpDocument,
  TrackEventsDocument,
  TypedDocumentString,
  type LiveRecommendationsSubscription,
} from '@serendip/client';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { admin as signInAdmin } from '../support/gateway';
import { readStack } from '../support/stack-env';

const stack = readStack();
const run = randomBytes(3).toString('hex');
let categoryId: string;
const productIds: string[] = [];

/** The first-party client as an app builds it: generated documents only, sent by id. */
function appClient(token: () => string | null = () => null): SerendipClient {
  return new SerendipClient({ url: stack.gatewayUrl, token, webSocketImpl: WebSocket });
}

async function signedUpShopper(): Promise<{ client: SerendipClient; userId: string }> {
  let token: string | null = null;
  const client = appClient(() => token);
  const { signUp } = await client.request(SignUpDocument, {
    input: { email: `typed-${run}-${randomBytes(3).toString('hex')}@e2e.serendip.test`, password: 'e2e-password', displayName: 'Typed client' },
  });
  token = signUp.token;
  return { client, userId: signUp.user.id };
}

/** The next slate the subscription delivers, or an error after `ms`. */
function nextSlate(queue: LiveRecommendationsSubscription[], waiters: ((slate: LiveRecommendationsSubscription) => void)[], ms = 20_000) {
  const queued = queue.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise<LiveRecommendationsSubscription>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no slate within ${ms} ms`)), ms);
    waiters.push((slate) => {
      clearTimeout(timer);
      resolve(slate);
    });
  });
}

beforeAll(async () => {
  const admin = await signInAdmin();
  const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
    name: `Typed ${run}`,
  });
  categoryId = category.data!.createCategory.id;
  for (const [index, title] of ['Typed tent', 'Typed stove', 'Typed lantern'].entries()) {
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `E2E-TYPED-${run}-${index}`, title, categoryId, price: 10 + index, currency: 'EUR', tags: ['e2e'] },
    });
    if (!product.data) throw new Error(JSON.stringify(product.errors));
    productIds.push(product.data.createProduct.id);
  }
});

describe('the typed client against the gateway', () => {
  it('runs generated queries and mutations by their trusted-document ids, with typed results', async () => {
    const { client } = await signedUpShopper();
    const { products } = await client.request(ProductsDocument, { filter: { categoryId }, first: 10 });
    expect(products.totalCount).toBe(3);
    expect(products.nodes.map((product) => product.title).sort()).toEqual(['Typed lantern', 'Typed stove', 'Typed tent']);
    const { product } = await client.request(ProductPageDocument, { id: productIds[0]! });
    expect(product).toMatchObject({ id: productIds[0], title: 'Typed tent', price: 10, category: { id: categoryId } });
    const { trackEvents } = await client.request(TrackEventsDocument, {
      events: [{ type: 'VIEW', productId: productIds[0]!, sessionId: 'typed', clientEventId: `typed-${run}-view` }],
    });
    expect(trackEvents.accepted).toBe(1);
  });

  it('gives coded errors: bad input, and a document the gateway does not hold', async () => {
    const client = appClient();
    const bad = await client.request(ProductsDocument, { first: -5 }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(ClientError);
    expect((bad as ClientError).codes).toEqual(['BAD_USER_INPUT']);
    const unknown = new TypedDocumentString<{ __typename: string }, Record<string, never>>('query Unknown { __typename }', { hash: 'f'.repeat(64) });
    const refused = await client.request(unknown).catch((error: unknown) => error);
    expect((refused as ClientError).codes).toEqual(['TRUSTED_DOCUMENT_NOT_FOUND']);
  });

  it('subscribes by id over graphql-ws and receives a fresh slate when the shopper acts', async () => {
    const { client } = await signedUpShopper();
    const queue: LiveRecommendationsSubscription[] = [];
    const waiters: ((slate: LiveRecommendationsSubscription) => void)[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe(
      LiveRecommendationsDocument,
      { slot: 'HOME' },
      {
        next: (slate) => (waiters.length > 0 ? waiters.shift()!(slate) : queue.push(slate)),
        error: (error) => errors.push(error),
      },
    );
    try {
      const first = await nextSlate(queue, waiters);
      expect(first.recommendationsUpdated.slot).toBe('HOME');
      await client.request(TrackEventsDocument, {
        events: [{ type: 'PURCHASE', productId: productIds[1]!, sessionId: 'typed', clientEventId: `typed-${run}-buy` }],
      });
      const next = await nextSlate(queue, waiters);
      expect(next.recommendationsUpdated.recommendationId).not.toBe(first.recommendationsUpdated.recommendationId);
      expect(errors).toEqual([]);
    } finally {
      stop();
      await client.close();
    }
  });
});
