import { commonEnv, loadConfig, z } from '@serendip/config';
import { PubSubProbe } from '@serendip/testing';
import type { FormattedExecutionResult } from 'graphql';
import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
// graphql-ws and ws are dependencies of the gateway, not of this package: borrow its test client.
import { gatewayWsClient } from '../../gateway/test/support/ws-client';
import { Topic } from '../../packages/jobs/src/topics';
import { admin as signInAdmin, signUp } from '../support/gateway';
import { readStack } from '../support/stack-env';

interface Slate {
  recommendationId: string;
  slot: string;
  policy: string;
  generatedAt: string;
  items: { score: number; reason: string; product: { id: string; title: string; price: number; category: { name: string } } }[];
}
type SlateData = { recommendationsUpdated: Slate };

const LIVE_SLATE = `subscription ($slot: RecommendationSlot) {
  recommendationsUpdated(slot: $slot) {
    recommendationId slot policy generatedAt
    items { score reason product { id title price category { name } } }
  }
}`;

const stack = readStack();
const { REDIS_URL } = loadConfig('e2e subscriptions', z.object(commonEnv), { ...process.env, ...stack.env });
const channelOf = (userId: string) => Topic.recommendationsUpdated(userId, stack.env.PUBSUB_PREFIX);
const run = randomBytes(3).toString('hex');
/** This file's products, engaged with by a crowd so that they trend. */
const productIds: string[] = [];
let probe: PubSubProbe;

async function track(shopper: Awaited<ReturnType<typeof signUp>>, events: { type: string; productId: string }[]): Promise<void> {
  const tracked = await shopper.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', {
    events: events.map((event, index) => ({ ...event, sessionId: 'live', clientEventId: `live-${event.type}-${index}` })),
  });
  expect(tracked.errors).toBeUndefined();
}

/** A fresh shopper who viewed one of this file's products. */
async function viewingShopper() {
  const shopper = await signUp();
  await track(shopper, [{ type: 'VIEW', productId: productIds[0]! }]);
  return shopper;
}

/** The slate has products, each filled in by the gateway exactly as the catalogue describes it. */
async function expectCatalogueFields(slate: Slate, call: Awaited<ReturnType<typeof signUp>>['call']): Promise<void> {
  expect(slate.items.length).toBeGreaterThan(0);
  const ids = slate.items.map((item) => item.product.id);
  const query = `{ ${ids.map((id, index) => `p${index}: product(id: ${JSON.stringify(id)}) { id title price category { name } }`).join(' ')} }`;
  const catalogue = await call<Record<string, Slate['items'][number]['product']>>(query);
  expect(catalogue.errors).toBeUndefined();
  expect(slate.items.map((item) => item.product)).toEqual(ids.map((_, index) => catalogue.data![`p${index}`]));
}

async function nextResult<T>(events: AsyncIterator<FormattedExecutionResult<T, unknown>, unknown>): Promise<FormattedExecutionResult<T, unknown>> {
  const result = await events.next();
  if (result.done) throw new Error('the subscription completed');
  return result.value;
}

