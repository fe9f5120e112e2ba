import { createTestDatabases, dropTestDatabases, postGraphQL, sqlStatements, subgraphClient, testEnv } from '@serendip/testing';
import { startCatalogueSubgraph } from '../../subgraphs/catalogue/src/app';
import { loadCatalogueConfig } from '../../subgraphs/catalogue/src/config';
import { adminWriter } from '../../subgraphs/catalogue/test/support';
import { startGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

// The catalogue with semantic search on but no worker pool behind its queue: every HYBRID search
// waits for a query embedding that never comes, as when the workers are down.
const config = loadCatalogueConfig(testEnv({ CATALOGUE_PORT: '0', SEMANTIC_QUERY_TIMEOUT_MS: '300' }));
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let kettle: string;

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  catalogue = await startCatalogueSubgraph(config);
  const admin = adminWriter(subgraphClient(catalogue.url));
  const category = await admin.category('Kitchen');
  kettle = (await admin.product({ sku: 'K-1', title: 'Stainless steel kettle', categoryId: category.id, price: 30 })).id;
  await admin.product({ sku: 'K-2', title: 'Cast iron pan', categoryId: category.id, price: 45 });
  gateway = await startGateway(loadGatewayConfig(testEnv({ GATEWAY_PORT: '0', LOG_LEVEL: 'error', CATALOGUE_URL: catalogue.url })));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await catalogue?.stop();
  await dropTestDatabases(config, ['catalogue']);
});

type Search = { searchProducts: { product: { id: string }; matchedBy: string[] }[] };

describe('warnings through the gateway', () => {
  it('a HYBRID search while the worker pool is down answers lexically, and extensions.warnings says so', async () => {
    const response = await postGraphQL<Search>(gateway.url, '{ searchProducts(text: "kettle") { product { id } matchedBy } }');
    expect(response.errors).toBeUndefined();
    expect(response.data!.searchProducts).toEqual([{ product: { id: kettle }, matchedBy: ['LEXICAL'] }]);
    expect(response.extensions?.warnings).toEqual([
      {
        code: 'SEARCH_DEGRADED',
        message: 'Answered from lexical matching alone. Semantic search is not available right now; try lexical search',
        path: ['searchProducts'],
      },
    ]);
  });

  it('a search that needs no semantic side carries no warning', async () => {
    const response = await postGraphQL<Search>(gateway.url, '{ searchProducts(text: "kettle", mode: LEXICAL) { product { id } matchedBy } }');
    expect(response.data!.searchProducts).toHaveLength(1);
    expect(response.extensions?.warnings).toBeUndefined();
  });

  it("outside production, carries each called subgraph's SQL statements for the request, and none for a subgraph it did not call", async () => {
    const response = await postGraphQL<Search>(gateway.url, '{ searchProducts(text: "kettle", mode: LEXICAL) { product { id } } }');
    const direct = await subgraphClient(catalogue.url)('{ searchProducts(text: "kettle", mode: LEXICAL) { product { id } } }');
    expect(sqlStatements(direct)).toBeGreaterThan(0);
    expect(response.extensions?.sqlStatements).toEqual({ catalogue: sqlStatements(direct) });
  });
});
