import { randomUUID } from 'node:crypto';
import { signAccessToken } from '@serendip/federation';
import { errorCodes, postGraphQL } from '@serendip/testing';
import { admin, signUp } from '../support/gateway';
import { readStack } from '../support/stack-env';

type Shopper = Awaited<ReturnType<typeof signUp>>;
let shopper: Shopper;
let other: Shopper;
let productId: string;

const SUBMIT = 'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';

async function counts(client: Shopper['call']) {
  const response = await client<{ me: { reviews: unknown[]; recentEvents: unknown[] } }>(
    '{ me { reviews(first: 100) { id } recentEvents(first: 100) { id } } }',
  );
  return { reviews: response.data!.me.reviews.length, events: response.data!.me.recentEvents.length };
}

beforeAll(async () => {
  const adminClient = await admin();
  const category = await adminClient.call<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Kitchen" }) { id } }');
  const product = await adminClient.call<{ createProduct: { id: string } }>(
    'mutation ($c: ID!) { createProduct(input: { sku: "E2E-KETTLE", title: "Kettle", categoryId: $c, price: 30 }) { id } }',
    { c: category.data!.createCategory.id },
  );
  productId = product.data!.createProduct.id;
  shopper = await signUp();
  other = await signUp();
});

describe('bad input through the gateway gets a coded error and writes nothing', () => {
  it('wrong types', async () => {
    const before = await counts(shopper.call);
    const rating = await shopper.call(SUBMIT, { input: { productId, rating: 'five', text: 'Fine kettle.' } });
    expect(errorCodes(rating)).toEqual(['BAD_USER_INPUT']);
    const type = await shopper.call(TRACK, { events: [{ type: 'JUMP', productId, sessionId: 's', clientEventId: 'w-1' }] });
    expect(errorCodes(type)).toEqual(['BAD_USER_INPUT']);
    const literal = await shopper.call('mutation { submitReview(input: { productId: 1, rating: "5", text: "x" }) { id } }');
    expect(errorCodes(literal)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await counts(shopper.call)).toEqual(before);
  });

  it('unknown ids', async () => {
    const before = await counts(shopper.call);
    const review = await shopper.call(SUBMIT, { input: { productId: '987654321', rating: 4, text: 'Never existed.' } });
    expect(errorCodes(review)).toEqual(['NOT_FOUND']);
    const events = await shopper.call(TRACK, {
      events: [
        { type: 'VIEW', productId, sessionId: 's', clientEventId: 'u-1' },
        { type: 'VIEW', productId: '987654321', sessionId: 's', clientEventId: 'u-2' },
      ],
    });
    expect(errorCodes(events)).toEqual(['NOT_FOUND']);
    const product = await shopper.call<{ product: unknown }>('{ product(id: "987654321") { id } }');
    expect(product.data?.product).toBeNull();
    // The valid first event of the refused batch was not written either.
    expect(await counts(shopper.call)).toEqual(before);
  });

  it('rating 9, a 100 KB review and a 1 MB one', async () => {
    const before = await counts(shopper.call);
    const nine = await shopper.call(SUBMIT, { input: { productId, rating: 9, text: 'Too good.' } });
    expect(errorCodes(nine)).toEqual(['BAD_USER_INPUT']);
    const long = await shopper.call(SUBMIT, { input: { productId, rating: 4, text: 'a'.repeat(100_000) } });
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(long.errors)).not.toMatch(/at .*\.ts|SELECT|INSERT/);
    // A body over the gateway's MAX_BODY_BYTES is refused by its length before it is read.
    const huge = await shopper.call(SUBMIT, { input: { productId, rating: 4, text: 'a'.repeat(1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(errorCodes(huge)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(await counts(shopper.call)).toEqual(before);
  });

  it('a query 50 levels deep', async () => {
    const deep = `{ me { ${'reviews { author { '.repeat(25)}id${' } }'.repeat(25)} } }`;
    const response = await shopper.call(deep);
    expect(response.data ?? null).toBeNull();
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors![0]!.message).toMatch(/depth limit of 10 exceeded/);
  });

  it('a malformed or expired token', async () => {
    const malformed = await postGraphQL(readStack().gatewayUrl, '{ me { id } }', {}, { authorization: 'Bearer not.a.jwt' });
    expect(malformed.status).toBe(401);
    expect(errorCodes(malformed)).toEqual(['UNAUTHENTICATED']);
    const expired = signAccessToken(
      readStack().env.JWT_SECRET!,
      { userId: shopper.userId, roles: ['shopper'], sessionId: randomUUID(), version: 0 },
      -60,
    ).token;
    const stale = await postGraphQL(readStack().gatewayUrl, '{ me { id } }', {}, { authorization: `Bearer ${expired}` });
    expect(stale.status).toBe(401);
    expect(errorCodes(stale)).toEqual(['UNAUTHENTICATED']);
    expect(stale.errors![0]!.message).toMatch(/expired/);
    const forgedRole = signAccessToken(
      'not-the-real-secret-at-all',
      { userId: shopper.userId, roles: ['admin'], sessionId: randomUUID(), version: 0 },
      600,
    ).token;
    const forged = await postGraphQL(readStack().gatewayUrl, '{ me { id } }', {}, { authorization: `Bearer ${forgedRole}` });
    expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
  });

  it("a shopper reading another shopper's data", async () => {
    await other.call(SUBMIT, { input: { productId, rating: 3, text: 'Boils slowly.' } });
    const viaAdminField = await shopper.call(`{ user(id: "${other.userId}") { recentEvents { id } } }`);
    expect(errorCodes(viaAdminField)).toEqual(['FORBIDDEN']);
    const viaReviewAuthor = await shopper.call<{ product: { reviews: { nodes: { author: unknown }[] } } }>(
      `{ product(id: "${productId}") { reviews(first: 5) { nodes { author { displayName recentEvents { id } recommendations { product { id } } } } } } }`,
    );
    expect(new Set(errorCodes(viaReviewAuthor))).toEqual(new Set(['FORBIDDEN']));
    const email = await shopper.call(`{ product(id: "${productId}") { reviews(first: 5) { nodes { author { email } } } } }`);
    expect(new Set(errorCodes(email))).toEqual(new Set(['FORBIDDEN']));
    const writeAsShopper = await shopper.call('mutation { createCategory(input: { name: "Hacked" }) { id } }');
    expect(errorCodes(writeAsShopper)).toEqual(['FORBIDDEN']);
  });

  it('a request sent straight to a subgraph without the gateway identity', async () => {
    for (const url of Object.values(readStack().subgraphUrls)) {
      const direct = await postGraphQL(url, '{ __typename }', {}, { 'x-serendip-identity': 'made.up.value' });
      expect({ url, status: direct.status, codes: errorCodes(direct) }).toEqual({ url, status: 401, codes: ['UNAUTHENTICATED'] });
    }
  });

  it('a cross-site simple request is refused by CSRF prevention', async () => {
    const response = await fetch(`${readStack().gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(403);
    const allowed = await fetch(`${readStack().gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-serendip-csrf': '1' } });
    expect(allowed.status).toBe(200);
  });
});

describe('search queries nobody should type get a coded error or an empty answer, never a 5xx', () => {
  const SEARCH = 'query ($text: String!, $mode: SearchMode) { searchProducts(text: $text, mode: $mode) { product { id } } }';
  it.each(['HYBRID', 'LEXICAL', 'SEMANTIC'])('%s: empty, blank and 10,000-character queries are BAD_USER_INPUT; emoji alone finds nothing', async (mode) => {
    for (const text of ['', ' \t\n ', 'x'.repeat(10_000)]) expect(errorCodes(await shopper.call(SEARCH, { text, mode }))).toEqual(['BAD_USER_INPUT']);
    const emoji = await shopper.call<{ searchProducts: unknown[] }>(SEARCH, { text: '🎁🎄✨', mode });
    expect(emoji.errors).toBeUndefined();
    expect(emoji.data!.searchProducts).toEqual([]);
  });
});
