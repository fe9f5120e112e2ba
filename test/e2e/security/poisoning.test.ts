import { randomBytes, randomUUID } from 'node:crypto';
import { ORDER_SIGNATURE_HEADER, ORDER_TIMESTAMP_HEADER, ORDER_WEBHOOK_PATH, signOrder } from '@serendip/federation';
import type { RowDataPacket } from 'mysql2/promise';
import { admin as signInAdmin, signUp } from '../../support/gateway';
import { readStack } from '../../support/stack-env';
import { stackDatabase, stackSql } from '../../support/stack-sql';

/**
 * Poisoning the statistics every shopper's recommendations and every experiment read (docs/security.md,
 * section 7), through the gateway: one account's 500 purchases of a product, purchases a client
 * claims as revenue, and orders on the webhook that are forged, stale or replayed.
 */
type Admin = Awaited<ReturnType<typeof signInAdmin>>;
type Shopper = Awaited<ReturnType<typeof signUp>>;

const run = randomBytes(3).toString('hex');
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }';
let admin: Admin;
let categoryId: string;

async function createProduct(title: string, price: number): Promise<string> {
  const created = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
    input: { sku: `E2E-POISON-${run}-${title.replace(/\W/g, '')}`, title, categoryId, price, currency: 'EUR', tags: [] },
  });
  expect(created.errors).toBeUndefined();
  return created.data!.createProduct.id;
}

async function track(shopper: Shopper, events: Record<string, unknown>[]): Promise<void> {
  const response = await shopper.call<{ trackEvents: { accepted: number } }>(TRACK, { events });
  expect(response.errors).toBeUndefined();
  expect(response.data!.trackEvents.accepted).toBe(events.length);
}

async function sql<T extends RowDataPacket>(query: string, params: unknown[]): Promise<T[]> {
  const connection = await stackSql();
  try {
    const [rows] = await connection.query<T[]>(query.replaceAll('RECOMMENDATION.', `${stackDatabase('recommendation')}.`), params);
    return rows;
  } finally {
    await connection.end();
  }
}

/** What a signed order can have written: the shopper's events, and the order's row. */
async function written(userId: string, orderId: string): Promise<{ events: number; orders: number }> {
  const [row] = await sql<RowDataPacket>(
    `SELECT (SELECT COUNT(*) FROM RECOMMENDATION.behaviour_event WHERE user_id = ?) AS events,
            (SELECT COUNT(*) FROM RECOMMENDATION.shop_order WHERE order_id = ?) AS orders`,
    [userId, orderId],
  );
  return { events: Number(row!.events), orders: Number(row!.orders) };
}

const webhookUrl = () => new URL(ORDER_WEBHOOK_PATH, readStack().gatewayUrl).href;
const now = () => Math.floor(Date.now() / 1000);

/** Posts an order to the gateway's webhook, signed with the shop's secret unless told otherwise. */
async function postOrder(
  body: unknown,
  options: { secret?: string; timestamp?: number; signedBody?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> & { error?: Record<string, unknown> } }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(options.timestamp ?? now());
  const signature = signOrder(options.secret ?? readStack().env.ORDER_WEBHOOK_SECRET!, timestamp, options.signedBody ?? raw);
  const response = await fetch(webhookUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ORDER_TIMESTAMP_HEADER]: timestamp, [ORDER_SIGNATURE_HEADER]: signature },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const order = (userId: string, productId: string, overrides: Record<string, unknown> = {}) => ({
  orderId: `SO-${run}-${randomBytes(3).toString('hex')}`,
  userId,
  items: [{ productId, quantity: 2, unitPrice: 12.5 }],
  occurredAt: new Date().toISOString(),
  ...overrides,
});

beforeAll(async () => {
  admin = await signInAdmin();
  const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
    name: `Poisoning ${run}`,
  });
  expect(category.errors).toBeUndefined();
  categoryId = category.data!.createCategory.id;
}, 30_000);

