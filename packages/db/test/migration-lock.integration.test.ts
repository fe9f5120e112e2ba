import { commonEnv, databasePasswordEnv, loadConfig, z } from '@serendip/config';
import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openDataSource, type SubgraphDataSource } from '../src';

const settings = loadConfig('migration lock test', z.object({ ...commonEnv, ...databasePasswordEnv.catalogue }), testEnv());

/**
 * Slow enough that a second process starting alongside would begin it too without the lock: it
 * creates a table (which fails if created twice) and counts its runs in it.
 */
class CreateRunsTable1700000000000 implements MigrationInterface {
  name = 'CreateRunsTable1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE migration_runs (id INT AUTO_INCREMENT PRIMARY KEY)');
    await runner.query('SELECT SLEEP(0.5)');
    await runner.query('INSERT INTO migration_runs () VALUES ()');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE migration_runs');
  }
}

const open = () => openDataSource({ settings, owner: 'catalogue', entities: [], migrations: [CreateRunsTable1700000000000] });

beforeAll(() => createTestDatabases(settings, ['catalogue']));
afterAll(() => dropTestDatabases(settings, ['catalogue']));

describe('migrations under a lease', () => {
  it('lets two processes opening a fresh database together both start, running each migration once', async () => {
    const opened: SubgraphDataSource[] = [];
    try {
      const results = await Promise.allSettled([open(), open(), open()]);
      for (const result of results) if (result.status === 'fulfilled') opened.push(result.value);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const { dataSource } = opened[0]!;
      expect(await dataSource.query('SELECT COUNT(*) AS runs FROM migration_runs')).toEqual([{ runs: '1' }]);
      expect(await dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateRunsTable1700000000000' }]);
      // The lease is given back: nobody holds it once the starts are done, and each start took it once.
      expect(await dataSource.query("SELECT fence, expires_at <= NOW(3) AS free FROM lease_lock WHERE name = 'migrations'")).toEqual([{ fence: '3', free: 1 }]);
    } finally {
      await Promise.all(opened.map(({ dataSource }) => dataSource.destroy()));
    }
  });
});
