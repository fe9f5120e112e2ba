import type { FormattedExecutionResult } from 'graphql';
import { type Connection, type RowDataPacket } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
// graphql-ws and ws are dependencies of the gateway, not of this package: borrow its test client.
import { gatewayWsClient } from '../../../gateway/test/support/ws-client';
import { admin as signInAdmin, signUp } from '../../support/gateway';
import { readStack } from '../../support/stack-env';
import { waitFor } from '../../support/wait';
import { stackSql } from '../../support/stack-sql';

/**
 * Issue 18, items 3 and 5, as attacks through the gateway: each test fails if the attack works.
 * 3. A shopper who withdrew consent is still ranked from their history.
 * 5. An admin raises their own privacy budget by changing the case of their id, releases with a
 *    delta near 1 that nobody budgets, or, with a second admin's grants, spends without limit.
 * Refused requests are checked to have written nothing, by counting the rows they would write.
 * The last test spends the stack's whole platform privacy budget for the period: no other e2e file
 * can make private releases after it.
 */

type Client = Awaited<ReturnType<typeof signUp>>;
type Count = { n: number } & RowDataPacket;

const stack = readStack();
const prefix = stack.env.MYSQL_DATABASE_PREFIX!;
const run = randomBytes(3).toString('hex');
let sql: Connection;

async function rows(table: string, where = '1 = 1', params: unknown[] = []): Promise<number> {
  const [result] = await sql.query<Count[]>(`SELECT COUNT(*) AS n FROM \`${prefix}_recommendation\`.\`${table}\` WHERE ${where}`, params);
  return Number(result[0]!.n);
}

function ok<T>(reply: { data?: T | null; errors?: unknown[] }): T {
  expect(reply.errors).toBeUndefined();
  return reply.data!;
}

beforeAll(async () => {
  sql = await stackSql();
});

afterAll(async () => {
  await sql?.end();
});

