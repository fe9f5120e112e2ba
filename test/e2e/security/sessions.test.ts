/**
 * Issue 18, item 4, as an attacker (or a careless device) would try it against the running
 * platform: a signed-out token used again, a copied refresh token replayed, an admin demoted while
 * holding an admin token, a forgotten shopper's token kept, a subscription left open after sign-out.
 * Each attempt must be refused with its code and write nothing.
 */
import { errorCodes } from '@serendip/testing';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { gatewayWsClient } from '../../../gateway/test/support/ws-client';
import { admin, gatewayClient, signIn, signUp } from '../../support/gateway';
import { readStack } from '../../support/stack-env';
import { stackDatabase, stackSql } from '../../support/stack-sql';

const REFRESH = 'mutation ($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { token refreshToken user { roles } } }';
const CREATE_CATEGORY = 'mutation ($name: String!) { createCategory(input: { name: $name }) { id } }';
type Refreshed = { refreshSession: { token: string; refreshToken: string; user: { roles: string[] } } };

let sql: Connection;

beforeAll(async () => {
  sql = await stackSql();
});

afterAll(async () => {
  await sql.end();
});

async function count(query: string, values: unknown[] = []): Promise<number> {
  const [rows] = await sql.query<({ n: number } & RowDataPacket)[]>(query, values);
  return Number(rows[0]!.n);
}

const categories = () => count(`SELECT COUNT(*) AS n FROM ${stackDatabase('catalogue')}.category`);
const eventsOf = (userId: string) => count(`SELECT COUNT(*) AS n FROM ${stackDatabase('recommendation')}.behaviour_event WHERE user_id = ?`, [userId]);

/** The 401 the gateway answers a revoked token with: the client should refresh it. */
function expectRevoked(response: { status: number; errors?: { extensions?: Record<string, unknown> }[] }) {
  expect(response.status).toBe(401);
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
}

const track = (call: ReturnType<typeof gatewayClient>, id: string) =>
  call('mutation ($id: String!) { trackEvents(events: [{ type: SEARCH, query: "sessions", sessionId: "s", clientEventId: $id }]) { accepted } }', { id });

describe('4. tokens can be revoked', () => {
  it('sign-out ends the token at once: requests, refreshes and an open subscription', async () => {
    const shopper = await signUp();
    const client = gatewayWsClient(readStack().gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    try {
      const live = client.iterate({ query: 'subscription { recommendationsUpdated { recommendationId } }' });
      const first = await live.next();
      expect((first.value as { errors?: unknown }).errors).toBeUndefined();

      expect((await shopper.call<{ signOut: boolean }>('mutation { signOut }')).data?.signOut).toBe(true);
      // The subscription closes with 4401 rather than going on pushing to a signed-out page.
      await expect(live.next()).rejects.toMatchObject({ code: 4401, reason: expect.stringMatching(/revoked/) });

      const before = await eventsOf(shopper.userId);
      expectRevoked(await track(shopper.call, 'after-sign-out'));
      expect(await eventsOf(shopper.userId)).toBe(before);
      expect(errorCodes(await gatewayClient()(REFRESH, { refreshToken: shopper.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    } finally {
      await client.dispose();
    }
  });

  it('a refresh token works once: replaying a copied one ends the session for both holders', async () => {
    const shopper = await signUp();
    const refreshed = await gatewayClient()<Refreshed>(REFRESH, { refreshToken: shopper.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    const owner = gatewayClient(refreshed.data!.refreshSession.token);
    expect((await track(owner, 'fresh')).errors).toBeUndefined();

    // The thief replays the refresh token they copied before the owner used it.
    expect(errorCodes(await gatewayClient()(REFRESH, { refreshToken: shopper.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    const before = await eventsOf(shopper.userId);
    expectRevoked(await track(owner, 'after-theft'));
    expect(errorCodes(await gatewayClient()(REFRESH, { refreshToken: refreshed.data!.refreshSession.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(await eventsOf(shopper.userId)).toBe(before);
  });

  it('a demoted admin loses the role at once, without signing in again', async () => {
    const email = `demoted-${Date.now()}@e2e.serendip.test`;
    await signUp(email);
    const boss = await admin();
    expect((await boss.call('mutation ($email: String!) { grantAdmin(email: $email) { id } }', { email })).errors).toBeUndefined();
    const promoted = await signIn(email);
    expect((await promoted.call(CREATE_CATEGORY, { name: `Made by a new admin ${Date.now()}` })).errors).toBeUndefined();

    expect((await boss.call('mutation ($email: String!) { revokeAdmin(email: $email) { id } }', { email })).errors).toBeUndefined();
    const before = await categories();
    expectRevoked(await promoted.call(CREATE_CATEGORY, { name: 'Made by a demoted admin' }));
    // Refreshing gives a token with the roles the account has now.
    const refreshed = await gatewayClient()<Refreshed>(REFRESH, { refreshToken: promoted.refreshToken });
    expect(refreshed.data?.refreshSession.user.roles).toEqual(['shopper']);
    const demoted = gatewayClient(refreshed.data!.refreshSession.token);
    expect(errorCodes(await demoted(CREATE_CATEGORY, { name: 'Made by a demoted admin' }))).toEqual(['FORBIDDEN']);
    expect(await categories()).toBe(before);
  });

  it("a forgotten shopper's token and refresh token stop at once: forgetMe does not run twice", async () => {
    const shopper = await signUp();
    expect((await track(shopper.call, 'before')).errors).toBeUndefined();
    const forgotten = await shopper.call<{ forgetMe: { userId: string } }>('mutation { forgetMe { userId } }');
    expect(forgotten.data?.forgetMe.userId).toBe(shopper.userId);

    expectRevoked(await shopper.call('mutation { forgetMe { userId } }'));
    expectRevoked(await track(shopper.call, 'after'));
    expectRevoked(await shopper.call('{ me { id } }'));
    expect(errorCodes(await gatewayClient()(REFRESH, { refreshToken: shopper.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(await eventsOf(shopper.userId)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM ${stackDatabase('user')}.user_session WHERE user_id = ?`, [shopper.userId])).toBe(0);
  });

  it('sign-out everywhere ends every device', async () => {
    const shopper = await signUp();
    const email = (await shopper.call<{ me: { email: string } }>('{ me { email } }')).data!.me.email;
    const laptop = await signIn(email);
    expect((await shopper.call<{ signOutEverywhere: number }>('mutation { signOutEverywhere }')).data?.signOutEverywhere).toBe(2);
    for (const device of [shopper, laptop]) {
      expectRevoked(await device.call('{ me { id } }'));
      expect(errorCodes(await gatewayClient()(REFRESH, { refreshToken: device.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    }
    // Signing in again works, with a token the raised version does not revoke.
    const again = await signIn(email);
    expect((await again.call<{ me: { id: string } }>('{ me { id } }')).data?.me.id).toBe(shopper.userId);
  });
});
