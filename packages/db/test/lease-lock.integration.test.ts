import { commonEnv, databasePasswordEnv, loadConfig, z } from '@serendip/config';
import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { LeaseLostError, openDataSource, withLease, type Lease, type SubgraphDataSource } from '../src';

const settings = loadConfig('lease test', z.object({ ...commonEnv, ...databasePasswordEnv.feedback }), testEnv());
let opened: SubgraphDataSource;
let name = 0;
/** A lease of its own per test: the table is shared by the file. */
const next = () => `test-${(name += 1)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await createTestDatabases(settings, ['feedback']);
  opened = await openDataSource({ settings, owner: 'feedback', entities: [], migrations: [] });
});
afterAll(async () => {
  await opened?.dataSource.destroy();
  await dropTestDatabases(settings, ['feedback']);
});

describe('leases in the owning database', () => {
  it('lets one holder in at a time, and the next in once it is given back, with a higher fence', async () => {
    const lease = next();
    const { dataSource } = opened;
    const first = await withLease(dataSource, lease, {}, async (held) => {
      // While it is held, another caller that does not wait gets nothing and runs nothing.
      let ran = false;
      expect(
        await withLease(dataSource, lease, {}, async () => {
          ran = true;
        }),
      ).toEqual({ held: false });
      expect(ran).toBe(false);
      return held.fence;
    });
    const second = await withLease(dataSource, lease, {}, async (held) => held.fence);
    expect(first).toEqual({ held: true, value: 1 });
    expect(second).toEqual({ held: true, value: 2 });
  });

  it('lets a waiting caller in as soon as the holder gives the lease back', async () => {
    const lease = next();
    const order: string[] = [];
    const holding = withLease(opened.dataSource, lease, {}, async () => {
      order.push('first starts');
      await sleep(600);
      order.push('first ends');
    });
    await sleep(100);
    const waiting = withLease(opened.dataSource, lease, { waitMs: 5000, retryMs: 50 }, async () => {
      order.push('second starts');
    });
    expect(await Promise.all([holding, waiting])).toEqual([
      { held: true, value: undefined },
      { held: true, value: undefined },
    ]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('keeps the lease past its time to live while the holder works, by renewing it', async () => {
    const lease = next();
    const outcome = await withLease(opened.dataSource, lease, { ttlMs: 600 }, async (held) => {
      await sleep(1500);
      await held.assertHeld();
      return withLease(opened.dataSource, lease, {}, async () => 'taken');
    });
    expect(outcome).toEqual({ held: true, value: { held: false } });
  });

  it('frees the lease of a holder that stopped renewing once it expires; that holder learns it lost it and cannot pass the check before a write', async () => {
    const lease = next();
    const { dataSource } = opened;
    let paused: Lease | null = null;
    let resume: () => void = () => undefined;
    const stalled = withLease(dataSource, lease, { ttlMs: 900 }, async (held) => {
      paused = held;
      // A holder that stops (a long GC pause, a frozen VM): its lease runs out although it still thinks it holds it.
      await new Promise<void>((resolve) => (resume = resolve));
      return held.assertHeld();
    });
    await sleep(50);
    // Expire it now, as if the renewals had stopped for longer than the lease lasts.
    await dataSource.query('UPDATE lease_lock SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE name = ?', [lease]);
    // Long enough for several of the stalled holder's renewals (every 300 ms) on a busy machine.
    const successor = await withLease(dataSource, lease, { ttlMs: 5000 }, async (held) => {
      await sleep(1200);
      return held.fence;
    });
    expect(successor).toEqual({ held: true, value: 2 });
    // The stalled holder's next renewal found the lease gone.
    expect(paused!.signal.aborted).toBe(true);
    expect(paused!.signal.reason).toBeInstanceOf(LeaseLostError);
    resume();
    await expect(stalled).rejects.toThrow(LeaseLostError);
    // Its give-back at the end did not free the successor's lease: nobody holds it, and the next is the third.
    expect(await withLease(dataSource, lease, {}, async (held) => held.fence)).toEqual({ held: true, value: 3 });
  });

  it('lets exactly one of many callers racing for a free lease in', async () => {
    const lease = next();
    let inside = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        withLease(opened.dataSource, lease, {}, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(200);
          inside -= 1;
        }),
      ),
    );
    expect(results.filter((result) => result.held)).toHaveLength(1);
    expect(most).toBe(1);
  });
});