describe('consent in every personalised field (issue 18, item 3)', () => {
  const products: string[] = [];

  beforeAll(async () => {
    const admin = await signInAdmin();
    const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
      name: `Lanterns ${run}`,
    });
    for (const [index, title] of ['Storm lantern', 'Folding lantern', 'Lantern wicks'].entries()) {
      const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
        input: { sku: `E2E-SEC-${run}-${index}`, title, categoryId: category.data!.createCategory.id, price: 12 + index, currency: 'EUR', tags: [] },
      });
      products.push(ok(product).createProduct.id);
    }
  });

  const RECOMMENDATIONS = '{ recommendations(first: 50) { source reason product { id } } }';
  type Recommendation = { source: string; reason: string; product: { id: string } };
  const PERSONAL = `{ me { recommendations(first: 50) { source reason product { id } }
    interestProfile { interests { label } } segment { segment }
    behaviourSummary { personalisation interests { label } profileUpdatedAt segment { segment } } } }`;
  type Personal = {
    me: {
      recommendations: Recommendation[];
      interestProfile: { interests: { label: string }[] } | null;
      segment: { segment: number } | null;
      behaviourSummary: { personalisation: boolean; interests: { label: string }[]; profileUpdatedAt: string | null; segment: unknown };
    };
  };
  const SLATE = '{ recommendations(slot: HOME, first: 10) { personalised items { source reason } } }';
  type Slate = { personalised: boolean; items: { source: string; reason: string }[] };

  async function nextSlate(events: AsyncIterator<FormattedExecutionResult<{ recommendationsUpdated: Slate }, unknown>>): Promise<Slate> {
    const result = await events.next();
    if (result.done) throw new Error('the subscription completed');
    expect(result.value.errors).toBeUndefined();
    return result.value.data!.recommendationsUpdated;
  }

  it('answers every personalised field of a shopper who withdrew consent without their history, as for a stranger', async () => {
    const shopper = await signUp();
    const stranger = await signUp();
    const tracked = await shopper.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', {
      events: [
        // The worker embeds a search's text itself, so the profile has an interest however soon it runs.
        { type: 'SEARCH', query: 'storm lantern', sessionId: 'sec', clientEventId: `sec-${run}-0` },
        { type: 'VIEW', productId: products[0], sessionId: 'sec', clientEventId: `sec-${run}-1` },
        { type: 'VIEW', productId: products[1], sessionId: 'sec', clientEventId: `sec-${run}-2` },
      ],
    });
    expect(tracked.errors).toBeUndefined();

    // The setting in which a leak shows: with consent, a profile and history-shaped answers.
    const before = await waitFor(
      'an interest profile',
      async () => ok(await shopper.call<Personal>(PERSONAL)).me,
      (me) => me.interestProfile !== null,
    );
    expect(before.recommendations.some((item) => item.source === 'popular-in-category' && item.reason === 'Popular in a category you viewed')).toBe(true);
    expect(before.behaviourSummary.interests.length).toBeGreaterThan(0);
    const [profiles] = await sql.query<RowDataPacket[]>(`SELECT * FROM \`${prefix}_recommendation\`.interest_profile WHERE user_id = ?`, [shopper.userId]);
    expect(profiles).toHaveLength(1);
    const saved: Record<string, unknown> = { ...profiles[0] };

    const live = gatewayWsClient(stack.gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    const events = live.iterate<{ recommendationsUpdated: Slate }>({
      query: 'subscription { recommendationsUpdated(slot: HOME) { personalised items { source reason } } }',
    });
    try {
      expect((await nextSlate(events)).personalised).toBe(true);

      const withdrawn = await shopper.call('mutation { updateConsent(personalisation: false) { consent { personalisation } } }');
      expect(withdrawn.errors).toBeUndefined();

      // The open subscription pushes a slate without the shopper's data at once (one computed
      // just before the withdrawal may still arrive first).
      let pushed = await nextSlate(events);
      if (pushed.personalised) pushed = await nextSlate(events);
      expect(pushed.personalised).toBe(false);
      for (const item of pushed.items) expect(['trending', 'fresh']).toContain(item.source);
    } finally {
      await events.return?.();
      await live.dispose();
    }

    // As a worker that was mid-job at the withdrawal would: the profile is written back.
    const columns = Object.keys(saved);
    await sql.query(`INSERT INTO \`${prefix}_recommendation\`.interest_profile (${columns.map((column) => `\`${column}\``).join(', ')}) VALUES (?)`, [
      columns.map((column) => saved[column]),
    ]);

    const after = ok(await shopper.call<Personal>(PERSONAL)).me;
    expect(after.recommendations.length).toBeGreaterThan(0);
    for (const item of after.recommendations) expect(item).toMatchObject({ source: 'popular', reason: 'Popular with Serendip shoppers' });
    expect(after.interestProfile).toBeNull();
    expect(after.segment).toBeNull();
    expect(after.behaviourSummary).toMatchObject({ personalisation: false, interests: [], profileUpdatedAt: null, segment: null });
    // The very list a shopper nobody knows gets (read together, as other files' events move popularity).
    const admin = await signInAdmin();
    await waitFor(
      'the same list as a stranger',
      async () =>
        ok(
          await admin.call<{ withdrawn: { recommendations: Recommendation[] }; stranger: { recommendations: Recommendation[] } }>(
            `query ($a: ID!, $b: ID!) { withdrawn: user(id: $a) ${RECOMMENDATIONS} stranger: user(id: $b) ${RECOMMENDATIONS} }`,
            { a: shopper.userId, b: stranger.userId },
          ),
        ),
      (both) => JSON.stringify(both.withdrawn.recommendations) === JSON.stringify(both.stranger.recommendations),
    );

    const slate = ok(await shopper.call<{ recommendations: Slate }>(SLATE)).recommendations;
    expect(slate.personalised).toBe(false);
    for (const item of slate.items) expect(['trending', 'fresh']).toContain(item.source);

    // Removing an interest the shopper is not shown is refused, and writes nothing.
    const suppressions = await rows('interest_suppression', 'user_id = ?', [shopper.userId]);
    const removed = await shopper.call('mutation { removeInterest(index: 0) { interests { label } } }');
    expect(removed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'index' });
    expect(await rows('interest_suppression', 'user_id = ?', [shopper.userId])).toBe(suppressions);
  });
});

describe('the differential-privacy budget (issue 18, item 5)', () => {
  const BUDGET = `{ privacyBudget { analystId total spent remaining totalDelta spentDelta remainingDelta
    platform { total spent remaining totalDelta spentDelta remainingDelta } } }`;
  interface Figures {
    total: number;
    spent: number;
    remaining: number;
    totalDelta: number;
    spentDelta: number;
    remainingDelta: number;
  }
  type Budget = Figures & { analystId: string; platform: Figures };
  const GRANT = `mutation ($analystId: ID!, $epsilon: Float!, $delta: Float) {
    grantPrivacyBudget(analystId: $analystId, epsilon: $epsilon, delta: $delta) { analystId total totalDelta } }`;
  // A cheap private release: repeat purchase over the last day.
  const RELEASE = `query ($from: DateTimeISO!, $to: DateTimeISO!, $privacy: PrivacyInput) {
    repeatPurchase(from: $from, to: $to, privacy: $privacy) { purchasers privacy { epsilon delta budgetRemaining budgetRemainingDelta } } }`;
  const period = { from: new Date(Date.now() - 24 * 3600 * 1000).toISOString(), to: new Date().toISOString() };
  const release = (analyst: Client, privacy: Record<string, unknown>) => analyst.call<{ repeatPurchase: unknown }>(RELEASE, { ...period, privacy });
  const budgetOf = async (analyst: Client) => ok(await analyst.call<{ privacyBudget: Budget }>(BUDGET)).privacyBudget;
  /** Everything a release or a grant writes. */
  const written = async () => ({
    ledger: await rows('privacy_ledger'),
    budgets: await rows('privacy_budget'),
    budgetSums: (
      await sql.query<RowDataPacket[]>(
        `SELECT SUM(total_epsilon) t, SUM(spent_epsilon) s, SUM(total_delta) td, SUM(spent_delta) sd FROM \`${prefix}_recommendation\`.privacy_budget`,
      )
    )[0][0],
    periods: (
      await sql.query<RowDataPacket[]>(`SELECT SUM(spent_epsilon) s, SUM(spent_delta) sd FROM \`${prefix}_recommendation\`.privacy_period_budget`)
    )[0][0],
  });
  /** Runs a request that must be refused with `code`, and checks that it wrote nothing. */
  async function refusedWithoutWrites(request: () => Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>, expected: Record<string, unknown>) {
    const before = await written();
    const reply = await request();
    expect(reply.errors?.[0]?.extensions).toMatchObject(expected);
    expect(await written()).toEqual(before);
  }

  let analyst: Client;
  let second: Client;

  beforeAll(async () => {
    analyst = await signInAdmin();
    second = await signInAdmin('second-admin@e2e.serendip.test');
  });

  it('refuses an admin who grants themselves budget under another spelling of their own id', async () => {
    const before = await budgetOf(analyst);
    const own = analyst.userId;
    for (const spelling of [own.toUpperCase(), own.replace(/[a-f]/, (letter) => letter.toUpperCase()), `${own.slice(0, 9)}${own.slice(9).toUpperCase()}`]) {
      expect(spelling).not.toBe(own);
      await refusedWithoutWrites(() => analyst.call(GRANT, { analystId: spelling, epsilon: 100, delta: 1e-3 }), { code: 'FORBIDDEN' });
    }
    expect(await budgetOf(analyst)).toEqual(before);
    expect(await rows('privacy_budget', 'analyst_id COLLATE utf8mb4_bin <> LOWER(analyst_id)')).toBe(0);
  });

  it('refuses a release with a delta above the bound, before charging anything', async () => {
    for (const delta of [0.99, 0.5, 1e-3, 1.1e-5]) {
      await refusedWithoutWrites(() => release(analyst, { epsilon: 0.01, mechanism: 'GAUSSIAN', delta }), { code: 'BAD_USER_INPUT', field: 'privacy.delta' });
    }
  });

  it("charges delta to the analyst's budget and refuses a release once it is spent", async () => {
    const { remainingDelta } = await budgetOf(analyst);
    for (let releases = Math.floor(remainingDelta / 1e-5 + 1e-6); releases > 0; releases -= 1) {
      expect(ok(await release(analyst, { epsilon: 0.01, mechanism: 'GAUSSIAN', delta: 1e-5 })).repeatPurchase).toMatchObject({ privacy: { delta: 1e-5 } });
    }
    await refusedWithoutWrites(() => release(analyst, { epsilon: 0.01, mechanism: 'GAUSSIAN', delta: 1e-5 }), {
      code: 'PRIVACY_BUDGET_EXHAUSTED',
      budget: 'ANALYST',
      parameter: 'delta',
    });
    expect((await budgetOf(analyst)).remainingDelta).toBeLessThan(1e-5);
  });

  it("stops two admins who grant each other budget at the platform's total for the period", async () => {
    // Far more than the platform allows, granted by the second admin.
    ok(await second.call(GRANT, { analystId: analyst.userId, epsilon: 1000, delta: 1e-3 }));
    // Delta first: the grant pays for it, the platform's delta for the period does not.
    for (let releases = Math.floor((await budgetOf(analyst)).platform.remainingDelta / 1e-5 + 1e-6); releases > 0; releases -= 1) {
      ok(await release(analyst, { epsilon: 0.01, mechanism: 'GAUSSIAN', delta: 1e-5 }));
    }
    await refusedWithoutWrites(() => release(analyst, { epsilon: 0.01, mechanism: 'GAUSSIAN', delta: 1e-5 }), {
      code: 'PRIVACY_BUDGET_EXHAUSTED',
      budget: 'PLATFORM',
      parameter: 'delta',
    });
    const { platform } = await budgetOf(analyst);
    expect(platform.remaining).toBeGreaterThan(0);
    await refusedWithoutWrites(() => release(analyst, { epsilon: platform.remaining + 1 }), {
      code: 'PRIVACY_BUDGET_EXHAUSTED',
      budget: 'PLATFORM',
      parameter: 'epsilon',
    });
    ok(await release(analyst, { epsilon: platform.remaining }));
    await refusedWithoutWrites(() => release(analyst, { epsilon: 0.01 }), { code: 'PRIVACY_BUDGET_EXHAUSTED', budget: 'PLATFORM', parameter: 'epsilon' });
    await refusedWithoutWrites(() => release(second, { epsilon: 0.01 }), { code: 'PRIVACY_BUDGET_EXHAUSTED', budget: 'PLATFORM', parameter: 'epsilon' });
    const after = await budgetOf(analyst);
    expect(after.platform.remaining).toBe(0);
    expect(after.remaining).toBeGreaterThan(900);
  });
});
