import { CatalogueClient } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, sqlStatements, subgraphClient, TEST_GATEWAY_SECRET } from '@serendip/testing';
import { startCatalogueSubgraph } from '../src/app';
import { adminWriter, catalogueTestConfig, type RunningCatalogue } from './support';

const config = catalogueTestConfig();
let subgraph: RunningCatalogue;
let call: ReturnType<typeof subgraphClient>;

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  subgraph = await startCatalogueSubgraph(config);
  call = subgraphClient(subgraph.url);
});

afterAll(async () => {
  await subgraph.stop();
  await dropTestDatabases(config, ['catalogue']);
});

const ENTITIES = `query ($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Product { id title category { id name } } }
}`;

type Entities = { _entities: ({ id: string; title: string; category: { id: string; name: string } } | null)[] };

describe('catalogue entity references', () => {
  it('resolves 50 products with their categories in a constant number of queries, unknown ids as null', async () => {
    const admin = adminWriter(call);
    const shoes = await admin.category('Shoes');
    const hats = await admin.category('Hats');
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const product = await admin.product({ sku: `REF-${i}`, title: `Item ${i}`, categoryId: i % 2 ? shoes.id : hats.id, price: i });
      ids.push(product.id);
    }
    const reps = [...ids, '999999999', 'not-a-number'].map((id) => ({ __typename: 'Product', id }));
    const response = await call<Entities>(ENTITIES, { reps });
    expect(response.errors).toBeUndefined();
    const entities = response.data!._entities;
    expect(entities).toHaveLength(52);
    expect(entities.slice(0, 50).map((entity) => entity?.id)).toEqual(ids);
    expect(entities[1]).toEqual({ id: ids[1], title: 'Item 1', category: { id: shoes.id, name: 'Shoes' } });
    expect(entities.slice(50)).toEqual([null, null]);
    // One query for the products, one for their categories.
    expect(sqlStatements(response)).toBe(2);
  });

  it('answers the CatalogueClient other subgraphs use with facts (category) for known ids only', async () => {
    const admin = adminWriter(call);
    const books = await admin.category('Books');
    const novels = await admin.category('Novels', books.id);
    const a = await admin.product({ sku: 'CLIENT-A', title: 'A novel', categoryId: novels.id, price: 9.5 });
    const b = await admin.product({ sku: 'CLIENT-B', title: 'A guide', categoryId: books.id, price: 12 });
    const client = new CatalogueClient('recommendation', subgraph.url, TEST_GATEWAY_SECRET);
    const facts = await client.lookup([a.id, b.id, '424242', a.id]);
    expect(facts).toEqual(
      new Map([
        [a.id, { id: a.id, categoryId: novels.id }],
        [b.id, { id: b.id, categoryId: books.id }],
      ]),
    );
    const loader = client.loader();
    await expect(Promise.all([loader.load(b.id), loader.load('424242')])).resolves.toEqual([{ id: b.id, categoryId: books.id }, null]);
  });

  it('names categories for the CatalogueClient, leaving unknown ids out', async () => {
    const admin = adminWriter(call);
    const garden = await admin.category('Garden & Patio');
    const client = new CatalogueClient('recommendation', subgraph.url, TEST_GATEWAY_SECRET);
    expect(await client.categoryNames([garden.id, '424242', garden.id])).toEqual(new Map([[garden.id, 'Garden & Patio']]));
    expect(await client.categoryNames([])).toEqual(new Map());
  });

  it('resolves Category references', async () => {
    const admin = adminWriter(call);
    const toys = await admin.category('Toys');
    const response = await call<{ _entities: ({ id: string; slug: string } | null)[] }>(
      'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Category { id slug } } }',
      {
        reps: [
          { __typename: 'Category', id: toys.id },
          { __typename: 'Category', id: '77777' },
        ],
      },
    );
    expect(response.data?._entities).toEqual([{ id: toys.id, slug: 'toys' }, null]);
  });
});