describe('poisoning shared statistics', () => {
  it("one account's 500 purchases of a product do not lift it over products several shoppers bought once", async () => {
    const pushed = await createProduct('Pushed gadget', 20);
    const liked = await createProduct('Liked gadget', 20);
    const attacker = await signUp();
    for (let batch = 0; batch < 5; batch += 1) {
      await track(
        attacker,
        Array.from({ length: 100 }, (_, i) => ({ type: 'PURCHASE', productId: pushed, sessionId: 'flood', clientEventId: `flood-${batch}-${i}` })),
      );
    }
    // Five shoppers each view and buy the other product once.
    for (let i = 0; i < 5; i += 1) {
      const honest = await signUp();
      await track(honest, [
        { type: 'VIEW', productId: liked, sessionId: 'honest', clientEventId: 'view' },
        { type: 'PURCHASE', productId: liked, sessionId: 'honest', clientEventId: 'buy' },
      ]);
    }

    // Every event is kept, and the attacker's own history shows them; only the shared score is capped.
    const [stored] = await sql<RowDataPacket>('SELECT COUNT(*) AS n FROM RECOMMENDATION.behaviour_event WHERE user_id = ? AND product_id = ?', [
      attacker.userId,
      pushed,
    ]);
    expect(Number(stored!.n)).toBe(500);
    const scores = await sql<RowDataPacket>('SELECT product_id AS productId, score, events FROM RECOMMENDATION.product_popularity WHERE product_id IN (?, ?)', [
      pushed,
      liked,
    ]);
    const score = new Map(scores.map((row) => [String(row.productId), { score: Number(row.score), events: Number(row.events) }]));
    // Two purchases a day count (CONTRIBUTION_CAP_EVENTS): 2 × 5; the honest product 5 × (1 + 5).
    expect(score.get(pushed)).toEqual({ score: 10, events: 2 });
    expect(score.get(liked)).toEqual({ score: 30, events: 10 });

    const newcomer = await signUp();
    const popular = await newcomer.call<{ me: { recommendations: { product: { id: string }; source: string }[] } }>(
      '{ me { recommendations(first: 50) { product { id } source } } }',
    );
    expect(popular.errors).toBeUndefined();
    const ids = popular.data!.me.recommendations.map((item) => item.product.id);
    expect(ids).toContain(liked);
    const position = (id: string) => (ids.includes(id) ? ids.indexOf(id) : Infinity);
    expect(position(liked)).toBeLessThan(position(pushed));
  }, 60_000);
});

