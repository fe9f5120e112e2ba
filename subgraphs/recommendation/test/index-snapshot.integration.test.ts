import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabases, dropTestDatabases, freePort, metricValue, runTsCommand, ScratchS3, testEnv } from '@serendip/testing';
import { logger } from '@serendip/telemetry';
import { indexSnapshotStore } from '@serendip/vectors';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { ProductEmbeddingStore } from '../../catalogue/src/embedding/product-embedding.store';
import { CatalogueImportStore } from '../../catalogue/src/import/catalogue-import.store';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';

/**
 * A replica started beside an index snapshot, in a folder and in object storage (s3rver):
 * `pnpm index:snapshot` writes one from the catalogue's feed, more products are embedded after it,
 * and a replica started with the catalogue away answers /readyz 503 until the catalogue comes up,
 * then reads the snapshot and only the vectors written after it, and is ready holding every product.
 * The restarted catalogue's semantic index starts from the same snapshot.
 */
const snapshotDir = mkdtempSync(join(tmpdir(), 'serendip-index-snapshots-'));
const baseEnv = testEnv({
  CATALOGUE_PORT: '0',
  RECOMMENDATION_PORT: '0',
  PRODUCT_INDEX_REFRESH_MS: '200',
  SEGMENT_REFRESH_MS: '0',
});
const catalogueConfig = loadCatalogueConfig(baseEnv);
const DIMENSION = 32;
const PRODUCTS = 400;