/** The first `next` event of a server-sent event stream. */
async function firstSseEvent(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<unknown> {
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended; unread: ${text}`);
    text += decoder.decode(value, { stream: true });
    for (const block of text.split('\n\n').slice(0, -1)) {
      const lines = block.split('\n');
      if (lines.includes('event: next')) {
        return JSON.parse(
          lines
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n'),
        );
      }
    }
  }
}

beforeAll(async () => {
  probe = new PubSubProbe(REDIS_URL);
  const admin = await signInAdmin();
  const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
    name: `Live ${run}`,
  });
  const categoryId = category.data!.createCategory.id;
  for (const [index, title] of ['Live trail map', 'Live head torch', 'Live bivvy bag'].entries()) {
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `E2E-LIVE-${run}-${index}`, title, categoryId, price: 20 + index, currency: 'EUR', tags: ['e2e'] },
    });
    if (!product.data) throw new Error(JSON.stringify(product.errors));
    productIds.push(product.data.createProduct.id);
  }
  // Other shoppers' engagement makes them popular, so every slate below has products to show.
  await track(await signUp(), [
    { type: 'VIEW', productId: productIds[0]! },
    { type: 'PURCHASE', productId: productIds[1]! },
    { type: 'CART', productId: productIds[2]! },
  ]);
});

afterAll(async () => {
  await probe.close();
});

describe('recommendationsUpdated through the gateway', () => {
  it('pushes the current slate over WebSocket, then a fresh one when the shopper’s channel is notified', async () => {
    const shopper = await viewingShopper();
    const client = gatewayWsClient(stack.gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    const events = client.iterate<SlateData>({ query: LIVE_SLATE });
    try {
      const first = await nextResult(events);
      expect(first.errors).toBeUndefined();
      const initial = first.data!.recommendationsUpdated;
      expect(initial.slot).toBe('HOME');
      await expectCatalogueFields(initial, shopper.call);

      const bought = initial.items[0]!.product.id;
      // The worker recomputes the shopper's interests and announces it; the subgraph pushes a new slate.
      await track(shopper, [{ type: 'PURCHASE', productId: bought }]);

      // The interest update queued by the shopper's first view may announce itself after the
      // subscription opened, and its push can be computed before the purchase was recorded: such a
      // slate is skipped. A push after the purchase must come, and must leave the bought product out.
      let updated: Slate | null = null;
      for (let pushes = 0; pushes < 3 && !updated; pushes++) {
        const next = await nextResult(events);
        expect(next.errors).toBeUndefined();
        const slate = next.data!.recommendationsUpdated;
        expect(slate.recommendationId).not.toBe(initial.recommendationId);
        if (!slate.items.some((item) => item.product.id === bought)) updated = slate;
      }
      expect(updated).not.toBeNull();
      await expectCatalogueFields(updated!, shopper.call);
    } finally {
      await events.return?.();
      await client.dispose();
    }
  });

  it('pushes a slate with products of a category new to the shopper after they engage with it, through the worker', async () => {
    const admin = await signInAdmin();
    const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
      name: `Climbing ${run}`,
    });
    const climbing: string[] = [];
    for (const [index, title] of [
      'Dynamic climbing rope 60 m',
      'Climbing harness, adjustable',
      'Climbing chalk bag',
      'Belay device for climbing ropes',
    ].entries()) {
      const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
        input: { sku: `E2E-CLIMB-${run}-${index}`, title, categoryId: category.data!.createCategory.id, price: 30 + index, currency: 'EUR', tags: [] },
      });
      climbing.push(product.data!.createProduct.id);
    }
    const shopper = await signUp();
    const client = gatewayWsClient(stack.gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    const events = client.iterate<{
      recommendationsUpdated: { items: { source: string; product: { id: string; title: string; category: { name: string } } }[] };
    }>({
      query: `subscription { recommendationsUpdated(slot: HOME) { items { source product { id title category { name } } } } }`,
    });
    try {
      expect((await nextResult(events)).errors).toBeUndefined();
      await track(shopper, [
        { type: 'VIEW', productId: climbing[0]! },
        { type: 'CART', productId: climbing[0]! },
      ]);
      // The new products reach the recommendation index within seconds of being embedded; until
      // they do, a slate cannot hold them, so the test nudges a recomputation now and then.
      const deadline = Date.now() + 40_000;
      let nudged = Date.now();
      // One read outstanding at a time: a second would take the slate the first is waiting for.
      let pending = nextResult(events);
      // Closing the subscription below ends the read still outstanding then.
      const settle = () => pending.catch(() => undefined);
      for (;;) {
        if (Date.now() > deadline) throw new Error('no slate with climbing products from the shopper’s interest arrived');
        const next = await Promise.race([pending, new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000))]);
        if (next) {
          pending = nextResult(events);
          expect(next.errors).toBeUndefined();
          const items = next.data!.recommendationsUpdated.items;
          const found = items.filter((item) => item.source === 'interest' && item.product.category.name === `Climbing ${run}`);
          if (found.length > 0) {
            expect(items.map((item) => item.product.id)).not.toContain(climbing[0]);
            expect(climbing.slice(1)).toEqual(expect.arrayContaining(found.map((item) => item.product.id)));
            void settle();
            break;
          }
        }
        if (Date.now() - nudged > 4_000) {
          await probe.publish(channelOf(shopper.userId));
          nudged = Date.now();
        }
      }
    } finally {
      await events.return?.();
      await client.dispose();
    }
  }, 60_000);

  it('refuses a session token that is not valid at connection init, and an anonymous subscription with UNAUTHENTICATED', async () => {
    const forged = gatewayWsClient(stack.gatewayUrl, { authorization: 'Bearer not-a-session-token' });
    try {
      await expect(forged.iterate({ query: LIVE_SLATE }).next()).rejects.toMatchObject({ code: 4401, reason: 'Session token is not valid' });
    } finally {
      await forged.dispose();
    }
    const anonymous = gatewayWsClient(stack.gatewayUrl);
    try {
      const refused = await nextResult(anonymous.iterate({ query: LIVE_SLATE }));
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await anonymous.dispose();
    }
  });

  it('serves the subscription as server-sent events and releases the channel when the client goes', async () => {
    const shopper = await viewingShopper();
    const abort = new AbortController();
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${shopper.token}` },
      body: JSON.stringify({ query: LIVE_SLATE, variables: { slot: 'PRODUCT' } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const event = (await firstSseEvent(response.body!.getReader())) as { data?: SlateData; errors?: unknown };
    expect(event.errors).toBeUndefined();
    expect(event.data!.recommendationsUpdated.slot).toBe('PRODUCT');
    await expectCatalogueFields(event.data!.recommendationsUpdated, shopper.call);
    expect(await probe.subscribers(channelOf(shopper.userId))).toBe(1);

    abort.abort();
    await probe.untilSubscribers(channelOf(shopper.userId), 0);
  });

  it('unsubscribes the subgraph from the shopper’s channel when a WebSocket client vanishes', async () => {
    const shopper = await viewingShopper();
    let socket: WebSocket | undefined;
    const client = gatewayWsClient(stack.gatewayUrl, { authorization: `Bearer ${shopper.token}` }, (connected) => {
      socket = connected as WebSocket;
    });
    try {
      const first = await nextResult(client.iterate<SlateData>({ query: LIVE_SLATE }));
      expect(first.data?.recommendationsUpdated.slot).toBe('HOME');
      expect(await probe.subscribers(channelOf(shopper.userId))).toBe(1);

      // No close handshake, no `complete`: the connection just drops.
      socket!.terminate();
      await probe.untilSubscribers(channelOf(shopper.userId), 0);
    } finally {
      await client.dispose();
    }
  });
});
