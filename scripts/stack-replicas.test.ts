import { databaseName, openAdminConnection } from '@serendip/db';
import type { Identity } from '@serendip/federation';
import { metricValue, postGraphQL, subgraphClient } from '@serendip/testing';
import type { FormattedExecutionResult } from 'graphql';
import { randomUUID } from 'node:crypto';
// graphql-ws and ws are dependencies of the gateway: borrow its test client.
import { gatewayWsClient } from '../gateway/test/support/ws-client';
import { assignmentDraw, pickArm } from '../packages/recsys/src';
import { benchStack } from '../test/bench/harness';
import { withAdminRoles } from '../subgraphs/user/src';
import { setUpDatabases } from './db-setup';
import { LOOPBACK_CLIENT_LIMITS, replicaName, startStack, type RunningStack } from './stack';

/**
 * The platform with two recommendation replicas and two workers behind one gateway, as real
 * processes: what a replica learns or serves reaches the other through MariaDB and Redis, so a
 * live push, bandit statistics, experiment arms and interest updates come out the same whichever
 * replica a call reaches. Calls go through the gateway where the replica does not matter, and
 * straight to a named replica (signed as the gateway signs) where it does.
 */

// Seven processes (two workers loading models) started on a shared 2-core machine, then the checks.
jest.setTimeout(120_000);

const stackOf = benchStack(25_000, {
  ...LOOPBACK_CLIENT_LIMITS,
  // Statistics reach the database, and experiments every replica, within a fraction of a second.
  BANDIT_FLUSH_MS: '200',
  EXPERIMENT_REFRESH_MS: '200',
  SEGMENT_REFRESH_MS: '0',
});
const REPLICAS = [1, 2].map((k) => replicaName('recommendation', k));
const WORKERS = [1, 2].map((k) => replicaName('worker', k));
let stack: RunningStack | null = null;
const log: string[] = [];
let adminToken = '';
const productIds: string[] = [];

type Slate = { recommendationId: string; experiment: { id: string; arm: string } | null; items: { product: { id: string } }[] };
const SLATE_FIELDS = 'recommendationId experiment { id arm } items { product { id } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';

