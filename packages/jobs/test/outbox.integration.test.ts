import { commonEnv, databasePasswordEnv, loadConfig, z } from '@serendip/config';
import { openDataSource, type SubgraphDataSource } from '@serendip/db';
import { createTestDatabases, dropTestDatabases, ScratchRedis, testEnv } from '@serendip/testing';
import { enqueueUpdateInterest, InterestRequestStore, JobOutbox, openQueue, QueueName, redisRunId, type InterestRequest, type JobQueue } from '../src';

const settings = loadConfig('outbox test', z.object({ ...commonEnv, ...databasePasswordEnv.recommendation }), testEnv());

/** What a migration is given (typeorm's QueryRunner), as far as this one uses it. */
interface Runner {
  query(sql: string): Promise<unknown>;
}

/** The outbox table as the subgraphs' migrations leave it. */
class OutboxTable1700000000000 {
  name = 'OutboxTable1700000000000';

  async up(runner: Runner): Promise<void> {
    await runner.query(`CREATE TABLE interest_update_request (
      user_id char(36) NOT NULL PRIMARY KEY, requested_at datetime(3) NOT NULL,
      queued_at datetime(3) NULL, queued_run varchar(40) NULL, INDEX (requested_at), INDEX (queued_at))`);
  }

  async down(runner: Runner): Promise<void> {
    await runner.query('DROP TABLE interest_update_request');
  }
}

let database: SubgraphDataSource;
let redis: ScratchRedis;
let queue: JobQueue<'update-interest'>;
let store: InterestRequestStore;
let outbox: JobOutbox<InterestRequest>;

const waiting = async () => (await queue.getJobs(['waiting', 'delayed'])).map((job) => job.data.userId).sort();
const rows = () =>
  database.dataSource.query<{ userId: string; queued: string | null }[]>(
    'SELECT user_id AS userId, queued_run AS queued FROM interest_update_request ORDER BY user_id',
  );
const request = (userId: string, at: Date) => database.dataSource.transaction((manager) => store.request(manager, userId, at));

beforeAll(async () => {
  await createTestDatabases(settings, ['recommendation']);
  database = await openDataSource({ settings, owner: 'recommendation', entities: [], migrations: [OutboxTable1700000000000] });
  redis = await ScratchRedis.start();
  queue = openQueue(QueueName.InterestUpdate, { redisUrl: redis.url, prefix: 't_outbox' });
  store = new InterestRequestStore(database.dataSource);
  outbox = new JobOutbox(store, (requests) => Promise.all(requests.map((each) => enqueueUpdateInterest(queue, each.userId, { debounceMs: 60_000 }))), {
    name: '[test] interest updates',
    timeoutMs: 2_000,
    staleAfterMs: 0,
    redisRun: () => redisRunId(queue.client),
    retainMs: 60_000,
  });
}, 30_000);

afterAll(async () => {
  await queue?.close();
  await redis?.stop();
  await database?.dataSource.destroy();
  await dropTestDatabases(settings, ['recommendation']);
});

describe('JobOutbox across a Redis restart', () => {
  it('keeps queued requests, queues again what a restarted Redis lost, once, and removes them after the retention', async () => {
    const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const before = new Date(Date.now() - 1_000);
    await outbox.deliver([await request(a, before)]);
    await request(b, before);
    const firstRun = await redisRunId(queue.client);
    // Delivered: kept, marked with the run that took it; b (never delivered) is still due.
    expect(await rows()).toEqual([
      { userId: a, queued: firstRun },
      { userId: b, queued: null },
    ]);
    expect(await waiting()).toEqual([a]);

    // Redis comes back empty: a's job is gone with it.
    await redis.restart();
    expect(await waiting()).toEqual([]);
    const secondRun = await redisRunId(queue.client);
    expect(secondRun).not.toBe(firstRun);

    expect(await outbox.sweep()).toBe(2);
    expect(await waiting()).toEqual([a, b]);
    expect(await rows()).toEqual([
      { userId: a, queued: secondRun },
      { userId: b, queued: secondRun },
    ]);
    // Nothing is due any more: a second sweep queues nothing.
    expect(await outbox.sweep()).toBe(0);

    // Written again after being queued: due again (its job may have run before this write).
    await request(a, new Date());
    expect(await rows()).toEqual([
      { userId: a, queued: null },
      { userId: b, queued: secondRun },
    ]);

    // Past the retention, queued requests go; the one due stays (and is queued by this sweep).
    const later = new Date(Date.now() + 120_000);
    expect(await outbox.sweep(later)).toBe(1);
    expect(await rows()).toEqual([{ userId: a, queued: secondRun }]);
  }, 30_000);
});
