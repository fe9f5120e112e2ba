import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { loadRecommendationConfig, openRecommendationDataSource } from '../src';

/**
 * The migration that adds delta accounting, run over budgets written before it: one admin's id in
 * two spellings (as the case-changing grant left it) and a release that spent a delta of 0.99.
 */
const config = loadRecommendationConfig(testEnv());

beforeAll(() => createTestDatabases(config, ['recommendation']));
afterAll(() => dropTestDatabases(config, ['recommendation']));

it('lowercases analyst ids, sums the deltas already spent, and refuses other spellings from then on', async () => {
  const { dataSource } = await openRecommendationDataSource(config);
  try {
    // Back to just before the delta migration, however many came after it.
    while ((await dataSource.query<{ name: string }[]>("SELECT name FROM migrations WHERE name = 'PrivacyBudgetDelta1765324800000'")).length > 0) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    const attacker = randomUUID();
    const careful = randomUUID();
    const at = new Date('2025-03-03T10:00:00Z');
    // The key is case-insensitive, so the grant to the upper-case spelling raised the same row.
    await dataSource.query('INSERT INTO privacy_budget (analyst_id, total_epsilon, spent_epsilon, updated_at) VALUES (?, 15, 1.5, ?), (?, 10, 0.5, ?)', [
      attacker.toUpperCase(),
      at,
      careful,
      at,
    ]);
    await dataSource.query(
      "INSERT INTO privacy_ledger (analyst_id, query, epsilon, delta, created_at) VALUES (?, 'behaviourFunnel', 1, 0.99, ?), (?, 'repeatPurchase', 0.5, NULL, ?), (?, 'sessionStatistics', 0.5, 1e-6, ?)",
      [attacker, at, attacker.toUpperCase(), at, careful, at],
    );

    await dataSource.runMigrations({ transaction: 'each' });

    const budgets: { analystId: string; totalDelta: number; spentDelta: number }[] = await dataSource.query(
      'SELECT analyst_id AS analystId, total_delta AS totalDelta, spent_delta AS spentDelta FROM privacy_budget ORDER BY total_epsilon DESC',
    );
    expect(budgets).toEqual([
      { analystId: attacker, totalDelta: 1e-4, spentDelta: 0.99 },
      { analystId: careful, totalDelta: 1e-4, spentDelta: 1e-6 },
    ]);
    const ledger: { analystId: string }[] = await dataSource.query('SELECT DISTINCT analyst_id AS analystId FROM privacy_ledger ORDER BY analyst_id');
    expect(ledger.map((row) => row.analystId).sort()).toEqual([attacker, careful].sort());
    await expect(
      dataSource.query("INSERT INTO privacy_ledger (analyst_id, query, epsilon, delta, created_at) VALUES (?, 'behaviourFunnel', 1, NULL, ?)", [
        careful.toUpperCase(),
        at,
      ]),
    ).rejects.toThrow(/chk_privacy_ledger_analyst_lowercase/);
  } finally {
    await dataSource.destroy();
  }
});
