import { createTestDatabases, dropTestDatabases, freePort, testEnv } from '@serendip/testing';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { logger } from '@serendip/telemetry';

/**
 * A replica takes traffic once its product index has read the catalogue's whole vector feed: here
 * the catalogue is not there when the recommendation subgraph starts, and comes up on its address later.
 */
const env = testEnv({ CATALOGUE_PORT: '0', RECOMMENDATION_PORT: '0', PRODUCT_INDEX_REFRESH_MS: '200', SEGMENT_REFRESH_MS: '0' });
const catalogueConfig = loadCatalogueConfig(env);

const readiness = async (url: string) => {
  const response = await fetch(url.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
};

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']));
afterAll(() => dropTestDatabases(catalogueConfig, ['catalogue', 'recommendation']));

describe('recommendation readiness', () => {
  it('is refused until the product index has loaded, then given', async () => {
    const cataloguePort = await freePort();
    const quiet = [jest.spyOn(logger(), 'error').mockImplementation(() => undefined), jest.spyOn(logger(), 'warn').mockImplementation(() => undefined)];
    const recommendation = await startRecommendationSubgraph(
      loadRecommendationConfig({
        ...env,
        CATALOGUE_URL: `http://127.0.0.1:${cataloguePort}/graphql`,
        FEEDBACK_URL: `http://127.0.0.1:${cataloguePort}/graphql`,
      }),
    );
    let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>> | null = null;
    try {
      expect(await readiness(recommendation.url)).toEqual({
        status: 503,
        body: { status: 'unavailable', process: 'recommendation', checks: { mariadb: 'ok', redis: 'ok', productIndex: 'failing' } },
      });
      // It answers all the same: liveness is not readiness.
      expect((await fetch(recommendation.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);

      catalogue = await startCatalogueSubgraph({ ...catalogueConfig, CATALOGUE_PORT: cataloguePort });
      await until('the catalogue is ready', async () => (await readiness(catalogue!.url)).status === 200);
      expect((await readiness(catalogue.url)).body.checks).toEqual({ mariadb: 'ok', redis: 'ok', semanticIndex: 'ok' });
      await until('the product index has loaded', async () => (await readiness(recommendation.url)).status === 200);
      expect((await readiness(recommendation.url)).body.checks).toEqual({ mariadb: 'ok', redis: 'ok', productIndex: 'ok' });
    } finally {
      await recommendation.stop();
      await catalogue?.stop();
      for (const spy of quiet) spy.mockRestore();
    }
  });
});
