import { encodeCursor } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, type GraphQLResponse, sqlStatements, subgraphClient } from '@serendip/testing';
import { startCatalogueSubgraph } from '../src/app';
import { ProductService } from '../src/product/product.service';
import { adminWriter, catalogueTestConfig, type CreatedCategory, type RunningCatalogue } from './support';

const config = catalogueTestConfig();
let subgraph: RunningCatalogue;
let call: ReturnType<typeof subgraphClient>;

/** Electronics > Phones > Android, Electronics > Laptops, Books. */
const tree: Record<'electronics' | 'phones' | 'android' | 'laptops' | 'books', CreatedCategory> = {} as never;
const productIds: string[] = [];

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  subgraph = await startCatalogueSubgraph(config);
  call = subgraphClient(subgraph.url);
  const admin = adminWriter(call);
  tree.electronics = await admin.category('Electronics');
  tree.phones = await admin.category('Phones', tree.electronics.id);
  tree.android = await admin.category('Android', tree.phones.id);
  tree.laptops = await admin.category('Laptops', tree.electronics.id);
  tree.books = await admin.category('Books');
  const placements = [tree.electronics, tree.phones, tree.android, tree.laptops, tree.books];
  for (let i = 0; i < 25; i += 1) {
    const product = await admin.product({
      sku: `P-${i}`,
      title: `Product ${i}`,
      categoryId: placements[i % placements.length]!.id,
      brand: i % 3 === 0 ? 'Acme' : 'Globex',
      price: i * 10,
      tags: i % 4 === 0 ? ['sale'] : ['new'],
    });
    productIds.push(product.id);
  }
  await admin.product({
    sku: 'EN-1',
    title: 'Wireless Noise Cancelling Headphones',
    description: 'Over-ear headphones with a thirty hour battery.',
    categoryId: tree.electronics.id,
    brand: 'Sonic',
    price: 199,
  });
  await admin.product({ sku: 'EN-2', title: 'Leather Hiking Boots', description: 'Waterproof boots.', categoryId: tree.books.id, price: 120 });
  await admin.product({
    sku: 'ZH-1',
    title: '无线蓝牙降噪耳机',
    description: '长续航，适合通勤。',
    categoryId: tree.electronics.id,
    brand: '声学',
    price: 899,
    currency: 'CNY',
  });
  await admin.product({ sku: 'ZH-2', title: '登山靴', description: '防水真皮', categoryId: tree.books.id, price: 560, currency: 'CNY' });
});

afterAll(async () => {
  await subgraph.stop();
  await dropTestDatabases(config, ['catalogue']);
});

const PRODUCTS = `query ($filter: ProductFilter, $first: Int, $after: String) {
  products(filter: $filter, first: $first, after: $after) { totalCount nodes { id sku } pageInfo { hasNextPage endCursor } }
}`;

