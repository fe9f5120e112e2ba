import { admin as signInAdmin, gatewayClient, signUp } from '../support/gateway';

type Admin = Awaited<ReturnType<typeof signUp>>;
let admin: Admin;
const products: Record<string, string> = {};
let runningCategory: string;

async function createProduct(sku: string, title: string, categoryId: string, price: number): Promise<string> {
  const response = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
    input: { sku, title, categoryId, price, currency: 'EUR', tags: ['e2e'] },
  });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.createProduct.id;
}

beforeAll(async () => {
  admin = await signInAdmin();
  const sport = await admin.call<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Sport" }) { id } }');
  const running = await admin.call<{ createCategory: { id: string } }>(
    'mutation ($p: ID!) { createCategory(input: { name: "Running", parentId: $p }) { id } }',
    { p: sport.data!.createCategory.id },
  );
  runningCategory = running.data!.createCategory.id;
  const baby = await admin.call<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Baby" }) { id } }');
  products.shoe = await createProduct('E2E-SHOE', 'Trail running shoe', runningCategory, 89.5);
  products.sock = await createProduct('E2E-SOCK', 'Merino running socks', runningCategory, 14);
  products.vest = await createProduct('E2E-VEST', 'Hydration running vest', runningCategory, 120);
  products.stroller = await createProduct('E2E-STROLLER', 'Jogging stroller', baby.data!.createCategory.id, 499);
});

describe('a shopper through the gateway', () => {
  it('signs up, browses, searches, tracks events, reviews, and reads it all back in one request', async () => {
    const shopper = await signUp();

    const page = await shopper.call<{ products: { nodes: { id: string; title: string }[]; totalCount: number } }>(
      'query ($c: ID!) { products(filter: { categoryId: $c }, first: 2) { nodes { id title } totalCount pageInfo { hasNextPage endCursor } } }',
      { c: runningCategory },
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.products.totalCount).toBe(3);
    expect(page.data!.products.nodes).toHaveLength(2);

    const search = await shopper.call<{ searchProducts: { product: { id: string; title: string } }[] }>(
      '{ searchProducts(text: "running shoe", first: 5) { product { id title } score } }',
    );
    expect(search.data!.searchProducts[0]?.product.id).toBe(products.shoe);

    const tracked = await shopper.call<{ trackEvents: { accepted: number; duplicates: number } }>(
      'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }',
      {
        events: [
          { type: 'SEARCH', query: 'running shoe', sessionId: 's1', clientEventId: 'j-1' },
          { type: 'VIEW', productId: products.shoe, sessionId: 's1', clientEventId: 'j-2' },
          { type: 'CART', productId: products.shoe, sessionId: 's1', clientEventId: 'j-3' },
          { type: 'PURCHASE', productId: products.shoe, sessionId: 's1', clientEventId: 'j-4' },
          { type: 'VIEW', productId: products.sock, sessionId: 's1', clientEventId: 'j-5' },
        ],
      },
    );
    expect(tracked.data?.trackEvents).toEqual({ accepted: 5, duplicates: 0 });

    const review = await shopper.call<{ submitReview: { id: string; language: string } }>(
      'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id language } }',
      { input: { productId: products.shoe, rating: 5, text: 'Light, grippy and comfortable on muddy trails.' } },
    );
    expect(review.errors).toBeUndefined();
    expect(review.data!.submitReview.language).toBe('en');

    const me = await shopper.call<{
      me: {
        recentEvents: { type: string; product: { title: string } | null }[];
        reviews: { product: { title: string } }[];
        recommendations: { product: { title: string; price: number } }[];
      };
    }>(`{
      me {
        recentEvents { type product { title } }
        reviews { product { title } }
        recommendations { product { title price } }
      }
    }`);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.recentEvents.map((event) => event.product?.title ?? null)).toEqual(
      expect.arrayContaining(['Trail running shoe', 'Merino running socks', null]),
    );
    expect(me.data!.me.reviews).toEqual([{ product: { title: 'Trail running shoe' } }]);
    const recommended = me.data!.me.recommendations.map((item) => item.product.title);
    // The purchased shoe is left out; the popular rest of the Running category comes first.
    expect(recommended).not.toContain('Trail running shoe');
    expect(recommended[0]).toBe('Merino running socks');
    expect(me.data!.me.recommendations.every((item) => typeof item.product.price === 'number')).toBe(true);
  });

  it('reads a page of 50 reviews with product and author in a constant number of SQL queries per subgraph', async () => {
    const reviewers = await Promise.all(Array.from({ length: 50 }, () => signUp()));
    for (const [index, reviewer] of reviewers.entries()) {
      const response = await reviewer.call('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
        input: { productId: products.vest, rating: (index % 5) + 1, text: `Review number ${index} of the vest.` },
      });
      expect(response.errors).toBeUndefined();
    }
    const query = 'query ($id: ID!) { product(id: $id) { title reviews(first: 50) { nodes { rating text author { displayName } product { title price } } } } }';
    const page = await gatewayClient()<{ product: { reviews: { nodes: { author: { displayName: string }; product: { title: string } }[] } } }>(query, {
      id: products.vest,
    });
    expect(page.errors).toBeUndefined();
    const nodes = page.data!.product.reviews.nodes;
    expect(nodes).toHaveLength(50);
    expect(nodes.every((node) => node.product.title === 'Hydration running vest' && node.author.displayName.startsWith('shopper'))).toBe(true);
    // Each subgraph's statements for this request alone (extensions.sqlStatements, outside
    // production), whatever the other e2e files running beside this one cost the same processes.
    const used = page.extensions!.sqlStatements as Record<string, number>;
    // 50 reviews, 50 authors, 1 product: a handful of batched statements, not one per row, and no
    // call to the recommendation subgraph at all.
    expect(Object.keys(used).sort()).toEqual(['catalogue', 'feedback', 'user']);
    expect(used.user).toBeLessThanOrEqual(2);
    expect(used.catalogue).toBeLessThanOrEqual(4);
    expect(used.feedback).toBeLessThanOrEqual(4);
  });
});
