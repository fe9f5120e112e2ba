import { type RowDataPacket } from 'mysql2/promise';
import WebSocket from 'ws';
import { gatewayWsClient } from '../../../gateway/test/support/ws-client';
import { signUp } from '../../support/gateway';
import { readStack } from '../../support/stack-env';
import { stackDatabase, stackSql } from '../../support/stack-sql';

type Shopper = Awaited<ReturnType<typeof signUp>>;

/** The shopper's logged slates: what a fan-out of `recommendations` would write. */
async function loggedSlates(userId: string): Promise<number> {
  const sql = await stackSql();
  try {
    const [rows] = await sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${stackDatabase('recommendation')}.recommendation_slate WHERE user_id = ?`, [
      userId,
    ]);
    return Number(rows[0]!.n);
  } finally {
    await sql.end();
  }
}

let shopper: Shopper;

beforeAll(async () => {
  shopper = await signUp();
});

describe('attacks on the gateway: cost, aliases and WebSocket limits', () => {
  it('180 aliased recommendations in one request are refused with QUERY_TOO_COMPLEX and log no slate', async () => {
    const before = await loggedSlates(shopper.userId);
    const fanOut = `{ ${Array.from({ length: 180 }, (_, index) => `r${index}: recommendations(first: 50) { recommendationId }`).join(' ')} }`;
    const response = await shopper.call(fanOut);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.data ?? null).toBeNull();
    expect(await loggedSlates(shopper.userId)).toBe(before);
  });

  it('a search of a hundred products with a hundred reviews each is refused; a page the storefront asks for is not', async () => {
    const deep = await shopper.call('{ searchProducts(text: "dress", first: 100) { product { reviews(first: 100) { nodes { text } } } } }');
    expect(deep.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    const page = await shopper.call<{ searchProducts: unknown[] }>(
      '{ searchProducts(text: "dress", first: 20) { product { id title reviews(first: 5) { nodes { text } } } } }',
    );
    expect(page.errors).toBeUndefined();
    expect(Array.isArray(page.data?.searchProducts)).toBe(true);
  });

  it('an eleventh subscription on one connection is refused with TOO_MANY_SUBSCRIPTIONS while ten run', async () => {
    const client = gatewayWsClient(readStack().gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    try {
      const running = Array.from({ length: 10 }, () => client.iterate({ query: 'subscription { recommendationsUpdated { recommendationId } }' }));
      // Each live subscription answers with a first slate once it runs.
      await Promise.all(running.map((subscription) => subscription.next()));
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription { recommendationsUpdated { recommendationId } }' },
          { next: () => undefined, error: resolve, complete: () => resolve(null) },
        );
      });
      expect(refused).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', maxSubscriptions: 10 } })]);
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('a WebSocket message over the payload cap closes the socket with 1009 (message too big)', async () => {
    const socket = new WebSocket(readStack().gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(100 * 1024) } }));
    expect(await closed).toBe(1009);
  });
});
