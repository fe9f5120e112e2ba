import { admin, gatewayClient } from '../support/gateway';

/**
 * The inference path end to end: createProduct queues an embedding job, the worker process embeds
 * the product with the committed model and stores the vector in the catalogue's database, and a
 * SEMANTIC search embeds the query through the worker pool and ranks by cosine similarity.
 */
describe('semantic search through the gateway and the worker pool', () => {
  it('finds newly created products by meaning, best first', async () => {
    const adminClient = await admin();
    const category = await adminClient.call<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Garden" }) { id } }');
    const categoryId = category.data!.createCategory.id;
    const create = async (sku: string, title: string) => {
      const response = await adminClient.call<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        { input: { sku, title, categoryId, price: 25 } },
      );
      return response.data!.createProduct.id;
    };
    const hose = await create('E2E-HOSE', 'Expandable garden hose with spray nozzle');
    await create('E2E-GLOVES', 'Leather gardening gloves');

    const shopper = gatewayClient();
    const search = () =>
      shopper<{ searchProducts: { score: number; product: { id: string; title: string } }[] }>(
        '{ searchProducts(text: "garden hose spray nozzle", first: 5, mode: SEMANTIC) { score product { id title } } }',
      );
    // Embedding is asynchronous: wait, with a deadline, until the worker has stored the vectors.
    const deadline = Date.now() + 40_000;
    let hits: { score: number; product: { id: string; title: string } }[] = [];
    while (Date.now() < deadline) {
      const response = await search();
      expect(response.errors).toBeUndefined();
      hits = response.data!.searchProducts;
      if (hits[0]?.product.id === hose) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(hits[0]?.product.title).toBe('Expandable garden hose with spray nozzle');
    expect(hits[0]!.score).toBeGreaterThan(0.5);
    const scores = hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // The default mode, HYBRID, finds it by its words and by its meaning, and says so.
    const hybrid = await shopper<{ searchProducts: { product: { id: string }; matchedBy: string[] }[] }>(
      '{ searchProducts(text: "garden hose spray nozzle", first: 5) { product { id } matchedBy } }',
    );
    expect(hybrid.data!.searchProducts[0]).toEqual({ product: { id: hose }, matchedBy: ['LEXICAL', 'SEMANTIC'] });
  });

  it('finds English-titled products from a Chinese query and Chinese-titled ones from an English query (HYBRID)', async () => {
    const adminClient = await admin();
    const category = await adminClient.call<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Home and beauty" }) { id } }');
    const create = async (sku: string, title: string) => {
      const response = await adminClient.call<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: { sku, title, categoryId: category.data!.createCategory.id, price: 20 },
        },
      );
      return response.data!.createProduct.id;
    };
    const lipstick = await create('E2E-LIPSTICK', 'Matte lipstick, long lasting');
    await create('E2E-KETTLE-2', 'Stainless steel electric kettle');
    const fridge = await create('E2E-FRIDGE-ZH', '双门冰箱 节能静音');
    await create('E2E-TEAPOT-ZH', '陶瓷茶壶');
    const top = async (text: string) => {
      const response = await gatewayClient()<{ searchProducts: { product: { id: string } }[] }>(
        'query ($text: String!) { searchProducts(text: $text, first: 3) { product { id } } }',
        { text },
      );
      expect(response.errors).toBeUndefined();
      return response.data!.searchProducts[0]?.product.id;
    };
    expect(await top('口红')).toBe(lipstick);
    expect(await top('refrigerator')).toBe(fridge);
  });

  it('refuses an empty query like lexical search does', async () => {
    const response = await gatewayClient()('{ searchProducts(text: "   ", mode: SEMANTIC) { score } }');
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
