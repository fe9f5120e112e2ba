import { ANONYMOUS } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient } from '@serendip/testing';
import { startCatalogueSubgraph } from '../src/app';
import { ProductService } from '../src/product/product.service';
import { ADMIN, adminWriter, catalogueTestConfig, CREATE_CATEGORY, CREATE_PRODUCT, type CreatedProduct, type RunningCatalogue, SHOPPER } from './support';

const config = catalogueTestConfig();
let subgraph: RunningCatalogue;
let call: ReturnType<typeof subgraphClient>;
let admin: ReturnType<typeof adminWriter>;

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  subgraph = await startCatalogueSubgraph(config);
  call = subgraphClient(subgraph.url);
  admin = adminWriter(call);
});

afterAll(async () => {
  await subgraph.stop();
  await dropTestDatabases(config, ['catalogue']);
});

const UPDATE_PRODUCT = `mutation ($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { id sku title description brand price currency tags imageUrl updatedAt category { id } }
}`;

const PRODUCT = `query ($id: ID!) {
  product(id: $id) { id sku title description brand price currency tags imageUrl category { id name } }
}`;

async function count(table: 'product' | 'category'): Promise<number> {
  const [row] = await subgraph.dataSource.query<{ n: string }[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
  return Number(row?.n);
}

describe('catalogue writes', () => {
  it('creates, reads and partially updates a product', async () => {
    const electronics = await admin.category('Electronics');
    const audio = await admin.category('Audio', electronics.id);
    const created = await admin.product({
      sku: 'HP-100',
      title: '  Studio Headphones ',
      categoryId: audio.id,
      brand: 'Acme',
      price: 149.99,
      tags: ['Audio', 'wireless', 'audio'],
      imageUrl: 'https://img.example.com/hp-100.jpg',
    });
    expect(created).toMatchObject({
      sku: 'HP-100',
      title: 'Studio Headphones',
      description: '',
      brand: 'Acme',
      price: 149.99,
      currency: 'USD',
      tags: ['audio', 'wireless'],
      imageUrl: 'https://img.example.com/hp-100.jpg',
      category: { id: audio.id },
    });
    expect(Date.parse(created.createdAt)).not.toBeNaN();

    const read = await call<{ product: CreatedProduct & { category: { name: string } } }>(PRODUCT, { id: created.id });
    expect(read.data?.product).toMatchObject({ id: created.id, title: 'Studio Headphones', category: { id: audio.id, name: 'Audio' } });

    const updated = await call<{ updateProduct: CreatedProduct }>(
      UPDATE_PRODUCT,
      { id: created.id, input: { price: 99.5, brand: null, categoryId: electronics.id, currency: 'EUR' } },
      ADMIN,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateProduct).toMatchObject({
      sku: 'HP-100',
      title: 'Studio Headphones',
      price: 99.5,
      currency: 'EUR',
      brand: null,
      tags: ['audio', 'wireless'],
      imageUrl: 'https://img.example.com/hp-100.jpg',
      category: { id: electronics.id },
    });
    const reread = await call<{ product: CreatedProduct }>(PRODUCT, { id: created.id });
    expect(reread.data?.product).toMatchObject({ price: 99.5, brand: null, currency: 'EUR', category: { id: electronics.id } });

    const missing = await call<{ product: null }>(PRODUCT, { id: '987654321' });
    expect(missing.data?.product).toBeNull();
    const malformed = await call<{ product: null }>(PRODUCT, { id: '12abc' });
    expect(malformed.data?.product).toBeNull();
  });

  it("re-cuts a Chinese product's search words when its title, brand or description changes, and only then", async () => {
    const outdoor = await admin.category('Outdoor');
    const lexical = new ProductService(subgraph.dataSource);
    const skus = async (text: string) => (await lexical.search(text, 10)).map((hit) => hit.product.sku);
    const boots = await admin.product({ sku: 'ZH-BOOT', title: '登山靴', description: '防水', categoryId: outdoor.id, price: 560, currency: 'CNY' });
    expect(await skus('登山')).toEqual(['ZH-BOOT']);

    const update = async (input: Record<string, unknown>) => expect((await call(UPDATE_PRODUCT, { id: boots.id, input }, ADMIN)).errors).toBeUndefined();
    await update({ title: '徒步鞋' });
    expect(await skus('登山')).toEqual([]);
    expect(await skus('徒步')).toEqual(['ZH-BOOT']);
    // The description kept its words through a title change; a new brand is searchable at once.
    expect(await skus('防水')).toEqual(['ZH-BOOT']);
    await update({ brand: '凯乐石' });
    expect(await skus('凯乐石')).toEqual(['ZH-BOOT']);
    await update({ price: 499 });
    expect(await skus('徒步')).toEqual(['ZH-BOOT']);
    // Rewritten in English, it leaves the Chinese index for FULLTEXT over its fields.
    await update({ title: 'Hiking shoes', brand: null, description: 'Waterproof' });
    expect(await skus('徒步')).toEqual([]);
    expect(await skus('hiking')).toEqual(['ZH-BOOT']);
  });

  it('keeps writes to admins', async () => {
    const category = await admin.category('Garden');
    const input = { sku: 'GARDEN-1', title: 'Rake', categoryId: category.id, price: 10 };
    expect(errorCodes(await call(CREATE_PRODUCT, { input }, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(CREATE_PRODUCT, { input }, SHOPPER))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(CREATE_CATEGORY, { input: { name: 'Sheds' } }, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(CREATE_CATEGORY, { input: { name: 'Sheds' } }, SHOPPER))).toEqual(['FORBIDDEN']);
    const product = await admin.product(input);
    const update = { id: product.id, input: { title: 'Hacked' } };
    expect(errorCodes(await call(UPDATE_PRODUCT, update, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(UPDATE_PRODUCT, update, SHOPPER))).toEqual(['FORBIDDEN']);
    const read = await call<{ product: { title: string } }>(PRODUCT, { id: product.id }, SHOPPER);
    expect(read.data?.product.title).toBe('Rake');
    const [row] = await subgraph.dataSource.query<{ n: string }[]>("SELECT COUNT(*) AS n FROM category WHERE name = 'Sheds'");
    expect(Number(row?.n)).toBe(0);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const category = await admin.category('Kitchen');
    const valid = { sku: 'KIT-1', title: 'Pan', categoryId: category.id, price: 25 };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, sku: '' }, 'sku'],
      [{ ...valid, sku: 'has space' }, 'sku'],
      [{ ...valid, sku: 'x'.repeat(65) }, 'sku'],
      [{ ...valid, title: '   ' }, 'title'],
      [{ ...valid, title: 't'.repeat(501) }, 'title'],
      [{ ...valid, description: 'd'.repeat(20_001) }, 'description'],
      [{ ...valid, brand: 'b'.repeat(201) }, 'brand'],
      [{ ...valid, price: -1 }, 'price'],
      [{ ...valid, price: 1.005 }, 'price'],
      [{ ...valid, currency: 'usd' }, 'currency'],
      [{ ...valid, currency: 'EURO' }, 'currency'],
      [{ ...valid, tags: Array.from({ length: 31 }, (_, i) => `t${i}`) }, 'tags'],
      [{ ...valid, tags: ['ok', 'x'.repeat(51)] }, 'tags'],
      [{ ...valid, tags: ['  '] }, 'tags'],
      [{ ...valid, imageUrl: 'ftp://example.com/a.png' }, 'imageUrl'],
      [{ ...valid, imageUrl: 'not a url' }, 'imageUrl'],
    ];
    const before = await count('product');
    for (const [input, field] of cases) {
      const response = await call(CREATE_PRODUCT, { input }, ADMIN);
      expect({ field, codes: errorCodes(response) }).toEqual({ field, codes: ['BAD_USER_INPUT'] });
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    const unknownCategory = await call(CREATE_PRODUCT, { input: { ...valid, categoryId: '555555' } }, ADMIN);
    expect(errorCodes(unknownCategory)).toEqual(['NOT_FOUND']);
    expect(await count('product')).toBe(before);

    const categoriesBefore = await count('category');
    for (const input of [{ name: '' }, { name: 'n'.repeat(101) }, { name: '!!!' }]) {
      expect(errorCodes(await call(CREATE_CATEGORY, { input }, ADMIN))).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await call(CREATE_CATEGORY, { input: { name: 'Orphan', parentId: '555555' } }, ADMIN))).toEqual(['NOT_FOUND']);
    let deepest = await admin.category('Level 0');
    for (let depth = 1; depth < 10; depth += 1) deepest = await admin.category(`Level ${depth}`, deepest.id);
    const tooDeep = await call(CREATE_CATEGORY, { input: { name: 'Level 10', parentId: deepest.id } }, ADMIN);
    expect(errorCodes(tooDeep)).toEqual(['BAD_USER_INPUT']);
    expect(await count('category')).toBe(categoriesBefore + 10);

    const product = await admin.product(valid);
    const badUpdates: [Record<string, unknown>, string][] = [
      [{ title: null }, 'title'],
      [{ price: -5 }, 'price'],
      [{ title: 'New title', currency: 'xx' }, 'currency'],
    ];
    for (const [input, field] of badUpdates) {
      const response = await call(UPDATE_PRODUCT, { id: product.id, input }, ADMIN);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(errorCodes(await call(UPDATE_PRODUCT, { id: product.id, input: { categoryId: '555555' } }, ADMIN))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(UPDATE_PRODUCT, { id: '555555', input: { title: 'Ghost' } }, ADMIN))).toEqual(['NOT_FOUND']);
    const unchanged = await call<{ product: CreatedProduct }>(PRODUCT, { id: product.id });
    expect(unchanged.data?.product).toMatchObject({ title: 'Pan', price: 25, currency: 'USD', category: { id: category.id } });
  });

  it('rejects a duplicate sku or sibling name with CONFLICT', async () => {
    const category = await admin.category('Office');
    await admin.product({ sku: 'DUP-1', title: 'Stapler', categoryId: category.id, price: 5 });
    const other = await admin.product({ sku: 'DUP-2', title: 'Pen', categoryId: category.id, price: 1 });
    const before = await count('product');
    const duplicate = await call(CREATE_PRODUCT, { input: { sku: 'DUP-1', title: 'Copy', categoryId: category.id, price: 5 } }, ADMIN);
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    expect(duplicate.errors?.[0]?.extensions?.field).toBe('sku');
    expect(await count('product')).toBe(before);
    // sku comparison is exact, so a different case is a different product.
    await admin.product({ sku: 'dup-1', title: 'Lower-case stapler', categoryId: category.id, price: 5 });

    const renamed = await call(UPDATE_PRODUCT, { id: other.id, input: { sku: 'DUP-1', title: 'Renamed' } }, ADMIN);
    expect(errorCodes(renamed)).toEqual(['CONFLICT']);
    const pen = await call<{ product: CreatedProduct }>(PRODUCT, { id: other.id });
    expect(pen.data?.product).toMatchObject({ sku: 'DUP-2', title: 'Pen' });

    await admin.category('Paper', category.id);
    const sibling = await call(CREATE_CATEGORY, { input: { name: 'paper', parentId: category.id } }, ADMIN);
    expect(errorCodes(sibling)).toEqual(['CONFLICT']);
    // The same name under another parent is fine: the slug includes the parent's.
    const elsewhere = await admin.category('Paper');
    expect(elsewhere.slug).toBe('paper');
  });
});