const portOf = (name: string): number => {
  const spec = stack!.processes.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no process ${name} in the stack`);
  return spec.port;
};
const metricsOf = async (name: string): Promise<string> => (await fetch(`http://127.0.0.1:${portOf(name)}/metrics`)).text();

/** A call straight to one recommendation replica as `userId`, signed as the gateway signs. */
async function direct<T>(replica: string, userId: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const identity: Identity = { userId, roles: ['shopper'] };
  const response = await subgraphClient(`http://127.0.0.1:${portOf(replica)}/graphql`, stackOf.env.GATEWAY_SECRET)<T>(query, variables, identity);
  if (!response.data) throw new Error(`${replica}: ${JSON.stringify(response.errors)}`);
  return response.data;
}

async function gateway<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await postGraphQL<T>(stackOf.gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

let shoppers = 0;
async function signUp(): Promise<{ userId: string; token: string }> {
  const { signUp: account } = await gateway<{ signUp: { token: string; user: { id: string } } }>(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
    { input: { email: `replicas${(shoppers += 1)}@serendip.test`, password: 'replicas-password', displayName: `Shopper ${shoppers}` } },
  );
  return { userId: account.user.id, token: account.token };
}

const click = (productId: string, recommendationId: string) => ({
  type: 'CLICK',
  productId,
  recommendationId,
  sessionId: 'replicas',
  clientEventId: randomUUID(),
});

/** Reads until `done` holds (every 200 ms), failing with the last value read after `ms`. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function recommendationSql<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await openAdminConnection(stackOf.settings);
  try {
    await connection.query(`USE \`${databaseName(stackOf.settings, 'recommendation')}\``);
    const [rows] = await connection.query(sql, values);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  await setUpDatabases(stackOf.settings);
  stack = await startStack({
    env: stackOf.env,
    ports: stackOf.ports,
    replicas: { recommendation: 2, worker: 2 },
    onOutput: (name, line) => log.push(`[${name}] ${line}`),
  }).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${log.slice(-30).join('\n')}`);
  });
  const account = { email: 'replicas-admin@serendip.test', password: 'replicas-password' };
  await gateway('mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', { input: { ...account, displayName: 'Admin' } });
  await withAdminRoles(stackOf.settings, (roles) => roles.grant(account.email));
  adminToken = (
    await gateway<{ signIn: { token: string } }>(
      'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
      account,
    )
  ).signIn.token;
  const { createCategory } = await gateway<{ createCategory: { id: string } }>(
    'mutation { createCategory(input: { name: "Replicas" }) { id } }',
    {},
    adminToken,
  );
  for (let index = 0; index < 12; index += 1) {
    const { createProduct } = await gateway<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `REPLICA-${index}`, title: `Replica lantern ${index}`, categoryId: createCategory.id, price: 10 + index, currency: 'EUR' } },
      adminToken,
    );
    productIds.push(createProduct.id);
  }
  // Engagement by someone else makes every product trend, so every slate below is full.
  const seeder = await signUp();
  await gateway(
    TRACK,
    { events: productIds.map((productId, index) => ({ type: 'VIEW', productId, sessionId: 'seed', clientEventId: `seed-${index}` })) },
    seeder.token,
  );
});

afterAll(async () => {
  await stack?.stop();
  await stackOf.dropData();
});

describe('two recommendation replicas and two workers behind one gateway', () => {
  it('runs every replica as its own process, and the gateway sends slate queries to both replicas in turn', async () => {
    const pids = [...REPLICAS, ...WORKERS].map((name) => stack!.children.get(name)?.pid);
    expect(new Set(pids).size).toBe(4);
    expect(stack!.processes.find((spec) => spec.name === 'gateway')?.env?.RECOMMENDATION_URL).toBe(
      REPLICAS.map((name) => `http://127.0.0.1:${portOf(name)}/graphql`).join(','),
    );
    const shopper = await signUp();
    const querySlates = async () =>
      Promise.all(REPLICAS.map(async (name) => metricValue(await metricsOf(name), 'serendip_slate_duration_seconds_count', { source: 'query' }) || 0));
    const before = await querySlates();
    for (let i = 0; i < 4; i += 1) await gateway('{ recommendations(slot: HOME, first: 3) { recommendationId } }', {}, shopper.token);
    const after = await querySlates();
    expect(after.map((count, index) => count - before[index]!)).toEqual([2, 2]);
  });

  it('pushes a live slate from the replica holding the subscription when the shopper’s event reached the other one', async () => {
    // No events of their own yet: no interest update is on its way that could push first.
    const shopper = await signUp();
    const subscriptionSlates = async () =>
      Promise.all(REPLICAS.map(async (name) => metricValue(await metricsOf(name), 'serendip_slate_duration_seconds_count', { source: 'subscription' }) || 0));
    const before = await subscriptionSlates();
    const client = gatewayWsClient(stackOf.gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    const events = client.iterate<{ recommendationsUpdated: { recommendationId: string } }>({
      query: 'subscription { recommendationsUpdated(slot: HOME) { recommendationId } }',
    });
    // Bounded, so a push that never comes fails here and names itself.
    const next = async (what: string): Promise<FormattedExecutionResult<{ recommendationsUpdated: { recommendationId: string } }, unknown>> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within 20 s`)), 20_000);
      });
      try {
        const result = await Promise.race([events.next(), timeout]);
        if (result.done) throw new Error('the subscription completed');
        return result.value;
      } finally {
        clearTimeout(timer);
      }
    };
    try {
      const first = await next('first slate');
      expect(first.errors).toBeUndefined();
      // The replica that computed the first slate holds the subscription (and the shopper's channel).
      const afterFirst = await subscriptionSlates();
      const holding = afterFirst.findIndex((count, index) => count > before[index]!);
      expect(afterFirst.map((count, index) => count - before[index]!).sort()).toEqual([0, 1]);
      const other = REPLICAS[1 - holding]!;

      const tracked = await direct<{ trackEvents: { accepted: number } }>(other, shopper.userId, TRACK, {
        events: [{ type: 'VIEW', productId: productIds[0], sessionId: 'live', clientEventId: 'live-view' }],
      });
      expect(tracked.trackEvents.accepted).toBe(1);
      // A worker updates the shopper's interests and announces it on Redis; the holding replica pushes.
      const pushed = await next('push after the event');
      expect(pushed.errors).toBeUndefined();
      expect(pushed.data!.recommendationsUpdated.recommendationId).not.toBe(first.data!.recommendationsUpdated.recommendationId);
      const afterPush = await subscriptionSlates();
      expect(afterPush[holding]! - before[holding]!).toBe(2);
      expect(afterPush[1 - holding]).toBe(before[1 - holding]);
    } finally {
      await events.return?.();
      await client.dispose();
    }
  });

  it('adds up the bandit statistics of both replicas: impressions and clicks in arm_stat are what both served and were clicked', async () => {
    const impressions = new Map<string, number>();
    const clicks = new Map<string, number>();
    const group = await Promise.all(Array.from({ length: 6 }, () => signUp()));
    for (const shopper of group) {
      const clicked = new Set<string>();
      for (const [index, replica] of REPLICAS.entries()) {
        const { recommendations: slate } = await direct<{ recommendations: Slate }>(
          replica,
          shopper.userId,
          `{ recommendations(slot: PRODUCT, first: 5) { ${SLATE_FIELDS} } }`,
        );
        expect(slate.items.length).toBeGreaterThan(0);
        for (const item of slate.items) impressions.set(item.product.id, (impressions.get(item.product.id) ?? 0) + 1);
        // Each shopper clicks two products not clicked before, reported to the replica that did not serve the slate.
        const chosen = slate.items
          .map((item) => item.product.id)
          .filter((id) => !clicked.has(id))
          .slice(0, 2);
        for (const id of chosen) {
          clicked.add(id);
          clicks.set(id, (clicks.get(id) ?? 0) + 1);
        }
        const tracked = await direct<{ trackEvents: { accepted: number } }>(REPLICAS[1 - index]!, shopper.userId, TRACK, {
          events: chosen.map((id) => click(id, slate.recommendationId)),
        });
        expect(tracked.trackEvents.accepted).toBe(chosen.length);
      }
    }
    const expected = [...impressions].map(([productId, shown]) => ({ productId, impressions: shown, clicks: clicks.get(productId) ?? 0 }));
    expected.sort((x, y) => x.productId.localeCompare(y.productId));
    const read = async () =>
      (
        await recommendationSql<{ productId: string; impressions: number; clicks: number }>(
          "SELECT CAST(product_id AS CHAR) AS productId, impressions, clicks FROM arm_stat WHERE slot = 'PRODUCT' ORDER BY productId",
        )
      ).map((row) => ({ productId: row.productId, impressions: Number(row.impressions), clicks: Number(row.clicks) }));
    // Each replica adds what it counted once per flush (BANDIT_FLUSH_MS): wait for both.
    const stored = await waitFor('arm_stat holding both replicas’ counts', read, (rows) => JSON.stringify(rows) === JSON.stringify(expected), 15_000);
    expect(stored).toEqual(expected);
  });

  it('enrols a shopper in the same arm of an experiment whichever replica serves them, and counts both replicas’ slates in its results', async () => {
    const { createExperiment } = await gateway<{ createExperiment: { id: string } }>(
      'mutation ($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }',
      {
        input: {
          name: 'replicas',
          slot: 'CART',
          primaryMetric: 'CTR',
          arms: [
            { name: 'left', policy: 'EPSILON_GREEDY', exploration: 0.5 },
            { name: 'right', policy: 'EPSILON_GREEDY', exploration: 0.5 },
          ],
        },
      },
      adminToken,
    );
    const experimentId = createExperiment.id;
    await gateway('mutation ($id: ID!) { startExperiment(id: $id) { status } }', { id: experimentId }, adminToken);
    const group = await Promise.all(Array.from({ length: 8 }, () => signUp()));
    const cartSlate = async (replica: string, userId: string) =>
      (await direct<{ recommendations: Slate }>(replica, userId, `{ recommendations(slot: CART, first: 4) { ${SLATE_FIELDS} } }`)).recommendations;
    // The start was one replica's write; each replica reads running experiments every EXPERIMENT_REFRESH_MS.
    // The probes' own experiment slates count in the results below.
    let slates = 0;
    let impressions = 0;
    for (const replica of REPLICAS) {
      const probe = await waitFor(
        `${replica} serving the experiment`,
        () => cartSlate(replica, group[0]!.userId),
        (slate) => slate.experiment?.id === experimentId,
        10_000,
      );
      slates += 1;
      impressions += probe.items.length;
    }

    const arms = new Map<string, string>();
    for (const shopper of group) {
      const served = [await cartSlate(REPLICAS[0]!, shopper.userId), await cartSlate(REPLICAS[1]!, shopper.userId)];
      // The arm comes from the hash of experiment and shopper, the same on every replica.
      const arm = ['left', 'right'][pickArm(assignmentDraw(experimentId, shopper.userId), [0.5, 0.5])];
      expect(served.map((slate) => slate.experiment)).toEqual([
        { id: experimentId, arm },
        { id: experimentId, arm },
      ]);
      arms.set(shopper.userId, served[0]!.experiment!.arm);
      slates += served.length;
      impressions += served.reduce((sum, slate) => sum + slate.items.length, 0);
    }
    const { experimentResults } = await gateway<{
      experimentResults: { arms: { arm: { name: string }; shoppers: number; slates: number; impressions: number }[] };
    }>('query ($id: ID!) { experimentResults(id: $id) { arms { arm { name } shoppers slates impressions } } }', { id: experimentId }, adminToken);
    expect(experimentResults.arms.map((arm) => [arm.arm.name, arm.shoppers])).toEqual(
      ['left', 'right'].map((name) => [name, [...arms.values()].filter((arm) => arm === name).length]),
    );
    expect(experimentResults.arms.reduce((sum, arm) => sum + arm.slates, 0)).toBe(slates);
    expect(experimentResults.arms.reduce((sum, arm) => sum + arm.impressions, 0)).toBe(impressions);
  });

  it('has the two workers process the interest updates both replicas queue, none lost', async () => {
    const completed = async () =>
      Promise.all(
        WORKERS.map(async (name) => metricValue(await metricsOf(name), 'serendip_worker_jobs_total', { queue: 'interest-update', outcome: 'completed' }) || 0),
      );
    const before = await completed();
    const group = await Promise.all(Array.from({ length: 12 }, () => signUp()));
    const startedAt = new Date(Date.now() - 1000);
    await Promise.all(
      group.map((shopper, index) =>
        direct(REPLICAS[index % 2]!, shopper.userId, TRACK, {
          events: [{ type: 'VIEW', productId: productIds[index % productIds.length], sessionId: 'jobs', clientEventId: 'jobs-view' }],
        }),
      ),
    );
    const profiles = await waitFor(
      'an interest profile for every shopper',
      () =>
        recommendationSql<{ userId: string }>('SELECT user_id AS userId FROM interest_profile WHERE user_id IN (?) AND updated_at >= ?', [
          group.map((s) => s.userId),
          startedAt,
        ]),
      (rows) => rows.length === group.length,
    );
    expect(new Set(profiles.map((row) => row.userId))).toEqual(new Set(group.map((shopper) => shopper.userId)));
    // A worker stores the profile before it counts its job completed: wait for the counts too.
    const after = await waitFor(
      'both workers to count the interest updates completed',
      completed,
      (counts) => counts[0]! - before[0]! + (counts[1]! - before[1]!) >= group.length,
    );
    const done = after.map((count, index) => count - before[index]!);
    expect(done[0]! + done[1]!).toBeGreaterThanOrEqual(group.length);
    expect(done.every((count) => count > 0)).toBe(true);
  });
});