type Page = { products: { totalCount: number; nodes: { id: string; sku: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

async function walk(filter: Record<string, unknown>, first: number): Promise<{ ids: string[]; totalCount: number; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount: number;
  for (;;) {
    const response: GraphQLResponse<Page> = await call<Page>(PRODUCTS, { filter, first, after });
    expect(response.errors).toBeUndefined();
    const page: Page['products'] = response.data!.products;
    totalCount = page.totalCount;
    ids.push(...page.nodes.map((node) => node.id));
    pages += 1;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, totalCount, pages };
}

const byIdDesc = (ids: string[]) => [...ids].sort((a, b) => Number(b) - Number(a));

describe('catalogue reads', () => {
  it('serves the category tree with paths, children and subtree product counts', async () => {
    const roots = await call<{
      categories: { name: string; slug: string; productCount: number; children: { name: string; children: { name: string }[] }[] }[];
    }>('{ categories { name slug productCount children { name children { name } } } }');
    expect(roots.data?.categories).toEqual([
      { name: 'Books', slug: 'books', productCount: 7, children: [] },
      {
        name: 'Electronics',
        slug: 'electronics',
        productCount: 22,
        children: [
          { name: 'Laptops', children: [] },
          { name: 'Phones', children: [{ name: 'Android' }] },
        ],
      },
    ]);
    const android = await call<{ category: { slug: string; parent: { name: string }; path: { name: string }[]; productCount: number } }>(
      'query ($id: ID!) { category(id: $id) { slug parent { name } path { name } productCount } }',
      { id: tree.android.id },
    );
    expect(android.data?.category).toEqual({
      slug: 'electronics/phones/android',
      parent: { name: 'Phones' },
      path: [{ name: 'Electronics' }, { name: 'Phones' }, { name: 'Android' }],
      productCount: 5,
    });
    const phones = await call<{ category: { productCount: number } }>('query ($id: ID!) { category(id: $id) { productCount } }', { id: tree.phones.id });
    expect(phones.data?.category.productCount).toBe(10);
    const none = await call<{ category: null }>('{ category(id: "9999999") { id } }');
    expect(none.data?.category).toBeNull();
  });

  it('filters by a category subtree, brand, price and tag', async () => {
    const phones = await walk({ categoryId: tree.phones.id }, 100);
    const inPhones = productIds.filter((_, i) => i % 5 === 1 || i % 5 === 2);
    expect(phones.ids).toEqual(byIdDesc(inPhones));
    expect(phones.totalCount).toBe(10);

    const acmeCheap = await walk({ brand: 'acme', minPrice: 30, maxPrice: 150, tag: 'NEW' }, 100);
    const expected = productIds.filter((_, i) => i % 3 === 0 && i * 10 >= 30 && i * 10 <= 150 && i % 4 !== 0);
    expect(acmeCheap.ids).toEqual(byIdDesc(expected));
    expect(acmeCheap.totalCount).toBe(expected.length);

    const unknown = await walk({ categoryId: '8888888' }, 10);
    expect(unknown).toEqual({ ids: [], totalCount: 0, pages: 1 });
  });

  it('pages through everything newest first with no duplicates or gaps', async () => {
    const all = await walk({}, 100);
    expect(all.totalCount).toBe(29);
    expect(all.pages).toBe(1);
    const paged = await walk({}, 4);
    expect(paged.pages).toBe(8);
    expect(paged.totalCount).toBe(29);
    expect(paged.ids).toEqual(all.ids);
    expect(new Set(paged.ids).size).toBe(29);
    expect(paged.ids).toEqual(byIdDesc(paged.ids));

    const electronics = await walk({ categoryId: tree.electronics.id }, 3);
    expect(electronics.ids).toHaveLength(22);
    expect(new Set(electronics.ids).size).toBe(22);
  });

  it('counts a page of nodes with their categories in a constant number of queries', async () => {
    const response = await call<{ products: { nodes: { category: { name: string; productCount: number } }[] } }>(
      '{ products(first: 25) { totalCount nodes { id category { name productCount parent { name } } } } }',
    );
    expect(response.data?.products.nodes).toHaveLength(25);
    // count, page, categories, product counts; the parents are already in the category loader.
    expect(sqlStatements(response)).toBe(4);
  });

  it('rejects a bad cursor or page size with BAD_USER_INPUT', async () => {
    for (const after of ['garbage', encodeCursor(['abc']), encodeCursor([5]), encodeCursor(['1', '2'])]) {
      const response = await call(PRODUCTS, { first: 5, after });
      expect({ after, codes: errorCodes(response) }).toEqual({ after, codes: ['BAD_USER_INPUT'] });
    }
    expect(errorCodes(await call(PRODUCTS, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await call(PRODUCTS, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('searches English text with FULLTEXT and Chinese text by its jieba words, each also through its translation below its own words', async () => {
    type Hits = { searchProducts: { score: number; product: { sku: string } }[] };
    const SEARCH = 'query ($text: String!, $first: Int) { searchProducts(text: $text, first: $first) { score product { sku } } }';
    const english = await call<Hits>(SEARCH, { text: '  headphones battery ' });
    expect(english.errors).toBeUndefined();
    // 耳机 is "headphones": the Chinese Bluetooth headphones follow the English ones.
    expect(english.data?.searchProducts.map((hit) => hit.product.sku)).toEqual(['EN-1', 'ZH-1']);
    expect(english.data?.searchProducts[0]?.score).toBeGreaterThan(0);

    const boots = await call<Hits>(SEARCH, { text: 'waterproof hiking' });
    expect(boots.data?.searchProducts.map((hit) => hit.product.sku)).toEqual(['EN-2']);

    const chinese = await call<Hits>(SEARCH, { text: '蓝牙耳机' });
    expect(chinese.errors).toBeUndefined();
    expect(chinese.data?.searchProducts.map((hit) => hit.product.sku)).toEqual(['ZH-1', 'EN-1']);

    const ranked = await call<Hits>(SEARCH, { text: '防水' });
    expect(ranked.data?.searchProducts.map((hit) => hit.product.sku)).toEqual(['ZH-2', 'EN-2']);

    const byBrand = await call<Hits>(SEARCH, { text: 'Sonic' });
    expect(byBrand.data?.searchProducts.map((hit) => hit.product.sku)).toEqual(['EN-1']);

    const limited = await call<Hits>(SEARCH, { text: 'Product', first: 3 });
    expect(limited.data?.searchProducts).toHaveLength(3);

    const nothing = await call<Hits>(SEARCH, { text: 'zeppelin' });
    expect(nothing.data?.searchProducts).toEqual([]);

    for (const text of ['   ', 'x'.repeat(201)]) {
      const response = await call(SEARCH, { text });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe('text');
    }
  });

  it('matches Chinese on whole words from the jieba index: a word inside a longer one is found, characters across two words are not', async () => {
    const lexical = new ProductService(subgraph.dataSource);
    const skus = async (text: string) => (await lexical.search(text, 10)).map((hit) => hit.product.sku);
    // 无线蓝牙降噪耳机 is indexed as 无线 蓝牙 降噪 耳机: each finds it, so does a query that shares one word.
    for (const text of ['耳机', '降噪', '蓝牙音箱']) expect(await skus(text)).toEqual(['ZH-1']);
    // 牙耳 spans 蓝牙|耳机: a substring scan would match it, a word index does not.
    expect(await skus('牙耳')).toEqual([]);
    // Stopwords alone match nothing rather than every product.
    expect(await skus('的')).toEqual([]);
    // Title words count three times, description words once: 防水 titles the one, describes the other.
    const admin = adminWriter(call);
    await admin.product({ sku: 'ZH-3', title: '防水手表', description: '运动', categoryId: tree.electronics.id, price: 300, currency: 'CNY' });
    expect(await skus('防水')).toEqual(['ZH-3', 'ZH-2']);
    const [first, second] = await lexical.search('防水', 10);
    expect(first!.score).toBeGreaterThan(second!.score);
  });

  it('finds Latin words too short for FULLTEXT through the word index, as whole words, and longer ones by prefix when no whole word matches', async () => {
    const admin = adminWriter(call);
    await admin.product({ sku: 'EN-TV', title: 'Samsung 4K TV', categoryId: tree.electronics.id, price: 700 });
    await admin.product({ sku: 'EN-ATV', title: 'Kids ATV Helmet', categoryId: tree.books.id, price: 40 });
    const lexical = new ProductService(subgraph.dataSource);
    const skus = async (text: string) => (await lexical.search(text, 10)).map((hit) => hit.product.sku);
    // FULLTEXT over the fields skips words under three characters; a substring scan would also take ATV.
    expect(await skus('tv')).toEqual(['EN-TV']);
    expect(await skus('4k tv')).toEqual(['EN-TV']);
    // Longer words still go to FULLTEXT over the fields, which finds them, and, when no whole word
    // matches, finds them as the beginnings of words, as the scan found them inside words.
    expect(await skus('helmet')).toEqual(['EN-ATV']);
    expect(await skus('cancel')).toEqual(['EN-1']);
    expect(await skus('zq')).toEqual([]);
  });
});