describe('purchases as experiment revenue', () => {
  it("a client's PURCHASE is no revenue; the shop's signed order for it is", async () => {
    // Both arms serve HOME's own policy, so other files' shoppers enrolled meanwhile see what they
    // would have anyway. console.test.ts runs a short experiment on HOME too: while it holds the
    // slot, starting answers CONFLICT, and this test tries again.
    const created = await admin.call<{ createExperiment: { id: string } }>(
      'mutation ($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }',
      {
        input: {
          name: `revenue ${run}`,
          slot: 'HOME',
          primaryMetric: 'REVENUE_PER_SHOPPER',
          allocation: 'FIXED',
          arms: [
            { name: 'control', policy: 'THOMPSON', exploration: 0.3 },
            { name: 'same', policy: 'THOMPSON', exploration: 0.3 },
          ],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const experimentId = created.data!.createExperiment.id;
    let started = await admin.call('mutation ($id: ID!) { startExperiment(id: $id) { status } }', { id: experimentId });
    for (let attempt = 0; attempt < 30 && started.errors?.[0]?.extensions?.code === 'CONFLICT'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      started = await admin.call('mutation ($id: ID!) { startExperiment(id: $id) { status } }', { id: experimentId });
    }
    expect(started.errors).toBeUndefined();
    try {
      const shopper = await signUp();
      await createProduct('Something to show', 12.5);
      let slate: { recommendationId: string; experiment: { id: string } | null; items: { product: { id: string } }[] } | undefined;
      // Running experiments reach the subgraph within EXPERIMENT_REFRESH_MS.
      for (let attempt = 0; attempt < 20 && slate?.experiment?.id !== experimentId; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
        const response = await shopper.call<{ recommendations: NonNullable<typeof slate> }>(
          '{ recommendations(slot: HOME, first: 5) { recommendationId experiment { id } items { product { id } } } }',
        );
        expect(response.errors).toBeUndefined();
        slate = response.data!.recommendations;
      }
      expect(slate?.experiment?.id).toBe(experimentId);
      const productId = slate!.items[0]!.product.id;

      // Other files' shoppers may be enrolled meanwhile, but only signed orders are revenue and this
      // file alone sends any to the experiment's slates.
      const revenue = async () => {
        const response = await admin.call<{ experimentResults: { arms: { purchases: number; revenue: number }[] } }>(
          'query ($id: ID!) { experimentResults(id: $id) { arms { purchases revenue } } }',
          { id: experimentId },
        );
        expect(response.errors).toBeUndefined();
        return response.data!.experimentResults.arms.reduce((sum, arm) => sum + arm.revenue, 0);
      };
      expect(await revenue()).toBe(0);
      // The client says the shopper bought it from the slate, twice.
      await track(shopper, [
        { type: 'CLICK', productId, sessionId: 's', clientEventId: 'click', recommendationId: slate!.recommendationId },
        { type: 'PURCHASE', productId, sessionId: 's', clientEventId: 'buy', recommendationId: slate!.recommendationId },
        { type: 'PURCHASE', productId, sessionId: 's', clientEventId: 'buy-again', recommendationId: slate!.recommendationId },
      ]);
      const [claimed] = await sql<RowDataPacket>(
        'SELECT COUNT(*) AS n, COUNT(value) AS valued FROM RECOMMENDATION.behaviour_event WHERE user_id = ? AND type = ? AND verified = 0',
        [shopper.userId, 'PURCHASE'],
      );
      expect({ n: Number(claimed!.n), valued: Number(claimed!.valued) }).toEqual({ n: 2, valued: 0 });
      expect(await revenue()).toBe(0);

      // The shop's server confirms the order: 2 × 12.50, credited to the slate that led to the product.
      const signed = await postOrder(order(shopper.userId, productId));
      expect(signed).toMatchObject({ status: 200, body: { status: 'RECORDED', purchases: 1 } });
      expect(await revenue()).toBe(25);
    } finally {
      await admin.call('mutation ($id: ID!) { stopExperiment(id: $id) { status } }', { id: experimentId });
    }
  }, 60_000);
});

describe('attacks on the order webhook', () => {
  let shopper: Shopper;
  let productId: string;

  beforeAll(async () => {
    shopper = await signUp();
    productId = await createProduct('Webhook kettle', 30);
  }, 30_000);

  it('records a signed order once: a replay, even re-signed with other lines, writes nothing', async () => {
    const body = order(shopper.userId, productId);
    const timestamp = now();
    expect(await postOrder(body, { timestamp })).toMatchObject({ status: 200, body: { status: 'RECORDED', orderId: body.orderId, purchases: 1 } });
    const [purchase] = await sql<RowDataPacket>('SELECT value, verified FROM RECOMMENDATION.behaviour_event WHERE user_id = ? AND type = ?', [
      shopper.userId,
      'PURCHASE',
    ]);
    expect({ value: String(purchase!.value), verified: Number(purchase!.verified) }).toEqual({ value: '25.00', verified: 1 });
    const after = await written(shopper.userId, body.orderId);
    expect(after).toEqual({ events: 1, orders: 1 });

    // The same request again, as captured; then the same order id re-signed with more lines.
    expect(await postOrder(body, { timestamp })).toMatchObject({ status: 200, body: { status: 'DUPLICATE', orderId: body.orderId } });
    const inflated = { ...body, items: [{ productId, quantity: 100, unitPrice: 999 }] };
    expect(await postOrder(inflated)).toMatchObject({ status: 200, body: { status: 'DUPLICATE' } });
    expect(await written(shopper.userId, body.orderId)).toEqual(after);
  });

  it('refuses a forged, stale or tampered order with 401 and writes nothing', async () => {
    const body = order(shopper.userId, productId);
    const before = await written(shopper.userId, body.orderId);
    const refusals = [
      await postOrder(body, { secret: randomBytes(32).toString('hex') }),
      await postOrder(body, { timestamp: now() - 600 }),
      await postOrder(body, { timestamp: now() + 600 }),
      await postOrder({ ...body, items: [{ productId, quantity: 50, unitPrice: 12.5 }] }, { signedBody: JSON.stringify(body) }),
    ];
    expect(refusals.map((refusal) => [refusal.status, refusal.body.error?.code, refusal.body.error?.reason])).toEqual([
      [401, 'UNAUTHENTICATED', 'BAD_SIGNATURE'],
      [401, 'UNAUTHENTICATED', 'STALE_TIMESTAMP'],
      [401, 'UNAUTHENTICATED', 'STALE_TIMESTAMP'],
      [401, 'UNAUTHENTICATED', 'BAD_SIGNATURE'],
    ]);
    const unsigned = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { reason: string } }).error.reason).toBe('MISSING_SIGNATURE');
    expect(await written(shopper.userId, body.orderId)).toEqual(before);
  });

  it('refuses a signed order with bad lines or an unknown product with a coded 4xx and writes nothing', async () => {
    const body = order(shopper.userId, productId);
    const before = await written(shopper.userId, body.orderId);
    const badPrice = await postOrder({ ...body, items: [{ productId, quantity: 1, unitPrice: 'free' }] });
    expect(badPrice).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', field: 'items[0].unitPrice' } } });
    const notJson = await postOrder('orderId=1');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    const unknown = await postOrder({
      ...body,
      items: [
        { productId, quantity: 1, unitPrice: 1 },
        { productId: '999999999', quantity: 1, unitPrice: 1 },
      ],
    });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'NOT_FOUND', field: 'items[1].productId' } } });
    expect(await written(shopper.userId, body.orderId)).toEqual(before);
  });

  it('ignores a signed order of a forgotten shopper: accepted, so the shop stops retrying, and nothing of theirs is kept', async () => {
    const forgotten = await signUp();
    const forgot = await forgotten.call('mutation { forgetMe { userId } }');
    expect(forgot.errors).toBeUndefined();
    const body = order(forgotten.userId, productId);
    expect(await postOrder(body)).toMatchObject({ status: 200, body: { status: 'IGNORED', reason: 'FORGOTTEN' } });
    expect(await written(forgotten.userId, body.orderId)).toEqual({ events: 0, orders: 0 });
    // An unknown shopper id is a shopper with no events yet: it is recorded.
    expect((await postOrder(order(randomUUID(), productId))).body.status).toBe('RECORDED');
  });
});
