import { allDatabasePasswordsEnv, commonEnv, loadConfig, z } from '@serendip/config';
import type { SubgraphDataSource } from '@serendip/db';
import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { openCatalogueDataSource } from '../subgraphs/catalogue/src/data-source';
import { openFeedbackDataSource } from '../subgraphs/feedback/src/data-source';
import { openRecommendationDataSource } from '../subgraphs/recommendation/src/data-source';
import { openUserDataSource } from '../subgraphs/user/src/app';

const settings = loadConfig('migrations test', z.object({ ...commonEnv, ...allDatabasePasswordsEnv }), testEnv());

const subgraphs: [name: 'user' | 'catalogue' | 'recommendation' | 'feedback', open: () => Promise<SubgraphDataSource>][] = [
  ['user', () => openUserDataSource(settings)],
  ['catalogue', () => openCatalogueDataSource(settings)],
  ['recommendation', () => openRecommendationDataSource(settings)],
  ['feedback', () => openFeedbackDataSource(settings)],
];

beforeAll(() =>
  createTestDatabases(
    settings,
    subgraphs.map(([name]) => name),
  ),
);

afterAll(() =>
  dropTestDatabases(
    settings,
    subgraphs.map(([name]) => name),
  ),
);

describe('migrations and entities agree', () => {
  it.each(subgraphs)('%s: a freshly migrated database needs no schema change for its entities', async (_name, open) => {
    const { dataSource } = await open();
    try {
      // What `synchronize` would run: anything here means an entity changed without a migration.
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
      const undo = await dataSource.showMigrations();
      expect(undo).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