const unit = (seed: number) => {
  const vector = Float32Array.from({ length: DIMENSION }, (_, i) => Math.sin(seed * 7 + i * 1.3));
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

const probe = async (url: string, path: string) => fetch(url.replace(/\/graphql$/, path));

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `pnpm index:snapshot` as its own process against `catalogueUrl`. */
const indexSnapshot = (env: NodeJS.ProcessEnv, catalogueUrl: string) =>
  runTsCommand(join(__dirname, '..', 'src', 'index-snapshot-cli.ts'), [], { ...env, CATALOGUE_URL: catalogueUrl });

let s3: ScratchS3;
const processEnv = { ...process.env };
beforeAll(async () => {
  s3 = await ScratchS3.start('snapshots');
  // The replica runs in this process, and its S3 client signs with what the environment holds.
  Object.assign(process.env, ScratchS3.credentials);
});
beforeEach(() => createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']));
afterEach(() => dropTestDatabases(catalogueConfig, ['catalogue', 'recommendation']));
afterAll(async () => {
  process.env = processEnv;
  await s3.stop();
  rmSync(snapshotDir, { recursive: true, force: true });
});

describe.each([
  ['in a folder', () => ({ INDEX_SNAPSHOT_DIR: snapshotDir })],
  ['in object storage', () => ({ INDEX_SNAPSHOT_URL: 's3://snapshots/index', INDEX_SNAPSHOT_S3_ENDPOINT: s3.endpoint, AWS_REGION: ScratchS3.region })],
])('a recommendation replica with an index snapshot %s', (_where, storeEnv) => {
  it('is not ready until its index is loaded, then serves the snapshot and the vectors written since', async () => {
    const env = { ...baseEnv, ...storeEnv() };
    const cataloguePort = await freePort();
    const config = { ...loadCatalogueConfig(env), CATALOGUE_PORT: cataloguePort };
    let catalogue = await startCatalogueSubgraph(config);
    let recommendation: Awaited<ReturnType<typeof startRecommendationSubgraph>> | null = null;
    const said: string[] = [];
    const spies = (['info', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(logger(), level).mockImplementation((message: unknown) => void said.push(String(message))),
    );
    try {
      const { model, modelVersion } = catalogue.embeddings!;
      const writer = new CatalogueImportStore(catalogue.dataSource);
      const category = await writer.upsertCategoryPath(['Garden']);
      const bySku = await writer.upsertProducts(
        Array.from({ length: PRODUCTS + 1 }, (_, i) => ({ sku: `SNAP-${i}`, title: `Item ${i}`, categoryId: category, brand: null, price: 5, tags: [] })),
      );
      const ids = [...bySku.values()].sort((a, b) => Number(a) - Number(b));
      const store = new ProductEmbeddingStore(catalogue.dataSource);
      const embed = (rows: [productId: string, seed: number][]) =>
        store.upsert(
          model,
          modelVersion,
          rows.map(([productId, seed]) => ({ productId, textHash: '0'.repeat(64), vector: unit(seed) })),
        );
      await embed(ids.slice(0, PRODUCTS).map((id, i) => [id, i]));

      // The feed serves a vector once it has settled: the build, and later the replica, must see all of them.
      const served = async () => (await store.feed(model, modelVersion, null, PRODUCTS + 2)).map((row) => `${row.productId}@${row.position.updatedAt}`);
      await until('the feed serves every vector', async () => (await served()).length === PRODUCTS);
      const built = await indexSnapshot(env, catalogue.url);
      expect({ code: built.code, err: built.code === 0 ? '' : built.err }).toEqual({ code: 0, err: '' });
      const report = JSON.parse(built.out.trim().split('\n').at(-1)!) as { snapshot: string; written: boolean; products: number; started_from: null };
      expect(report).toMatchObject({ written: true, products: PRODUCTS, embedding_model: `${model}@${modelVersion}`, started_from: null });
      expect((await indexSnapshotStore(loadRecommendationConfig(env)).list()).map((manifest) => manifest.id)).toEqual([report.snapshot]);

      // After the snapshot: a new product and a re-embedded one.
      const before = new Set(await served());
      await embed([
        [ids[PRODUCTS]!, 1000],
        [ids[3]!, 1003],
      ]);
      await until('the feed serves both', async () => (await served()).filter((row) => !before.has(row)).length === 2);
      await catalogue.stop();

      // The catalogue is away: the replica cannot learn which model it serves, so it has no index.
      recommendation = await startRecommendationSubgraph(
        loadRecommendationConfig({
          ...env,
          CATALOGUE_URL: `http://127.0.0.1:${cataloguePort}/graphql`,
          FEEDBACK_URL: `http://127.0.0.1:${cataloguePort}/graphql`,
        }),
      );
      const ready = await probe(recommendation.url, '/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { productIndex: 'failing' } });
      expect((await probe(recommendation.url, '/healthz')).status).toBe(200);

      catalogue = await startCatalogueSubgraph(config);
      const up = Date.now();
      const replica = recommendation;
      await until('the replica is ready', async () => (await probe(replica.url, '/readyz')).status === 200);
      const readyMs = Date.now() - up;
      const restarted = catalogue;
      await until('the catalogue is ready', async () => (await probe(restarted.url, '/readyz')).status === 200);
      const loads = (name: string) => [
        expect.stringMatching(new RegExp(`^${name}: snapshot ${report.snapshot} \\(${PRODUCTS} products, ${model}@${modelVersion}\\) read in \\d+ ms$`)),
        expect.stringMatching(
          new RegExp(`^${name} loaded: ${PRODUCTS + 1} products in \\d+ ms \\(snapshot ${report.snapshot} and 2 vectors from the feed\\)$`),
        ),
      ];
      // The replica's product index and the catalogue's semantic index each start from the snapshot, at once.
      const fromSnapshot = said.filter((line) => line.includes(report.snapshot));
      expect(fromSnapshot.filter((line) => line.startsWith('product index'))).toEqual(loads('product index'));
      expect(fromSnapshot.filter((line) => line.startsWith('semantic search index'))).toEqual(loads('semantic search index'));
      expect(fromSnapshot).toHaveLength(4);
      const metrics = await (await probe(recommendation.url, '/metrics')).text();
      expect(metricValue(metrics, 'serendip_product_index_size', {})).toBe(PRODUCTS + 1);
      // Generous for a busy 2-core machine; reading the whole feed is what it must not do.
      expect(readyMs).toBeLessThan(15_000);
    } finally {
      await recommendation?.stop();
      await catalogue.stop();
      for (const spy of spies) spy.mockRestore();
    }
  }, 120_000);
});
